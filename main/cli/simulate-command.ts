import { z } from 'zod';
import { findDriver } from '../../drivers/index.ts';
import type { Link } from '../../drivers/kit/link.ts';
import { scaledClock } from '../devices/scaled-clock.ts';
import { listenTcpLink, openSerialLink } from '../transports/index.ts';
import { PositiveInt, PositiveSeconds, parseArgs } from './args.ts';
import type { Io } from './io.ts';
import { CommandFailure, errorLine } from './output.ts';

const SimulateArgs = z
  .object({
    driver: z.string().min(1),
    port: z.string().min(1).optional(),
    // 0 asks the system for a free port; the one chosen is printed.
    tcp: z.string().regex(/^\d{1,5}$/, '--tcp takes a port number').transform(Number).refine((n) => n <= 65535, '--tcp takes a port number').optional(),
    baud: PositiveInt('--baud').optional(),
    scenario: z.string().min(1).optional(),
    speed: PositiveSeconds('--speed').optional(),
    exit: z.boolean().optional(),
  })
  .refine((a) => (a.port === undefined) !== (a.tcp === undefined), { message: 'give exactly one of --port or --tcp', path: ['port'] });

/**
 * `pochub simulate`: play a driver's device on a serial port (one end of a pty pair, or a
 * USB-serial cable to another machine) or on a TCP port. After a finite scenario the device
 * stays connected and silent, as a real one would, until stopped (or exits with --exit).
 */
export async function simulateCommand(raw: Record<string, unknown>, io: Io, stop: AbortSignal): Promise<number> {
  const args = parseArgs(SimulateArgs, raw);
  const driver = findDriver(args.driver);
  if (!driver) throw new CommandFailure(`unknown driver "${args.driver}" (see: pochub drivers)`, 2);
  const scenarios = driver.simulator.scenarios.map((s) => s.name);
  const scenario = args.scenario ?? scenarios[0] ?? 'default';
  if (!scenarios.includes(scenario)) throw new CommandFailure(`driver ${driver.manifest.id} has no scenario "${scenario}" (it has: ${scenarios.join(', ')})`, 2);
  const t = driver.manifest.transport;
  if (t.type !== 'serial') throw new CommandFailure(`driver ${driver.manifest.id} is a HID device; its simulator runs in-process (tests, demo mode), not on a port`, 2);

  let link: Link;
  let closeListener = async (): Promise<void> => undefined;
  try {
    if (args.port) {
      link = await openSerialLink(args.port, { ...t.serial, ...(args.baud ? { baudRate: args.baud } : {}) });
    } else {
      const listener = await listenTcpLink(args.tcp ?? 0);
      closeListener = () => listener.close();
      io.err(`simulator for ${driver.manifest.id} listening on 127.0.0.1:${listener.port}`);
      link = await listener.accept();
    }
  } catch (e) {
    throw new CommandFailure(errorLine(e));
  }
  io.err(`simulating ${driver.manifest.name}, scenario "${scenario}"${args.speed ? ` at ${args.speed}x speed` : ''}`);
  const controller = new AbortController();
  const onStop = (): void => controller.abort();
  stop.addEventListener('abort', onStop, { once: true });
  link.onClose(onStop);
  try {
    await driver.simulator.run({ link, clock: scaledClock(args.speed ?? 1), signal: controller.signal, scenario });
    if (!controller.signal.aborted) {
      io.err('scenario finished');
      if (!args.exit) {
        io.err('the simulated device stays connected (Ctrl-C to stop)');
        await new Promise<void>((resolve) => (controller.signal.aborted ? resolve() : controller.signal.addEventListener('abort', () => resolve(), { once: true })));
      }
    }
  } finally {
    stop.removeEventListener('abort', onStop);
    await link.close().catch(() => undefined);
    await closeListener();
  }
  return 0;
}
