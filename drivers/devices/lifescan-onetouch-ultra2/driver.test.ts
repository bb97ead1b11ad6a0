import { describe, expect, it } from 'vitest';
import { ReadingSchema, type Reading } from '../../../shared/reading.ts';
import { localToEpochMs, offsetToEpochMs } from '../../../shared/time.ts';
import { byteChunks, createLinkPair, DriverManifestSchema, latin1, runAgainstSimulator, runSession, type SessionEvent, type SimulatedRun, type TappedChunk, TappedLink, TrackedClock, VirtualClock } from '../../kit/index.ts';
import { lifescanOnetouchUltra2Driver as driver } from './index.ts';
import { SIM_SERIAL, SIM_VERSION } from './simulated-device.ts';

const START = Date.UTC(2026, 2, 2, 10, 15, 0);
const HOUR_MS = 3_600_000;

const run = (scenario: string, opts: Parameters<typeof runAgainstSimulator>[1] = {}): Promise<SimulatedRun> => runAgainstSimulator(driver, { scenario, startMs: START, ...opts });
const comparable = (readings: readonly Reading[]): unknown[] => readings.map(({ receivedAt: _r, ...rest }) => rest);
const progress = (events: readonly SessionEvent[]): { done: number; total?: number }[] =>
  events.flatMap((e) => (e.type === 'progress' ? [{ done: e.done, total: e.total }] : []));
const glucose = (r: Reading): unknown => r.observations[0]?.value;
const key = (r: Reading): string => `${r.deviceTime}|${JSON.stringify(glucose(r))}|${r.kind}`;

describe('manifest', () => {
  it('is valid and describes the Ultra 2 download over its serial cable', () => {
    expect(DriverManifestSchema.safeParse(driver.manifest).success).toBe(true);
    expect(driver.manifest).toMatchObject({
      id: 'lifescan-onetouch-ultra2',
      name: 'LifeScan OneTouch Ultra 2',
      manufacturer: 'LifeScan',
      category: 'glucose',
      kind: 'download',
      transport: { type: 'serial', serial: { baudRate: 9600, dataBits: 8, parity: 'none', stopBits: 1, flowControl: 'none' } },
      checksum: true,
    });
    expect(driver.manifest.usb.map((u) => [u.vendorId, u.productId])).toEqual([[0x067b, 0x2303], [0x1a86, 0x7523]]);
    expect(driver.manifest.hints.join(' ')).toMatch(/OFF before you plug the cable/);
    expect(driver.manifest.hints.join(' ')).toMatch(/single 0x00 byte/);
  });
});

describe('downloads from the simulator', () => {
  it('memory: identity, meter clock first, then 56 readings with progress 0 → 56', async () => {
    const { result, events, timersLeft } = await run('memory');
    expect(result.end).toBe('completed');
    expect(result.error).toBeUndefined();
    expect(result.identity).toEqual({ manufacturer: 'LifeScan', model: 'OneTouch Ultra 2', serial: SIM_SERIAL, firmware: SIM_VERSION });
    expect(result.readings).toHaveLength(56);
    expect(result.readings.every((r) => ReadingSchema.safeParse(r).success)).toBe(true);
    const clockAt = events.findIndex((e) => e.type === 'device-clock');
    const firstProgress = events.findIndex((e) => e.type === 'progress');
    expect(clockAt).toBeGreaterThanOrEqual(0);
    expect(clockAt).toBeLessThan(firstProgress);
    expect(result.deviceClock).toMatchObject({ deviceTime: '2026-03-02T10:15:00', canSet: true, set: false });
    expect(Math.abs(result.deviceClock?.skewMs ?? Infinity)).toBeLessThan(1_000);
    const steps = progress(events);
    expect(steps[0]).toEqual({ done: 0, total: 56 });
    expect(steps.map((s) => s.done)).toEqual(Array.from({ length: 57 }, (_, i) => i));
    expect(steps.every((s) => s.total === 56)).toBe(true);
    expect(result.problems).toEqual({});
    expect(timersLeft).toBe(0);
  });

  it('memory: controls kept apart, HI and LO with comparators, meal and comment flags, parity kept', async () => {
    const { result } = await run('memory');
    const controls = result.readings.filter((r) => r.kind === 'control');
    expect(controls).toHaveLength(2);
    expect(controls.every((r) => r.flags.includes('control-solution'))).toBe(true);
    expect(result.readings.filter((r) => r.kind === 'patient' && r.flags.includes('control-solution'))).toEqual([]);
    const hi = result.readings.filter((r) => r.flags.includes('out-of-range:high'));
    const lo = result.readings.filter((r) => r.flags.includes('out-of-range:low'));
    expect(hi.map((r) => [glucose(r), r.observations[0]?.interpretation])).toEqual([[{ kind: 'quantity', value: 600, unit: 'mg/dL', comparator: '>' }, 'HH']]);
    expect(lo.map((r) => [glucose(r), r.observations[0]?.interpretation])).toEqual([[{ kind: 'quantity', value: 20, unit: 'mg/dL', comparator: '<' }, 'LL']]);
    expect(result.readings.filter((r) => r.flags.includes('meter-error:parity'))).toHaveLength(1);
    expect(result.readings.some((r) => r.flags.includes('meal:before'))).toBe(true);
    expect(result.readings.some((r) => r.flags.includes('meal:after'))).toBe(true);
    expect(new Set(result.readings.flatMap((r) => r.flags.filter((f) => f.startsWith('comment:')))).size).toBe(11);
    expect(result.readings.every((r) => r.observations.every((o) => o.code === '41653-7'))).toBe(true);
    expect(result.readings.every((r) => r.context === undefined)).toBe(true); // no transfer index: it shifts as memory grows
    expect(result.readings.every((r) => r.clock?.source === 'device' && !r.flags.includes('clock-skew'))).toBe(true);
  });

  it('readings come oldest first, one per record, each with its own line as raw', async () => {
    const { result } = await run('memory');
    const times = result.readings.map((r) => localToEpochMs(r.deviceTime ?? ''));
    expect([...times].sort((a, b) => a - b)).toEqual(times);
    expect(new Set(result.readings.map(key)).size).toBe(56);
  });

  it('the same readings whatever the record order of the dump (newest or oldest first) [inferred order]', async () => {
    expect(comparable((await run('oldest-first')).result.readings)).toEqual(comparable((await run('memory')).result.readings));
  });

  it('the same readings with lines ended by CR alone and with bytes arriving one at a time', async () => {
    const memory = comparable((await run('memory')).result.readings);
    expect(comparable((await run('cr-only')).result.readings)).toEqual(memory);
    expect(comparable((await run('memory', { chunker: byteChunks })).result.readings)).toEqual(memory);
  });

  it('empty: progress 0 of 0, no readings, a normal end', async () => {
    const { result, events, timersLeft } = await run('empty');
    expect(result.end).toBe('completed');
    expect(result.readings).toEqual([]);
    expect(progress(events)).toEqual([{ done: 0, total: 0 }]);
    expect(events.some((e) => e.type === 'device-clock')).toBe(true);
    expect(timersLeft).toBe(0);
  });

  it('mmol: values stay mg/dL on 41653-7, flagged display-unit:mmol/L, nothing converted', async () => {
    const { result } = await run('mmol');
    expect(result.readings).toHaveLength(12);
    for (const r of result.readings) {
      expect(r.observations[0]).toMatchObject({ code: '41653-7', value: { unit: 'mg/dL' } });
      expect(r.flags).toContain('display-unit:mmol/L');
    }
    const memory = (await run('memory')).result.readings.slice(-12);
    expect(result.readings.map(glucose)).toEqual(memory.map(glucose));
  });

  it('checksum-error: the bad line is reported, the whole dump asked again, nothing lost or duplicated', async () => {
    const { result, events, timersLeft } = await run('checksum-error');
    expect(result.end).toBe('completed');
    expect(result.problems).toEqual({ PROTOCOL_CHECKSUM: 1 });
    const problem = events.find((e) => e.type === 'problem');
    expect(problem?.type === 'problem' && problem.message).toMatch(/dump line 20 of 56 rejected .*asking for the whole dump again \(try 2 of 3\)/);
    expect(comparable(result.readings)).toEqual(comparable((await run('memory')).result.readings));
    const steps = progress(events).map((s) => s.done);
    expect(steps).toEqual(Array.from({ length: 57 }, (_, i) => i)); // forward only, across the retry
    expect(timersLeft).toBe(0);
  });

  it('clock-off: meter 2 h behind, stored times corrected by the skew and flagged clock-skew', async () => {
    const { result } = await run('clock-off');
    expect(result.deviceClock?.deviceTime).toBe('2026-03-02T08:15:00');
    expect(Math.round((result.deviceClock?.skewMs ?? 0) / 1000)).toBe(7200);
    for (const r of result.readings) {
      expect(r.flags).toContain('clock-skew');
      expect(r.clock).toEqual({ source: 'device-corrected', skewSeconds: 7200 });
      const shift = offsetToEpochMs(r.effectiveTime) - localToEpochMs(r.deviceTime ?? '');
      expect(Math.abs(shift - 2 * HOUR_MS)).toBeLessThan(1_000);
    }
  });

  it('hi-lo-words: HI and LO written as words give the same readings as numbers beyond the range [inferred]', async () => {
    const words = (await run('hi-lo-words')).result.readings;
    const numbers = (await run('memory')).result.readings;
    expect(comparable(words)).toEqual(comparable(numbers));
    expect(words.filter((r) => r.observations[0]?.interpretation === 'HH')).toHaveLength(1);
    expect(words.filter((r) => r.observations[0]?.interpretation === 'LL')).toHaveLength(1);
  });

  it('big: 500 readings', async () => {
    const { result } = await run('big');
    expect(result.readings).toHaveLength(500);
    expect(new Set(result.readings.map(key)).size).toBe(500);
  });

  it('not-in-pc-mode: fails with DEVICE_NO_RESPONSE telling the person what to do', async () => {
    const { result, timersLeft } = await run('not-in-pc-mode');
    expect(result.end).toBe('failed');
    expect(result.error?.code).toBe('DEVICE_NO_RESPONSE');
    expect(result.error?.message).toMatch(/single 0x00 byte.*not in PC-link mode.*Switch the meter off.*plug it in again.*try again/);
    expect(result.readings).toEqual([]);
    expect(timersLeft).toBe(0);
  });

  it.each(['bad-checksum', 'truncate'] as const)('fault %s: retries, gives up with a HubError, zero readings, problems reported', async (fault) => {
    const { result, timersLeft } = await run('memory', { fault });
    expect(result.end).toBe('failed');
    expect(result.error?.code).toBe(fault === 'bad-checksum' ? 'PROTOCOL_CHECKSUM' : 'DEVICE_NO_RESPONSE');
    expect(result.readings).toEqual([]);
    expect(result.problems[fault === 'bad-checksum' ? 'PROTOCOL_CHECKSUM' : 'PROTOCOL_TRUNCATED']).toBe(3);
    expect(timersLeft).toBe(0);
  });
});

describe('setting the meter clock and stopping', () => {
  it('setClock (on request) sets the meter to the workstation time; the next download sees no skew', async () => {
    const virtual = new VirtualClock(START);
    const clock = new TrackedClock(virtual);
    const pair = createLinkPair();
    const stop = new AbortController();
    const meter = driver.simulator.run({ link: pair.device, clock, signal: stop.signal, scenario: 'clock-off' });
    const events: SessionEvent[] = [];
    const traffic: TappedChunk[] = [];
    const first = runSession({ driver, link: new TappedLink(pair.host, (c) => traffic.push(c), clock), clock, setDeviceClock: true, onEvent: (e) => events.push(e) });
    await virtual.runUntilIdle();
    const result = await first;
    expect(result.deviceClock).toMatchObject({ deviceTime: '2026-03-02T08:15:00', set: true });
    // Each command is `11 0D` + letters + `0D`, written whole.
    const sent = traffic.flatMap((c) => (c.direction === 'out' ? [latin1(c.bytes.subarray(2, -1))] : []));
    expect(sent.slice(0, 4)).toEqual(['DM@', 'DM?', 'DMF', 'DMP']);
    expect(sent.slice(4)).toEqual([expect.stringMatching(/^DMT03\/02\/26 10:1\d:\d\d$/)]);
    const second = runSession({ driver, link: pair.host, clock });
    await virtual.runUntilIdle();
    const again = await second;
    // The meter keeps whole seconds and the command takes a moment on the wire.
    expect(Math.abs(again.deviceClock?.skewMs ?? Infinity)).toBeLessThan(2_000);
    expect(again.readings.every((r) => !r.flags.includes('clock-skew'))).toBe(true);
    stop.abort();
    await meter;
    expect(clock.pending).toBe(0);
  });

  it('abort mid-download ends at once, with no reading and no timer left', async () => {
    const { result, timersLeft, events } = await run('big', { abortAfterMs: 2_000 });
    expect(result.end).toBe('aborted');
    expect(result.readings).toEqual([]);
    expect(progress(events).length).toBeGreaterThan(1); // it was downloading
    expect(timersLeft).toBe(0);
  });

  it('the simulator rejects an unknown scenario plainly', async () => {
    const pair = createLinkPair();
    await expect(driver.simulator.run({ link: pair.device, clock: new VirtualClock(), signal: new AbortController().signal, scenario: 'nope' })).rejects.toMatchObject({ code: 'INPUT_INVALID' });
  });
});
