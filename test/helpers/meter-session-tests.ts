/**
 * Session tests that hold word for word for more than one download meter (both ARKRAY meters):
 * registered by calling the function inside the driver's own `describe`, so each driver's test
 * file still runs, and fails, on its own. The scenarios named here must exist in the simulator.
 */
import { expect, it } from 'vitest';
import { createLinkPair, type Driver, runAgainstSimulator, runSession, type SessionResult, TrackedClock, VirtualClock } from '../../drivers/kit/index.ts';

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
 * from the manifest), run on a virtual clock from `startMs` until it gives up. `timersLeft` is
 * counted the moment the session ended: a give-up must not leave a timer behind.
 */
export async function silentDevice(driver: Driver, startMs: number): Promise<{ result: SessionResult; timersLeft: number }> {
  const virtual = new VirtualClock(startMs);
  const clock = new TrackedClock(virtual);
  const { transport } = driver.manifest;
  const pair = createLinkPair(transport.type === 'hid' ? { mode: 'reports', reportSize: transport.reportSize } : { mode: 'bytes' });
  const session = runSession({ driver, link: pair.host, clock });
  await virtual.runUntilIdle();
  const result = await session;
  return { result, timersLeft: clock.pending };
}
