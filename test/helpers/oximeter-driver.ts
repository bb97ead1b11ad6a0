/**
 * What the streaming pulse-oximeter driver tests share (masimo-rad8, nonin-ascii, contec-cms50, …):
 * the LOINC codes they look up, the values of a reading, the live events of a run, identify and
 * probe on a bare session, the abort-mid-stream run, and the stability-window check of the property tests.
 */
import { expect } from 'vitest';
import type { DeviceIdentity, Reading } from '../../shared/reading.ts';
import { createLinkPair, type Driver, type DriverSession, fromLatin1, type LinkPair, resolveOptions, runSession, type SessionEvent, type SessionResult, TrackedClock, VirtualClock } from '../../drivers/kit/index.ts';

/** LOINC 59408-5, oxygen saturation by pulse oximetry. */
export const SPO2 = '59408-5';
/** LOINC 8867-4, heart rate. */
export const PULSE = '8867-4';

/** The number of a reading's quantity observation with this code (undefined when absent or not a quantity). */
export function quantityOf(reading: Reading, code: string): number | undefined {
  const v = reading.observations.find((o) => o.code === code)?.value;
  return v?.kind === 'quantity' ? v.value : undefined;
}

/** The live (streamed, not captured) events of a run, in order. */
export function lives(events: readonly SessionEvent[]): Extract<SessionEvent, { type: 'live' }>[] {
  return events.flatMap((e) => (e.type === 'live' ? [e] : []));
}

/** A session created directly (no runner) over a memory link pair, for identify and probe tests. */
function bareSession(driver: Driver, startMs: number): { virtual: VirtualClock; pair: LinkPair; signal: AbortSignal; session: DriverSession } {
  const virtual = new VirtualClock(startMs);
  const pair = createLinkPair();
  const signal = new AbortController().signal;
  const session = driver.createSession({ link: pair.host, clock: virtual, signal, options: resolveOptions(driver.manifest), emit: () => undefined });
  return { virtual, pair, signal, session };
}

/** What a freshly opened session's identify gives before any byte has arrived. */
export async function identifyBeforeData(driver: Driver, startMs: number): Promise<DeviceIdentity> {
  const { session, signal } = bareSession(driver, startMs);
  await session.open(signal);
  try {
    return await session.identify(signal);
  } finally {
    await session.close();
  }
}

/** The probe's answer when the device sends `text` (Latin-1) and then nothing until the deadline. */
export async function probeWith(driver: Driver, startMs: number, text: string): Promise<boolean> {
  const { session, signal, pair, virtual } = bareSession(driver, startMs);
  const probing = session.probe(signal);
  await pair.device.write(fromLatin1(text));
  await virtual.runUntilIdle();
  try {
    return await probing;
  } finally {
    await session.close();
  }
}

/**
 * Play the driver's endless `stream` scenario for 30 s of virtual time, then abort the session.
 * Returns the result, the virtual time at the abort and when the result came (equal when nothing
 * waited on a timer), and the timers left once the host pulled the cable and the simulator ended
 * (it stops on the closed link, not on its own signal).
 */
export async function abortMidStream(driver: Driver, startMs: number): Promise<{ result: SessionResult; abortedAt: number; resultAt: number; timersLeft: number }> {
  const virtual = new VirtualClock(startMs);
  const clock = new TrackedClock(virtual);
  const pair = createLinkPair();
  const stop = new AbortController();
  const simulated = driver.simulator.run({ link: pair.device, clock, signal: new AbortController().signal, scenario: 'stream' });
  const running = runSession({ driver, link: pair.host, clock, signal: stop.signal });
  await virtual.runUntilIdle(30_000);
  const abortedAt = virtual.now();
  stop.abort();
  const result = await running; // no clock movement: an abort must not wait on a timer
  const resultAt = virtual.now();
  await pair.host.close();
  await virtual.runUntilIdle();
  await simulated;
  return { result, abortedAt, resultAt, timersLeft: clock.pending };
}

/**
 * The stability rule seen from a captured reading: every sample of its window is valid and within
 * the SpO2 and pulse tolerances of the newest one. `window` holds the decoded samples (undefined
 * where a raw line did not decode, which fails the check).
 */
export function expectSteadyWindow<S extends { spo2?: number; pulse?: number }>(
  window: readonly (S | undefined)[],
  isValid: (sample: S) => boolean,
  options: { spo2Tolerance: number; pulseTolerance: number },
): void {
  const newest = window[window.length - 1];
  for (const r of window) {
    expect(r && isValid(r)).toBe(true);
    expect(Math.abs((r?.spo2 ?? NaN) - (newest?.spo2 ?? NaN))).toBeLessThanOrEqual(options.spo2Tolerance);
    expect(Math.abs((r?.pulse ?? NaN) - (newest?.pulse ?? NaN))).toBeLessThanOrEqual(options.pulseTolerance);
  }
}

/**
 * The Capture button as a nurse presses it, for `runAgainstSimulator`'s `onEvent`: once on the
 * `nthValid` valid live sample and, with `whileInvalid`, on the first live sample that is not valid
 * (no finger, sensor off) while nothing was pressed yet. `answers` holds what each press returned, in order.
 */
export function pressCapture(nthValid: number, opts: { whileInvalid?: boolean } = {}): { answers: boolean[]; onEvent: (event: SessionEvent, session: DriverSession) => void } {
  const answers: boolean[] = [];
  let validSeen = 0;
  return {
    answers,
    onEvent: (e, session) => {
      if (e.type !== 'live') return;
      if (!e.valid && opts.whileInvalid && answers.length === 0) answers.push(session.capture?.() ?? false);
      if (e.valid && ++validSeen === nthValid) answers.push(session.capture?.() ?? false);
    },
  };
}
