import { demoScenario, sleep, systemClock, createLinkPair, type Clock, type Driver, type SessionResult } from '../../drivers/kit/index.ts';
import { failureText } from '../bug-report.ts';
import type { DeviceManager } from './device-manager.ts';

/** How a demo device is reached: its own simulator on an in-memory link. */
const DEMO_LINK = 'demo';
/** A meter is downloaded this long after start, so the hub is up and a UI may be watching. */
const DEMO_DOWNLOAD_DELAY_MS = 3000;
/** A streaming demo device whose session ended starts again after this pause (never a tight loop). */
const DEMO_RESTART_DELAY_MS = 2000;

interface DemoOptions {
  clock?: Clock;
  downloadDelayMs?: number;
  restartDelayMs?: number;
  /**
   * Has this meter's memory been imported into the store already? The simulated memory is made
   * relative to the clock, so a second download would look new; a real meter's would not.
   */
  downloaded(driverId: string): boolean;
  log: (line: string) => void;
}

interface DemoRun {
  /** Stop every simulator and session; resolves when all have ended. */
  stop(): Promise<void>;
}

/**
 * Demo mode (docs/architecture.md §6): every registered driver's simulator plays its device on an in-memory link
 * on the real clock. Continuous and discrete devices play their `stream` scenario, again and
 * again; each download device (glucometer) is downloaded once, shortly after start and one after
 * another, with its `memory` scenario, so the review list fills as a real meter's download would.
 */
export function startDemo(manager: DeviceManager, drivers: readonly Driver[], opts: DemoOptions): DemoRun {
  const clock = opts.clock ?? systemClock;
  const stop = new AbortController();
  const runs: Promise<void>[] = [];
  // Meters are downloaded one after another, never all at once: each stored result is a durable
  // commit, and a dozen meters dumping their memories together starve the streaming devices'
  // sessions (a monitor took half a minute to be heard). A clinic downloads one meter at a time too.
  let downloads: Promise<void> = sleep(clock, opts.downloadDelayMs ?? DEMO_DOWNLOAD_DELAY_MS, stop.signal).catch(() => undefined);
  for (const driver of drivers) {
    manager.declare(driver, DEMO_LINK, true);
    const logStop = (e: unknown): void => opts.log(`demo ${driver.manifest.id} stopped: ${failureText(e)}`);
    if (driver.manifest.kind === 'download') {
      downloads = downloads.then(() => downloadOnce(manager, driver, clock, stop.signal, opts)).catch(logStop);
    } else {
      runs.push(streamForever(manager, driver, clock, stop.signal, opts).catch(logStop));
    }
  }
  runs.push(downloads);
  return {
    async stop() {
      stop.abort();
      await Promise.all(runs);
    },
  };
}

async function streamForever(manager: DeviceManager, driver: Driver, clock: Clock, signal: AbortSignal, opts: DemoOptions): Promise<void> {
  const scenario = demoScenario(driver.simulator, driver.manifest.kind);
  while (!signal.aborted) {
    const result = await playSimulated(manager, driver, scenario, clock, signal, opts.log);
    if (signal.aborted) return;
    if (result.error) opts.log(`demo ${driver.manifest.id}: ${result.error.message}; starting it again`);
    await sleep(clock, opts.restartDelayMs ?? DEMO_RESTART_DELAY_MS, signal).catch(() => undefined);
  }
}

async function downloadOnce(manager: DeviceManager, driver: Driver, clock: Clock, signal: AbortSignal, opts: DemoOptions): Promise<void> {
  if (signal.aborted || opts.downloaded(driver.manifest.id)) return; // stopped before the download began, or done before
  const result = await playSimulated(manager, driver, demoScenario(driver.simulator, driver.manifest.kind), clock, signal, opts.log);
  if (result.error && !signal.aborted) opts.log(`demo ${driver.manifest.id}: ${result.error.message}`);
}

/** Run the driver against its own simulator over an in-memory link pair until the session ends. */
async function playSimulated(manager: DeviceManager, driver: Driver, scenario: string, clock: Clock, signal: AbortSignal, log: (line: string) => void): Promise<SessionResult> {
  const { transport, kind } = driver.manifest;
  const pair = createLinkPair(transport.type === 'hid' ? { mode: 'reports', reportSize: transport.reportSize } : { mode: 'bytes' });
  const device = new AbortController();
  const stopDevice = (): void => device.abort();
  signal.addEventListener('abort', stopDevice, { once: true });
  const simulator = driver.simulator.run({ link: pair.device, clock, signal: device.signal, scenario }).then(
    async () => {
      // A finished stream means the device went quiet: hang up so the session ends and restarts.
      // A meter stays on the line until the host has finished its download.
      if (kind !== 'download') await pair.device.close();
    },
    async (e: unknown) => {
      await pair.device.close();
      throw e;
    },
  );
  try {
    return await manager.run(driver, pair.host, { description: DEMO_LINK, simulated: true, signal });
  } finally {
    signal.removeEventListener('abort', stopDevice);
    device.abort();
    await pair.host.close();
    await simulator.catch((e: unknown) => log(`demo ${driver.manifest.id} simulator: ${failureText(e)}`));
  }
}
