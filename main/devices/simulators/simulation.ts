import { HubError } from '../../../shared/errors.ts';
import { requireDriver } from '../../../drivers/index.ts';
import { transportFor, type Clock, type Driver, type Link, type SerialSettings } from '../../../drivers/kit/index.ts';

/** A driver's simulator, checked to be playable on a serial port: what `pochub simulate` and the console share. */
export interface Simulation {
  driver: Driver;
  scenario: string;
  /** Serial drivers: the default line settings, which the simulated device uses too. Absent for a TCP device. */
  serial?: SerialSettings;
}

/**
 * Find the driver and scenario (default: the first). An unknown driver is DRIVER_UNKNOWN, an
 * unknown scenario NOT_FOUND, each with the valid names listed; a HID device is refused, because its simulator speaks reports, which a serial
 * port or pty cannot carry (it runs in-process instead: tests, demo mode).
 */
export function resolveSimulation(driverId: string, scenario?: string): Simulation {
  const driver = requireDriver(driverId);
  const names = driver.simulator.scenarios.map((s) => s.name);
  const chosen = scenario ?? names[0] ?? 'default';
  if (!names.includes(chosen)) throw new HubError('NOT_FOUND', `driver ${driverId} has no scenario "${chosen}" (it has: ${names.join(', ')})`);
  // A driver that also takes a serial link plays its device on one, whatever its primary link
  // (its simulator picks the framing by the link it is given).
  const serial = transportFor(driver.manifest, 'serial');
  if (serial) return { driver, scenario: chosen, serial: serial.serial };
  const t = driver.manifest.transport;
  if (t.type === 'usb') {
    throw new HubError('INPUT_INVALID', `driver ${driverId} is a USB bulk device; its simulator runs in-process (tests, demo mode), not on a serial port`);
  }
  if (t.type === 'folder') {
    throw new HubError('INPUT_INVALID', `driver ${driverId} reads a report file on a mounted disk; its simulator runs in-process (tests, demo mode), not on a serial port`);
  }
  if (t.type === 'hid') {
    throw new HubError('INPUT_INVALID', `driver ${driverId} is a HID device; its simulator runs in-process (tests, demo mode), not on a serial port`);
  }
  return { driver, scenario: chosen };
}

interface PlayOptions {
  clock: Clock;
  /** Stops the device. */
  signal: AbortSignal;
  /** After a finite scenario, stay connected and silent (as a real device does) until stopped. */
  stayConnected: boolean;
  onFinished?: () => void;
}

/**
 * Play the scenario on `link` until it ends, the signal fires or the link closes (the other end
 * went away). The link stays open: whoever opened it closes it.
 */
export async function playSimulation(simulation: Simulation, link: Link, options: PlayOptions): Promise<void> {
  const controller = new AbortController();
  const stop = (): void => controller.abort();
  if (options.signal.aborted) stop();
  options.signal.addEventListener('abort', stop, { once: true });
  const offClose = link.onClose(stop);
  try {
    await simulation.driver.simulator.run({ link, clock: options.clock, signal: controller.signal, scenario: simulation.scenario });
    if (controller.signal.aborted) return;
    options.onFinished?.();
    if (options.stayConnected) {
      await new Promise<void>((resolve) => (controller.signal.aborted ? resolve() : controller.signal.addEventListener('abort', () => resolve(), { once: true })));
    }
  } finally {
    options.signal.removeEventListener('abort', stop);
    offClose();
  }
}
