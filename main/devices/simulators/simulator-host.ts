import { HubError } from '../../../shared/errors.ts';
import type { SimulatorInfo } from '../../../shared/api/ports-model.ts';
import { systemClock, type Clock, type Link, type SerialSettings } from '../../../drivers/kit/index.ts';
import { openSerialLink } from '../../transports/index.ts';
import { failureText } from '../../bug-report.ts';
import type { SimulatorService } from '../biomed-interfaces.ts';
import { playSimulation, resolveSimulation } from './simulation.ts';

interface SimulatorServiceOptions {
  /** How a port is opened (tests may pass a fake); default the real serial transport. */
  openSerial?: (path: string, settings: SerialSettings) => Promise<Link>;
  /** One line per event worth a log entry (started, finished, stopped, failed). */
  log?: (line: string) => void;
  /** The simulated device's clock. Default the system clock. */
  clock?: Clock;
  /** Wall-clock time for `startedAt`, in epoch ms. */
  now?: () => number;
}

interface Running {
  info: SimulatorInfo;
  controller: AbortController;
  done: Promise<void>;
}

/**
 * Device simulators played on serial ports or ptys from the biomed console (docs/architecture.md §6), so a
 * biomed can check a port, a cable or the hub end to end without the device. Each stays
 * connected after its scenario until stopped, like `pochub simulate` without `--exit`.
 */
export function createSimulatorService(opts: SimulatorServiceOptions = {}): SimulatorService {
  const openSerial = opts.openSerial ?? openSerialLink;
  const log = opts.log ?? ((): void => undefined);
  const clock = opts.clock ?? systemClock;
  const now = opts.now ?? Date.now;
  const running = new Map<string, Running>();
  let counter = 0;

  const stop = async (id: string): Promise<void> => {
    const sim = running.get(id);
    if (!sim) throw new HubError('NOT_FOUND', `no simulator ${id} is running (running: ${[...running.keys()].join(', ') || 'none'})`);
    sim.controller.abort();
    await sim.done;
  };

  return {
    list: () => [...running.values()].map((r) => ({ ...r.info })),

    async start(driverId, path, scenario) {
      const simulation = resolveSimulation(driverId, scenario);
      const busy = [...running.values()].find((r) => r.info.path === path);
      if (busy) throw new HubError('CONFLICT', `simulator ${busy.info.id} (${busy.info.driverId}) already plays on ${path}`);
      if (!simulation.serial) throw new HubError('INPUT_INVALID', `driver ${driverId} is a network device; its simulator plays on TCP (pochub simulate --tcp / --connect), not on a serial port`);
      const link = await openSerial(path, simulation.serial);
      const info: SimulatorInfo = { id: `sim-${++counter}`, driverId, scenario: simulation.scenario, path, startedAt: new Date(now()).toISOString() };
      const controller = new AbortController();
      const done = playSimulation(simulation, link, { clock, signal: controller.signal, stayConnected: true, onFinished: () => log(`simulator ${info.id}: scenario "${info.scenario}" finished; the device stays connected`) })
        .catch((e: unknown) => log(`simulator ${info.id} failed: ${failureText(e)}`))
        .finally(async () => {
          running.delete(info.id);
          await link.close().catch(() => undefined);
          log(`simulator ${info.id} stopped; ${path} closed`);
        });
      running.set(info.id, { info, controller, done });
      log(`simulator ${info.id}: ${simulation.driver.manifest.name}, scenario "${info.scenario}" on ${path}`);
      return { ...info };
    },

    stop,

    async close() {
      await Promise.all([...running.keys()].map((id) => stop(id)));
    },
  };
}
