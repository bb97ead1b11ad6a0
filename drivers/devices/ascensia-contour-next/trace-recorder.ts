import { TrackedClock, VirtualClock } from '../../kit/clock.ts';
import type { Driver } from '../../kit/driver.ts';
import { createLinkPair } from '../../kit/link.ts';
import { runSession, type SessionEvent, type SessionResult } from '../../kit/session.ts';
import type { SimulatorFault } from '../../kit/simulator.ts';
import { formatTrace, type TraceEvent } from '../../kit/trace.ts';
import type { MeterLog, MeterPlan } from './meter.ts';
import { runContourMeter } from './simulator.ts';

/**
 * Test and fixture helper: run the driver against a simulated meter over an in-memory reports
 * link on a virtual clock, and record every report both ways as a version-1 trace
 * (TRACE-FORMAT.md §1: HID reports without the report-id byte, trailing zeros left out).
 */

export interface RecordedRun {
  result: SessionResult;
  events: SessionEvent[];
  trace: string;
  /** Reports the host wrote, as the meter received them. */
  hostReports: Uint8Array[];
  meter: MeterLog;
  timersLeft: number;
}

function trimZeros(bytes: Uint8Array): Uint8Array {
  let end = bytes.length;
  while (end > 0 && bytes[end - 1] === 0) end--;
  return bytes.slice(0, end);
}

/** Run `driver` against a meter following `plan`; `startMs` is the workstation clock at start. */
export async function recordMeterSession(
  driver: Driver,
  plan: MeterPlan,
  opts: { startMs?: number; header?: Record<string, string>; fault?: SimulatorFault; setDeviceClock?: boolean; signal?: AbortSignal } = {},
): Promise<RecordedRun> {
  const virtual = new VirtualClock(opts.startMs);
  const clock = new TrackedClock(virtual);
  const start = virtual.now();
  const pair = createLinkPair({ mode: 'reports', reportSize: 64 });
  const trace: Omit<TraceEvent, 'line'>[] = [];
  const hostReports: Uint8Array[] = [];
  const at = (): number => Math.round(virtual.now() - start) / 1000;
  pair.device.onData((report) => {
    hostReports.push(report);
    trace.push({ time: at(), direction: '>', bytes: trimZeros(report) });
  });
  pair.host.onData((report) => trace.push({ time: at(), direction: '<', bytes: trimZeros(report) }));
  const stopMeter = new AbortController();
  const meter = runContourMeter({ link: pair.device, clock, signal: stopMeter.signal, scenario: 'recorded', ...(opts.fault ? { fault: opts.fault } : {}) }, plan);
  const events: SessionEvent[] = [];
  const session = runSession({
    driver,
    link: pair.host,
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
  const header = { driver: driver.manifest.id, transport: 'hid 1a79:7410', recorded: new Date(start).toISOString(), ...opts.header };
  return { result, events, trace: formatTrace({ header, events: trace }), hostReports, meter: log, timersLeft: clock.pending };
}
