/**
 * Session tests that hold word for word for more than one download meter (both ARKRAY meters; the
 * fault-mode test and the small helpers below: i-SENS and TaiDoc as well):
 * registered by calling the function inside the driver's own `describe`, so each driver's test
 * file still runs, and fails, on its own. The scenarios named here must exist in the simulator.
 */
import { expect, it } from 'vitest';
import { createLinkPair, type Driver, runAgainstSimulator, runSession, type SessionResult, type SimulatedRun, type SimulatorFault, TrackedClock, VirtualClock } from '../../drivers/kit/index.ts';
import type { Reading } from '../../shared/reading.ts';

/**
 * An empty memory, a damaged record read again, a 2 h clock set on request and found right on the
 * next download, and a meter that never answers: a serial download meter whose simulator has the
 * scenarios `empty`, `checksum-error` and `clock-off`.
 */
export function memoryMeterSessionTests(driver: Driver, startMs: number): void {
  it('an empty memory completes with no reading', async () => {
    const run = await runAgainstSimulator(driver, { scenario: 'empty', startMs });
    expect(run.result.end).toBe('completed');
    expect(run.result.readings).toEqual([]);
    const progress = run.events.flatMap((e) => (e.type === 'progress' ? [e] : []));
    expect(progress.at(-1)?.done).toBe(progress.at(-1)?.total);
  });

  it('a damaged record is read again; each record once, one PROTOCOL_CHECKSUM', async () => {
    const run = await runAgainstSimulator(driver, { scenario: 'checksum-error', startMs });
    expect(run.result.end).toBe('completed');
    expect(run.result.problems).toEqual({ PROTOCOL_CHECKSUM: 1 });
    expect(run.result.readings.length).toBeGreaterThan(0);
  });

  it('sets a clock that is 2 h off when asked, and the next download finds it right', async () => {
    const virtual = new VirtualClock(startMs);
    const clock = new TrackedClock(virtual);
    const pair = createLinkPair({ mode: 'bytes' });
    const stop = new AbortController();
    const meter = driver.simulator.run({ link: pair.device, clock, signal: stop.signal, scenario: 'clock-off' });
    const first = runSession({ driver, link: pair.host, clock, setDeviceClock: true });
    await virtual.runUntilIdle();
    const r1 = await first;
    expect(r1.end).toBe('completed');
    expect(Math.abs((r1.deviceClock?.skewMs ?? 0) - 7_200_000)).toBeLessThan(120_000);
    expect(r1.deviceClock?.set).toBe(true);
    const second = runSession({ driver, link: pair.host, clock });
    await virtual.runUntilIdle();
    const r2 = await second;
    expect(r2.end).toBe('completed');
    expect(Math.abs(r2.deviceClock?.skewMs ?? Infinity)).toBeLessThan(120_000);
    stop.abort();
    await meter;
  });

  it('a meter that never answers fails with DEVICE_NO_RESPONSE and leaves no timer', async () => {
    const { result, timersLeft } = await silentDevice(driver, startMs);
    expect(result.end).toBe('failed');
    expect(result.error?.code).toBe('DEVICE_NO_RESPONSE');
    expect(timersLeft).toBe(0);
  });
}

/**
 * A session against a device that is plugged in but never sends a byte (link mode and report size
 * from the manifest, or a byte link when `mode` says so: a HID driver's serial link), run on a
 * virtual clock from `startMs` until it gives up. `timersLeft` is counted the moment the session
 * ended: a give-up must not leave a timer behind.
 */
export async function silentDevice(driver: Driver, startMs: number, mode?: 'bytes'): Promise<{ result: SessionResult; timersLeft: number }> {
  const virtual = new VirtualClock(startMs);
  const clock = new TrackedClock(virtual);
  const { transport } = driver.manifest;
  const pair = createLinkPair(transport.type === 'hid' && mode !== 'bytes' ? { mode: 'reports', reportSize: transport.reportSize } : { mode: 'bytes' });
  const session = runSession({ driver, link: pair.host, clock });
  await virtual.runUntilIdle();
  const result = await session;
  return { result, timersLeft: clock.pending };
}

/** A download of one simulator scenario from `startMs` on the driver's default link, with an optional fault mode. */
export function simulatorPlayer(driver: Driver, startMs: number): (scenario: string, fault?: SimulatorFault) => Promise<SimulatedRun> {
  return (scenario, fault) => runAgainstSimulator(driver, { scenario, startMs, ...(fault ? { fault } : {}) });
}

/** The session completed without an error (the error's message shown if not). */
export function expectCompleted(result: SessionResult): void {
  expect(result.error, result.error?.message).toBeUndefined();
  expect(result.end).toBe('completed');
}

/** A clean download of `count` readings: completed, no problem said, no timer left; its readings. */
export function expectCleanDownload(run: SimulatedRun, count: number): Reading[] {
  expectCompleted(run.result);
  expect(run.timersLeft).toBe(0);
  expect(run.result.problems).toEqual({});
  expect(run.result.readings).toHaveLength(count);
  return run.result.readings;
}

/** What the host wrote in a run, chunk by chunk (report by report on HID). */
export const writtenChunks = (run: SimulatedRun): number[][] => run.traffic.filter((c) => c.direction === 'out').map((c) => Array.from(c.bytes));

/** What a reading is stored as, without the device identity (which may name the link's model). */
export const storedFields = (r: Pick<Reading, 'deviceTime' | 'kind' | 'observations' | 'flags'>): unknown => [r.deviceTime, r.kind, r.observations, r.flags];

/** Every reply corrupt (`bad-checksum`) or cut (`truncate`): the download fails, reads nothing, leaves no timer. */
export function faultModeTest(driver: Driver, startMs: number, title = 'fails cleanly when every reply is corrupt or truncated'): void {
  const play = simulatorPlayer(driver, startMs);
  it(title, async () => {
    for (const fault of ['bad-checksum', 'truncate'] as const) {
      const run = await play('memory', fault);
      expect(run.result.end, fault).toBe('failed');
      expect(run.result.readings).toEqual([]);
      expect(run.timersLeft).toBe(0);
    }
  });
}
