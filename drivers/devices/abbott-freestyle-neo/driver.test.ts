import { describe, expect, it } from 'vitest';
import type { Reading } from '../../../shared/reading.ts';
import { createLinkPair, DriverManifestSchema, latin1, runAgainstSimulator, runSession, type SessionEvent, type SimulatedRun, type TappedChunk, TappedLink, TrackedClock, VirtualClock } from '../../kit/index.ts';
import { abbottFreestyleNeoDriver as driver } from './index.ts';
import { MESSAGE_TYPE, parseReport } from './protocol.ts';

const START = Date.UTC(2026, 0, 15, 9, 0, 0);
const HOUR_MS = 3_600_000;

const comparable = (readings: readonly Reading[]): unknown[] => readings.map(({ receivedAt: _r, ...rest }) => rest);
const ofType = <T extends SessionEvent['type']>(events: readonly SessionEvent[], type: T): Extract<SessionEvent, { type: T }>[] =>
  events.filter((e): e is Extract<SessionEvent, { type: T }> => e.type === type);
const values = (r: Reading): unknown[] => r.observations.map((o) => o.value);
/** The commands the host wrote, as text (`INIT` for the INIT report). */
const sentOf = (traffic: readonly TappedChunk[]): string[] =>
  traffic.flatMap((c) => {
    const parsed = c.direction === 'out' ? parseReport(c.bytes) : undefined;
    if (!parsed?.ok) return [];
    return [parsed.report.type === MESSAGE_TYPE.init ? 'INIT' : latin1(parsed.report.payload)];
  });
const sent = (run: SimulatedRun): string[] => sentOf(run.traffic);
/** How many reports of `type` the meter sent. */
const received = (run: SimulatedRun, type: number): number => run.traffic.filter((c) => c.direction === 'in' && c.bytes[0] === type).length;

describe('manifest', () => {
  it('is a valid HID download manifest for the Neo and Libre 1 ids, not the Libre 2', () => {
    expect(DriverManifestSchema.safeParse(driver.manifest).success).toBe(true);
    expect(driver.manifest).toMatchObject({ id: 'abbott-freestyle-neo', manufacturer: 'Abbott', category: 'glucose', kind: 'download', transport: { type: 'hid', reportSize: 64 }, checksum: true });
    expect(driver.manifest.usb.map((u) => `${u.vendorId.toString(16)}:${u.productId.toString(16)}`)).toEqual(['1a61:3850', '1a61:3650', '1a61:3670']);
    expect(driver.manifest.hints.join(' ')).toMatch(/udev/);
  });
});

describe('sessions against the simulator', () => {
  it('memory: 60 records → 57 readings, controls apart, HI/LO, progress up to 60/60, the clock first', async () => {
    const run = await runAgainstSimulator(driver, { scenario: 'memory', startMs: START });
    const { readings } = run.result;
    expect(run.result.end).toBe('completed');
    expect(run.result.problems).toEqual({});
    expect(run.result.identity).toEqual({ manufacturer: 'Abbott', model: 'FreeStyle Precision Neo / Optium Neo', serial: 'JGGA123-K1234', firmware: '2.1.2' });
    expect(readings).toHaveLength(57);
    const controls = readings.filter((r) => r.kind === 'control');
    expect(controls).toHaveLength(3);
    expect(controls.every((r) => r.flags.includes('control-solution'))).toBe(true);
    expect(readings.filter((r) => r.kind === 'patient').some((r) => r.flags.includes('control-solution'))).toBe(false);
    expect(readings.filter((r) => r.flags.includes('out-of-range:high')).map((r) => r.observations[0]?.code)).toEqual(['41653-7', '66441-7']);
    expect(readings.filter((r) => r.flags.includes('out-of-range:low')).map(values)).toEqual([[{ kind: 'quantity', value: 20, unit: 'mg/dL', comparator: '<' }]]);
    expect(readings.filter((r) => r.observations[0]?.code === '66441-7')).toHaveLength(5);
    expect(new Set(readings.map((r) => r.context?.sequence)).size).toBe(57);
    expect(readings.every((r) => r.clock?.source === 'device' && !r.flags.includes('clock-skew'))).toBe(true);
    const progress = ofType(run.events, 'progress');
    expect(progress[0]).toEqual({ type: 'progress', done: 0 });
    expect(progress.at(-1)).toEqual({ type: 'progress', done: 60, total: 60 });
    progress.forEach((p, i) => expect(p.done).toBeGreaterThanOrEqual(progress[i - 1]?.done ?? 0));
    const order = run.events.map((e) => e.type);
    expect(order.indexOf('device-clock')).toBeLessThan(order.indexOf('progress'));
    expect(ofType(run.events, 'device-clock')).toEqual([{ type: 'device-clock', deviceTime: '2026-01-15T09:00:00', skewMs: expect.any(Number), canSet: true }]);
    expect(ofType(run.events, 'reading').every((e) => e.raw.length >= 1 && e.raw.every((r) => r.length === 64 && r[0] === 0x60))).toBe(true);
    expect(sent(run)).toEqual(['INIT', '$serlnum?', '$swver?', '$date?', '$time?', '$gunits?', '$result?']);
    expect(run.timersLeft).toBe(0);
  });

  it('empty: total 0, no readings, a normal end', async () => {
    const run = await runAgainstSimulator(driver, { scenario: 'empty' });
    expect(run.result.end).toBe('completed');
    expect(run.result.readings).toEqual([]);
    expect(ofType(run.events, 'progress').at(-1)).toEqual({ type: 'progress', done: 0, total: 0 });
    expect(run.result.deviceClock).toBeDefined();
  });

  it('mmol: the meter displays mmol/L but its records carry mg/dL, kept as sent and flagged', async () => {
    const run = await runAgainstSimulator(driver, { scenario: 'mmol' });
    const glucose = run.result.readings.filter((r) => r.observations[0]?.code === '41653-7');
    expect(glucose.length).toBeGreaterThan(5);
    expect(glucose.every((r) => r.flags.includes('meter-display:mmol/L') && r.observations[0]?.value?.kind === 'quantity' && r.observations[0].value.unit === 'mg/dL')).toBe(true);
    expect(run.result.readings.some((r) => r.observations[0]?.code === '14743-9')).toBe(false);
  });

  it('checksum-error: the damaged reply is reported, asked for again, and nothing is lost or doubled', async () => {
    const damaged = await runAgainstSimulator(driver, { scenario: 'checksum-error' });
    const clean = await runAgainstSimulator(driver, { scenario: 'split' }); // the same 20 records
    expect(damaged.result.problems).toEqual({ PROTOCOL_CHECKSUM: 1 });
    expect(damaged.result.readings).toHaveLength(18);
    expect(comparable(damaged.result.readings)).toEqual(comparable(clean.result.readings));
    expect(sent(damaged).filter((c) => c === '$result?')).toHaveLength(2);
  });

  it('clock-off: a meter 2 h behind → clock-skew flag and times corrected by the skew', async () => {
    const run = await runAgainstSimulator(driver, { scenario: 'clock-off', startMs: START });
    expect(run.result.deviceClock?.deviceTime).toBe('2026-01-15T07:00:00');
    expect(Math.round((run.result.deviceClock?.skewMs ?? 0) / 1000)).toBe(7200);
    for (const r of run.result.readings) {
      expect(r.flags).toContain('clock-skew');
      expect(r.clock).toEqual({ source: 'device-corrected', skewSeconds: 7200 });
      expect(Date.parse(r.effectiveTime) - Date.parse(`${r.deviceTime}Z`)).toBe(2 * HOUR_MS);
    }
  });

  it('clock-lost: reported, no device-clock event, readings flagged and not corrected', async () => {
    const run = await runAgainstSimulator(driver, { scenario: 'clock-lost' });
    expect(run.result.deviceClock).toBeUndefined();
    expect(ofType(run.events, 'problem').map((p) => p.message)).toEqual([expect.stringMatching(/not set \(it reads 255,255,255 255,255\)/)]);
    expect(run.result.readings).toHaveLength(5);
    expect(run.result.readings.every((r) => r.flags.includes('meter-clock-unset') && r.clock?.source === 'device' && r.clock.skewSeconds === undefined)).toBe(true);
  });

  it('libre: detected by $sn?, sensor scans kept apart, the error record reported, $dbrnum? shown', async () => {
    const run = await runAgainstSimulator(driver, { scenario: 'libre' });
    expect(run.result.identity).toEqual({ manufacturer: 'Abbott', model: 'FreeStyle Libre reader', serial: 'JCMV241-T5678', firmware: '1.6.2' });
    expect(sent(run)).toEqual(['INIT', '$serlnum?', '$sn?', '$swver?', '$date?', '$time?', '$uom?', '$dbrnum?', '$arresult?']);
    const { readings } = run.result;
    expect(readings).toHaveLength(8);
    const scans = readings.filter((r) => r.flags.includes('sensor-scan'));
    expect(scans.map((r) => r.observations)).toEqual([142, 188, 76, 104].map((v) => [{ value: { kind: 'unmapped', label: 'sensor glucose', text: `${v} mg/dL` } }]));
    expect(readings.filter((r) => r.observations[0]?.code === '41653-7').map((r) => values(r)[0])).toEqual([98, 233, 61].map((v) => ({ kind: 'quantity', value: v, unit: 'mg/dL' })));
    expect(readings.filter((r) => r.observations[0]?.code === '66441-7').map(values)).toEqual([[{ kind: 'quantity', value: 0.6, unit: 'mmol/L', decimals: 1 }]]);
    expect(readings.every((r) => r.context === undefined && /:\d\d$/.test(r.deviceTime ?? ''))).toBe(true);
    expect(run.result.problems).toEqual({ DEVICE_ERROR: 1 });
  });

  it('split: replies cut at varied sizes, garbage padding, keep-alives and a 30 01 85 report change nothing', async () => {
    const run = await runAgainstSimulator(driver, { scenario: 'split' });
    expect(run.result.problems).toEqual({});
    expect(run.result.readings).toHaveLength(18);
    expect(received(run, MESSAGE_TYPE.unknownMessage)).toBeGreaterThan(0);
    expect(received(run, MESSAGE_TYPE.keepAlive)).toBeGreaterThan(0);
  });

  it('the meter option: libre skips $serlnum?; neo refuses a Libre; anything else is a configuration error', async () => {
    const libre = await runAgainstSimulator(driver, { scenario: 'libre', options: { meter: 'libre' } });
    expect(sent(libre).slice(0, 3)).toEqual(['INIT', '$sn?', '$swver?']);
    expect(libre.result.readings).toHaveLength(8);
    const neo = await runAgainstSimulator(driver, { scenario: 'libre', options: { meter: 'neo' } });
    expect(neo.result.error).toMatchObject({ code: 'DEVICE_ERROR', message: expect.stringContaining('$serlnum?') });
    const bad = await runAgainstSimulator(driver, { options: { meter: 'optium' } });
    expect(bad.result.error?.code).toBe('CONFIG_INVALID');
  });

  it('fault bad-checksum: every reply refused and re-asked, then PROTOCOL_CHECKSUM, no reading', async () => {
    const run = await runAgainstSimulator(driver, { fault: 'bad-checksum' });
    expect(run.result.readings).toEqual([]);
    expect(run.result.error?.code).toBe('PROTOCOL_CHECKSUM');
    expect(run.result.problems).toEqual({ PROTOCOL_CHECKSUM: 3 });
    expect(run.timersLeft).toBe(0);
  });

  it('fault truncate: every text report cut short is reported; the command fails, no reading', async () => {
    const run = await runAgainstSimulator(driver, { fault: 'truncate' });
    expect(run.result.readings).toEqual([]);
    expect(run.result.error?.code).toBe('PROTOCOL_TRUNCATED');
    expect(run.result.problems.PROTOCOL_TRUNCATED).toBeGreaterThanOrEqual(3);
    expect(run.timersLeft).toBe(0);
  });

  it('abort in the middle of a 500-record transfer ends at once, with no reading and no timer left', async () => {
    const run = await runAgainstSimulator(driver, { scenario: 'big', abortAfterMs: 200 });
    expect(run.result.end).toBe('aborted');
    expect(run.result.readings).toEqual([]);
    expect(ofType(run.events, 'progress').at(-1)?.done).toBeGreaterThan(0);
    expect(run.timersLeft).toBe(0);
  });

  it('big: 500 records in one download', async () => {
    const run = await runAgainstSimulator(driver, { scenario: 'big' });
    expect(ofType(run.events, 'progress').at(-1)).toEqual({ type: 'progress', done: 500, total: 500 });
    expect(run.result.readings.length).toBeGreaterThan(450);
  });

  it('rejects an unknown scenario plainly', async () => {
    const pair = createLinkPair({ mode: 'reports', reportSize: 64 });
    await expect(driver.simulator.run({ link: pair.device, clock: new VirtualClock(), signal: new AbortController().signal, scenario: 'nope' })).rejects.toMatchObject({ code: 'INPUT_INVALID' });
  });
});

describe('setClock', () => {
  it('sets a meter 2 h behind on request ($date,M,D,YY then $time,H,M); the next download sees no skew', async () => {
    const virtual = new VirtualClock(START);
    const clock = new TrackedClock(virtual);
    const pair = createLinkPair({ mode: 'reports', reportSize: 64 });
    const stop = new AbortController();
    const meter = driver.simulator.run({ link: pair.device, clock, signal: stop.signal, scenario: 'clock-off' });
    const events: SessionEvent[] = [];
    const traffic: TappedChunk[] = [];
    const first = runSession({ driver, link: new TappedLink(pair.host, (c) => traffic.push(c), clock), setDeviceClock: true, clock, onEvent: (e) => events.push(e) });
    await virtual.runUntilIdle();
    const result = await first;
    expect(result.deviceClock).toMatchObject({ deviceTime: '2026-01-15T07:00:00', set: true });
    expect(sentOf(traffic).slice(-2)).toEqual(['$date,1,15,26', '$time,9,0']);
    const second = runSession({ driver, link: pair.host, clock });
    await virtual.runUntilIdle();
    const again = await second;
    expect(Math.abs(again.deviceClock?.skewMs ?? Number.NaN)).toBeLessThan(60_000);
    expect(again.readings.some((r) => r.flags.includes('clock-skew'))).toBe(false);
    stop.abort();
    await meter;
    expect(clock.pending).toBe(0);
  });
});
