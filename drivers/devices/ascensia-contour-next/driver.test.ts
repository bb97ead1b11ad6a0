import { describe, expect, it } from 'vitest';
import { ReadingSchema, type Reading } from '../../../shared/reading.ts';
import { createLinkPair, DriverManifestSchema, latin1, runAgainstSimulator, runSession, type SessionEvent, TrackedClock, VirtualClock } from '../../kit/index.ts';
import { CONTOUR_FRAMES, CONTOUR_HEADER_TEXT } from '../../families/astm/vectors.ts';
import { ascensiaContourNextDriver as driver } from './index.ts';
import { runMeterSession } from './meter-session.ts';
import { unwrapReport } from './protocol.ts';
import type { MeterPlan } from './simulated-device.ts';
import { runContourMeter, scenarioPlan } from './simulator.ts';

const START = Date.UTC(2026, 0, 15, 9, 0, 20);
const strip = (rs: readonly Reading[]): unknown[] => rs.map(({ receivedAt: _r, ...rest }) => rest);
/** What the meter received from the host, one string per report ('\x06' = ACK). */
const hostWords = (reports: readonly Uint8Array[]): string[] => reports.map((r) => latin1(unwrapReport(r).payload));
const ofType = <T extends SessionEvent['type']>(events: readonly SessionEvent[], type: T): Extract<SessionEvent, { type: T }>[] =>
  events.flatMap((e) => (e.type === type ? [e as Extract<SessionEvent, { type: T }>] : []));
const run = (scenario: string, extra: Partial<MeterPlan> = {}) => runMeterSession(driver, { ...scenarioPlan(scenario), ...extra }, { startMs: START });
const value = (r: Reading | undefined): unknown => r?.observations[0]?.value;

describe('manifest', () => {
  it('is valid: HID 64-byte reports, vendor 1a79 with the nine product ids of PROTOCOL.md §2', () => {
    const m = driver.manifest;
    expect(DriverManifestSchema.safeParse(m).success).toBe(true);
    expect(m).toMatchObject({ id: 'ascensia-contour-next', category: 'glucose', kind: 'download', transport: { type: 'hid', reportSize: 64 }, checksum: true });
    expect(m.usb.map((u) => u.productId.toString(16))).toEqual(['6002', '7410', '7350', '7800', '7900', '7950', '6200', '6300', '6210']);
    expect(m.usb.every((u) => u.vendorId === 0x1a79 && u.note.length > 0)).toBe(true);
  });
});

describe('download from the simulated meter', () => {
  it('memory: identity, meter clock first, progress 0 → 60, 60 readings with control, HI, LO and meal flags', async () => {
    const { result, events, timersLeft, hostReports } = await run('memory');
    expect(result.end).toBe('completed');
    expect(result.problems).toEqual({});
    expect(result.identity).toEqual({ manufacturer: 'Ascensia (Bayer)', model: 'Contour Next USB', serial: '7410-1234567', firmware: '01.24/01.04/09.02.20' });
    const clock = ofType(events, 'device-clock');
    expect(clock).toHaveLength(1);
    expect(clock[0]).toMatchObject({ deviceTime: '2026-01-15T09:00:00', canSet: true });
    expect(Math.round((clock[0]?.skewMs ?? 0) / 1000)).toBe(20);
    expect(events.findIndex((e) => e.type === 'device-clock')).toBeLessThan(events.findIndex((e) => e.type === 'reading'));
    const progress = ofType(events, 'progress');
    expect(progress[0]).toEqual({ type: 'progress', done: 0, total: 60 });
    expect(progress.at(-1)).toEqual({ type: 'progress', done: 60, total: 60 });
    expect(progress.map((p) => p.done)).toEqual(Array.from({ length: 61 }, (_, i) => i));

    const readings = result.readings;
    expect(readings).toHaveLength(60);
    expect(readings.every((r) => ReadingSchema.safeParse(r).success && r.context?.sequence === undefined && r.device.serial === '7410-1234567')).toBe(true);
    const controls = readings.filter((r) => r.kind === 'control');
    expect(controls).toHaveLength(1);
    expect(controls[0]?.flags).toEqual(['control-solution']);
    const hi = readings.find((r) => r.flags.includes('out-of-range:high'));
    const lo = readings.find((r) => r.flags.includes('out-of-range:low'));
    expect(hi?.observations[0]).toMatchObject({ value: { value: 600, comparator: '>' }, interpretation: 'HH' });
    expect(lo?.observations[0]).toMatchObject({ value: { value: 10, comparator: '<' }, interpretation: 'LL' });
    expect(readings.filter((r) => r.flags.includes('meal:before'))).toHaveLength(13);
    expect(readings.filter((r) => r.flags.includes('meal:after'))).toHaveLength(14);
    expect(readings.some((r) => r.flags.includes('logbook'))).toBe(true);
    // Stored results: oldest first, each stated in meter time, not flagged (clock within 5 min).
    expect(readings[0]?.deviceTime).toBe('2025-12-30T16:00:00');
    expect(readings.every((r) => r.clock?.source === 'device' && !r.flags.includes('clock-skew'))).toBe(true);
    // One kick, one ACK for ENQ, one per frame (H, P, 60 R, L).
    expect(hostWords(hostReports)).toEqual(Array.from({ length: 65 }, () => '\x06'));
    expect(timersLeft).toBe(0);
  });

  it('each reading carries the raw frame of its record', async () => {
    const { events } = await run('memory');
    const first = ofType(events, 'reading')[0];
    expect(first?.raw).toHaveLength(1);
    expect(latin1(first?.raw[0] ?? new Uint8Array())).toMatch(/^\x023R\|1\|\^\^\^Glucose\|\d+\|mg\/dL\^P\|\|.*\|\|\d{12}\r\x17[0-9A-F]{2}\r\n$/);
  });

  it('empty: total 0, no readings, a normal end', async () => {
    const { result, events } = await run('empty');
    expect(result.end).toBe('completed');
    expect(result.readings).toEqual([]);
    expect(ofType(events, 'progress')).toEqual([{ type: 'progress', done: 0, total: 0 }]);
    expect(ofType(events, 'device-clock')).toHaveLength(1);
  });

  it('mmol: values stay mmol/L (14743-9); HI/LO at the numbers the meter printed (V is mg/dL there)', async () => {
    const { result } = await run('mmol');
    expect(result.readings).toHaveLength(60);
    expect(result.readings.every((r) => r.observations[0]?.code === '14743-9')).toBe(true);
    expect(value(result.readings[12])).toEqual({ kind: 'quantity', value: 33.3, unit: 'mmol/L', comparator: '>' });
    expect(value(result.readings[20])).toEqual({ kind: 'quantity', value: 0.6, unit: 'mmol/L', comparator: '<' });
    expect(value(result.readings[0])).toEqual({ kind: 'quantity', value: 5.9, unit: 'mmol/L', decimals: 1 });
  });

  it('checksum-error: one NAK, the retransmission taken, nothing lost or doubled', async () => {
    const clean = await run('memory');
    const { result, hostReports, meter } = await run('checksum-error');
    expect(strip(result.readings)).toEqual(strip(clean.result.readings));
    expect(result.problems).toEqual({ PROTOCOL_CHECKSUM: 1 });
    expect(hostWords(hostReports).filter((w) => w === '\x15')).toHaveLength(1);
    expect(meter.sends[5]).toBe(2);
  });

  it('clock-off: the meter is 2 h behind; readings are flagged and corrected by the skew', async () => {
    const { result } = await run('clock-off');
    expect(result.deviceClock?.deviceTime).toBe('2026-01-15T07:00:00');
    expect(Math.round((result.deviceClock?.skewMs ?? 0) / 1000)).toBe(7220);
    const first = result.readings[0];
    expect(first?.flags).toContain('clock-skew');
    expect(first?.deviceTime).toBe('2025-12-30T14:00:00');
    expect(first?.effectiveTime).toBe('2025-12-30T16:00:20+00:00');
    expect(first?.clock).toEqual({ source: 'device-corrected', skewSeconds: 7220 });
  });

  it.each(['split', 'burst', 'lost-ack', 'etx', 'no-terminator'])('%s gives the same readings as memory, with no problem', async (scenario) => {
    const clean = await run('memory');
    const { result, timersLeft } = await run(scenario);
    expect(result.end).toBe('completed');
    expect(result.problems).toEqual({});
    expect(strip(result.readings)).toEqual(strip(clean.result.readings));
    expect(timersLeft).toBe(0);
  });

  it('burst: the host answers the EOT + header + ENQ transfer with one ACK, and takes the header again', async () => {
    const { hostReports, meter } = await run('burst');
    expect(hostWords(hostReports)).toHaveLength(65);
    expect(meter.sends[0]).toBe(1); // the burst's copy is not counted as a frame send
  });

  it('lost-ack: the repeated frame is ACKed again, not read twice', async () => {
    const { result, hostReports, meter } = await run('lost-ack');
    expect(meter.sends[4]).toBe(2);
    expect(hostWords(hostReports)).toHaveLength(66);
    expect(new Set(result.readings.map((r) => r.deviceTime)).size).toBe(60);
  });

  it('link-2.4: 14-digit times keep their seconds; next-one: its serial format', async () => {
    const link = await run('link-2.4');
    expect(link.result.identity?.model).toBe('Contour Next Link 2.4');
    expect(link.result.readings[0]?.deviceTime).toMatch(/T\d{2}:\d{2}:20$/);
    const one = await run('next-one');
    expect(one.result.identity).toMatchObject({ model: 'Contour Next One / Contour Plus One', serial: '7830H5001733' });
    expect(one.result.readings).toHaveLength(60);
  });
});

describe('the example frames of PROTOCOL.md §4, after the glucometerutils burst', () => {
  it('reads the real header and the two PROTOCOL.md §4 example results (checked by hand)', async () => {
    const plan: MeterPlan = { header: () => CONTOUR_HEADER_TEXT, records: () => CONTOUR_FRAMES.slice(1).map((f) => f.text.slice(0, -1)), clockOffsetMs: 0, frameEnd: 'bayer', startWithBurst: true };
    const { result, events } = await runMeterSession(driver, plan, { startMs: Date.UTC(2019, 8, 22, 13, 4, 20) });
    expect(result.end).toBe('completed');
    expect(result.problems).toEqual({});
    expect(result.identity).toEqual({ manufacturer: 'Ascensia (Bayer)', model: 'Contour USB', serial: '7390-2336773', firmware: '01.24/01.04/09.02.20' });
    expect(result.deviceClock).toMatchObject({ deviceTime: '2019-09-22T13:04:00', canSet: true });
    expect(result.readings.map((r) => [r.deviceTime, value(r), r.flags, r.context?.method])).toEqual([
      ['2015-05-26T11:50:00', { kind: 'quantity', value: 93, unit: 'mg/dL' }, ['meal:after', 'marker:M0', 'marker:T1'], 'plasma'],
      ['2012-02-05T20:34:00', { kind: 'quantity', value: 133, unit: 'mg/dL' }, ['meal:before', 'marker:X'], 'plasma'],
    ]);
    // The header announced 1714 results; after the L record, what came is the whole.
    expect(ofType(events, 'progress').map((p) => [p.done, p.total])).toEqual([[0, 1714], [1, 1714], [2, 1714], [2, 2]]);
  });
});

describe('faults and endings', () => {
  it('bad-checksum: 6 NAKs, the meter gives up, PROTOCOL_CHECKSUM, no reading', async () => {
    const r = await runAgainstSimulator(driver, { fault: 'bad-checksum' });
    expect(r.result.end).toBe('failed');
    expect(r.result.error?.code).toBe('PROTOCOL_CHECKSUM');
    expect(r.result.readings).toEqual([]);
    expect(r.result.problems.PROTOCOL_CHECKSUM).toBe(6);
    expect(r.timersLeft).toBe(0);
  });

  it('truncate: every frame cut short: timeouts, NAKs, then DEVICE_NO_RESPONSE; no reading', async () => {
    const r = await runAgainstSimulator(driver, { fault: 'truncate' });
    expect(r.result.end).toBe('failed');
    expect(r.result.error?.code).toBe('DEVICE_NO_RESPONSE');
    expect(r.result.readings).toEqual([]);
    expect(r.result.problems.PROTOCOL_TRUNCATED ?? 0).toBeGreaterThan(0);
    expect(r.timersLeft).toBe(0);
  });

  it('abort mid-download ends promptly with the readings so far and no timer left', async () => {
    const virtual = new VirtualClock(START);
    const clock = new TrackedClock(virtual);
    const pair = createLinkPair({ mode: 'reports', reportSize: 64 });
    const stopMeter = new AbortController();
    const stopSession = new AbortController();
    let abortedAt: number | undefined;
    let seen = 0;
    const meter = runContourMeter({ link: pair.device, clock, signal: stopMeter.signal, scenario: 'big' }, scenarioPlan('big'));
    const session = runSession({
      driver,
      link: pair.host,
      clock,
      signal: stopSession.signal,
      onEvent: (e) => {
        if (e.type === 'reading' && ++seen === 10) {
          abortedAt = virtual.now();
          stopSession.abort();
        }
      },
    });
    let endedAt: number | undefined;
    void session.then(() => (endedAt = virtual.now()));
    await virtual.runUntilIdle();
    const result = await session;
    stopMeter.abort();
    await pair.host.close();
    await meter;
    await virtual.runUntilIdle();
    expect(result.end).toBe('aborted');
    expect(result.readings).toHaveLength(10);
    expect(endedAt).toBe(abortedAt); // stopping took no (virtual) time
    expect(clock.pending).toBe(0);
  });
});
