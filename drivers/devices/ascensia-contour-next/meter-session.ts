import { createLinkPair, type Driver, runSession, type SessionEvent, type SessionResult, type SimulatorFault, TappedLink, TrackedClock, VirtualClock } from '../../kit/index.ts';
import type { MeterLog, MeterPlan } from './simulated-device.ts';
import { runContourMeter } from './simulator.ts';

/**
 * Test helper: run the driver against a simulated meter following a plan, over an in-memory
 * reports link on a virtual clock, with the host's writes taken from the kit's link tap.
 */

interface MeterSessionRun {
  result: SessionResult;
  events: SessionEvent[];
  /** Reports the host wrote, in order. */
  hostReports: Uint8Array[];
  meter: MeterLog;
  timersLeft: number;
}

/** Run `driver` against a meter following `plan`; `startMs` is the workstation clock at start. */
export async function runMeterSession(
  driver: Driver,
  plan: MeterPlan,
  opts: { startMs?: number; fault?: SimulatorFault; setDeviceClock?: boolean; signal?: AbortSignal } = {},
): Promise<MeterSessionRun> {
  const virtual = new VirtualClock(opts.startMs);
  const clock = new TrackedClock(virtual);
  const pair = createLinkPair({ mode: 'reports', reportSize: 64 });
  const hostReports: Uint8Array[] = [];
  const host = new TappedLink(pair.host, (c) => void (c.direction === 'out' && hostReports.push(c.bytes)), clock);
  const stopMeter = new AbortController();
  const meter = runContourMeter({ link: pair.device, clock, signal: stopMeter.signal, scenario: 'recorded', ...(opts.fault ? { fault: opts.fault } : {}) }, plan);
  const events: SessionEvent[] = [];
  const session = runSession({
    driver,
    link: host,
    clock,
    onEvent: (e) => events.push(e),
    ...(opts.signal ? { signal: opts.signal } : {}),
    ...(opts.setDeviceClock ? { setDeviceClock: true } : {}),
  }).finally(() => {
    stopMeter.abort();
    void pair.host.close();
  });
  await virtual.runUntilIdle();
  const [result, log] = await Promise.all([session, meter]);
  await virtual.runUntilIdle();
  return { result, events, hostReports, meter: log, timersLeft: clock.pending };
}
