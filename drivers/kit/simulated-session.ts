import { TrackedClock, VirtualClock } from './clock.ts';
import type { Driver, DriverSession } from './driver.ts';
import { createLinkPair, wholeChunks, type Chunker, type UsbIds } from './link.ts';
import { transportFor, type TransportKind } from './manifest.ts';
import { TappedLink, type TappedChunk } from './link-tap.ts';
import { runSession, type SessionEvent, type SessionResult } from './session.ts';
import type { SimulatorFault } from './simulator.ts';

export interface SimulatedRun {
  result: SessionResult;
  events: SessionEvent[];
  /** Every chunk (or report) the host received and wrote, in order, timed on the virtual clock. */
  traffic: TappedChunk[];
  /** Timers still scheduled after the session and the simulator ended (must be 0). */
  timersLeft: number;
}

/**
 * How `runAgainstSimulator` plays: `link` picks one of the driver's link kinds (default its primary),
 * `usb` the ids the link reports (a driver that tells its HID devices apart by them), `onEvent` sees
 * every event with the live session, so a test can press the Capture button (`session.capture()`).
 */
export interface SimulatedRunOptions {
  scenario?: string;
  fault?: SimulatorFault;
  chunker?: Chunker;
  abortAfterMs?: number;
  abortOnDeviceBytes?: boolean;
  options?: Record<string, unknown>;
  startMs?: number;
  link?: TransportKind;
  usb?: UsbIds;
  onEvent?: (event: SessionEvent, session: DriverSession) => void;
}

/**
 * Run a driver against its own simulator over an in-memory link pair on a virtual clock: the
 * harness of the conformance suite, the driver tests and the benchmarks. `abortAfterMs`
 * stops the session after that much virtual time (for endless scenarios); `abortOnDeviceBytes`
 * stops it the moment the first bytes from the device arrive, mid-conversation whatever the
 * driver's kind (a download is then cut short before it can complete).
 */
export async function runAgainstSimulator(
  driver: Driver,
  opts: SimulatedRunOptions = {},
): Promise<SimulatedRun> {
  const virtual = new VirtualClock(opts.startMs);
  const clock = new TrackedClock(virtual);
  // The driver's primary link, or the one `link` names (a driver with several, manifest `otherTransports`).
  const spec = opts.link ? transportFor(driver.manifest, opts.link) : driver.manifest.transport;
  if (!spec) throw new Error(`${driver.manifest.id} takes no ${opts.link ?? ''} link`);
  const pair = createLinkPair({
    mode: spec.type === 'hid' ? 'reports' : 'bytes',
    reportSize: spec.type === 'hid' ? spec.reportSize : undefined,
    ...(opts.usb ? { usb: opts.usb } : {}),
    deviceChunker: opts.chunker ?? wholeChunks,
  });
  const sessionStop = new AbortController();
  const simulatorStop = new AbortController();
  const events: SessionEvent[] = [];
  const traffic: TappedChunk[] = [];
  const host = new TappedLink(
    pair.host,
    (chunk) => {
      traffic.push(chunk);
      if (opts.abortOnDeviceBytes && chunk.direction === 'in') sessionStop.abort();
    },
    clock,
  );
  // The runner creates the session; wrapping createSession is how a caller gets hold of it.
  let live: DriverSession | undefined;
  const watched: Driver = opts.onEvent ? { ...driver, createSession: (ctx) => (live = driver.createSession(ctx)) } : driver;
  const scenario = opts.scenario ?? driver.simulator.scenarios[0]?.name ?? 'default';
  const simulator = driver.simulator
    .run({ link: pair.device, clock, signal: simulatorStop.signal, scenario, ...(opts.fault ? { fault: opts.fault } : {}) })
    .then(async () => {
      // A finite scenario is over: the device goes quiet, then the cable is pulled.
      if (!pair.device.closed) await pair.device.close();
    });
  const session = runSession({
    driver: watched, link: host, clock, signal: sessionStop.signal, options: opts.options,
    onEvent: (e) => {
      events.push(e);
      if (live) opts.onEvent?.(e, live);
    },
  }).finally(() => {
    simulatorStop.abort();
    void pair.host.close();
  });
  if (opts.abortAfterMs !== undefined) {
    await virtual.runUntilIdle(opts.abortAfterMs);
    sessionStop.abort();
  }
  await virtual.runUntilIdle();
  const [result] = await Promise.all([session, simulator]);
  await virtual.runUntilIdle();
  return { result, events, traffic, timersLeft: clock.pending };
}
