import { describe, expect, it } from 'vitest';
import type { Reading } from '../../../shared/reading.ts';
import { localToEpochMs, toOffsetDateTime } from '../../../shared/time.ts';
import { createLinkPair, DriverManifestSchema, runSession, type SessionEvent, type SessionResult, type SimulatorFault, type TappedChunk, TappedLink, TrackedClock, VirtualClock } from '../../kit/index.ts';
import { meterLocalTime, meterSecondsFromEpochMs } from './decode.ts';
import { lifescanOnetouchUltraeasyDriver as driver } from './index.ts';
import { SCENARIOS } from './simulator.ts';

const START = Date.UTC(2026, 0, 15, 9, 0, 0);

interface UltraEasyPlayed {
  result: SessionResult;
  events: SessionEvent[];
  /** What the host wrote and received, in order. */
  traffic: TappedChunk[];
  timersLeft: number;
}

/** The simulator and a session over a memory link pair, on a tracked virtual clock. */
async function play(scenario: string, opts: { fault?: SimulatorFault; setDeviceClock?: boolean; abortAtMs?: number } = {}): Promise<UltraEasyPlayed> {
  const virtual = new VirtualClock(START);
  const clock = new TrackedClock(virtual);
  const pair = createLinkPair();
  const stopMeter = new AbortController();
  const stopSession = new AbortController();
  const events: SessionEvent[] = [];
  const traffic: TappedChunk[] = [];
  const host = new TappedLink(pair.host, (c) => traffic.push(c), clock);
  const meter = driver.simulator
    .run({ link: pair.device, clock, signal: stopMeter.signal, scenario, ...(opts.fault ? { fault: opts.fault } : {}) })
    .then(() => pair.device.close());
  const session = runSession({ driver, link: host, clock, signal: stopSession.signal, setDeviceClock: opts.setDeviceClock, onEvent: (e) => events.push(e) }).finally(() => {
    stopMeter.abort();
    void pair.host.close();
  });
  if (opts.abortAtMs !== undefined) {
    await virtual.runUntilIdle(opts.abortAtMs);
    stopSession.abort();
  }
  await virtual.runUntilIdle();
  const [result] = await Promise.all([session, meter]);
  await virtual.runUntilIdle();
  return { result, events, traffic, timersLeft: clock.pending };
}

/** What the scenario's memory holds, as [deviceTime, stored value], index 0 first. */
function memoryOf(scenario: string): [string, number][] {
  const spec = SCENARIOS.find((s) => s.name === scenario)?.spec;
  if (!spec) throw new Error(scenario);
  return spec.records(meterSecondsFromEpochMs(START + spec.clockOffsetMs)).map((r) => [meterLocalTime(r.meterSeconds), r.mgdl]);
}

const glucose = (r: Reading): unknown => r.observations[0]?.value;
const asPairs = (readings: Reading[]): [string | undefined, unknown][] =>
  readings.map((r) => {
    const v = glucose(r) as { value: number; comparator?: string };
    return [r.deviceTime, v.comparator ? `${v.comparator}${v.value}` : v.value];
  });
/** The memory as the driver must report it: codes outside 20..600 become `>600` / `<20`. */
const expectedPairs = (scenario: string, count?: number): [string, unknown][] =>
  memoryOf(scenario)
    .slice(0, count)
    .map(([t, v]) => [t, v > 600 ? '>600' : v < 20 ? '<20' : v]);
const progress = (events: SessionEvent[]) => events.flatMap((e) => (e.type === 'progress' ? [[e.done, e.total]] : []));
const problemCodes = (events: SessionEvent[]) => events.flatMap((e) => (e.type === 'problem' ? [e.code] : []));

describe('lifescan-onetouch-ultraeasy against its simulator', () => {
  it('has a valid manifest and the scenarios the issue asks for, memory first', () => {
    expect(DriverManifestSchema.safeParse(driver.manifest).success).toBe(true);
    const names = driver.simulator.scenarios.map((s) => s.name);
    expect(names[0]).toBe('memory');
    expect(names).toEqual(expect.arrayContaining(['empty', 'mmol', 'checksum-error', 'clock-off', 'big']));
  });

  it('memory: reads every record with its meter time, HI and LO as bounds, progress 0 → 60', async () => {
    const { result, events, timersLeft } = await play('memory');
    expect(result.end).toBe('completed');
    expect(result.error).toBeUndefined();
    expect(result.problems).toEqual({});
    expect(result.identity).toEqual({ manufacturer: 'LifeScan', model: 'OneTouch UltraEasy / UltraMini', serial: 'SIMUE0001', firmware: 'P02.00.00 30/08/06' });
    expect(result.readings).toHaveLength(60);
    expect(asPairs(result.readings)).toEqual(expectedPairs('memory'));
    const hi = result.readings[3] as Reading;
    expect(hi.observations[0]).toMatchObject({ code: '41653-7', value: { value: 600, unit: 'mg/dL', comparator: '>' }, interpretation: 'HH' });
    expect(hi.flags).toEqual(['out-of-range:high']);
    const lo = result.readings[11] as Reading;
    expect(lo.observations[0]).toMatchObject({ value: { value: 20, comparator: '<' }, interpretation: 'LL' });
    expect(lo.flags).toEqual(['out-of-range:low']);
    expect(result.readings[5]?.flags).toEqual([]);
    for (const r of result.readings) {
      expect(r.kind).toBe('patient');
      expect(r.context).toBeUndefined();
      expect(r.device.serial).toBe('SIMUE0001');
      expect(r.clock?.source).toBe('device');
      expect(r.effectiveTime).toBe(`${r.deviceTime}+00:00`);
    }
    // The clock is read first, then the count, then progress as records arrive.
    const kinds = events.map((e) => e.type).filter((t) => t === 'device-clock' || t === 'progress' || t === 'reading');
    expect(kinds.slice(0, 4)).toEqual(['device-clock', 'progress', 'reading', 'progress']);
    expect(progress(events)).toEqual(Array.from({ length: 61 }, (_, i) => [i, 60]));
    expect(result.deviceClock).toMatchObject({ canSet: true, set: false });
    expect(Math.abs(result.deviceClock?.skewMs ?? Infinity)).toBeLessThan(1000);
    expect(timersLeft).toBe(0);
  });

  it('keeps each record’s response packet as its raw frame', async () => {
    const { events } = await play('count-06');
    const raws = events.flatMap((e) => (e.type === 'reading' ? [e.raw] : []));
    expect(raws).toHaveLength(8);
    for (const raw of raws) expect(raw.map((r) => r.length)).toEqual([16]);
  });

  it('empty: total 0, no reading, normal end', async () => {
    const { result, events } = await play('empty');
    expect(result.end).toBe('completed');
    expect(result.readings).toEqual([]);
    expect(progress(events)).toEqual([[0, 0]]);
    expect(events.some((e) => e.type === 'device-clock')).toBe(true);
  });

  it('mmol: a meter displaying mmol/L still reports mg/dL; values are kept, the display is flagged', async () => {
    const { result } = await play('mmol');
    expect(result.readings).toHaveLength(12);
    expect(asPairs(result.readings)).toEqual(expectedPairs('mmol'));
    for (const r of result.readings) {
      expect(r.observations[0]).toMatchObject({ code: '41653-7', value: { unit: 'mg/dL' } });
      expect(r.flags).toContain('display-unit:mmol/L');
    }
  });

  it('count status 0x0F (memory) and 0x06 (count-06) both give the count [INFERRED]', async () => {
    const { result } = await play('count-06');
    expect(result.problems).toEqual({});
    expect(asPairs(result.readings)).toEqual(expectedPairs('count-06'));
  });

  it('checksum-error: a corrupt response and a corrupt ACK are reported, retried, nothing lost or doubled', async () => {
    const { result, events } = await play('checksum-error');
    expect(result.end).toBe('completed');
    expect(result.problems).toEqual({ PROTOCOL_CHECKSUM: 2 });
    expect(asPairs(result.readings)).toEqual(expectedPairs('checksum-error'));
    expect(new Set(result.readings.map((r) => r.deviceTime)).size).toBe(60);
    expect(progress(events).at(-1)).toEqual([60, 60]);
  });

  it('lost-response: silence after the ACK is reported, the same request is sent again, no loss', async () => {
    const { result, traffic } = await play('lost-response');
    expect(result.end).toBe('completed');
    expect(result.problems).toEqual({ DEVICE_NO_RESPONSE: 1 });
    expect(asPairs(result.readings)).toEqual(expectedPairs('lost-response'));
    // The request for record 4 (message 05 1F 04 00) went out twice, with the same bytes.
    const record4 = traffic.flatMap((e) => (e.direction === 'out' && e.bytes.length === 10 && e.bytes[4] === 0x1f && e.bytes[5] === 4 && e.bytes[6] === 0 ? [e.bytes.join()] : []));
    expect(record4).toHaveLength(2);
    expect(record4[0]).toBe(record4[1]);
  });

  it('late-response: the late answer is used once; its duplicate is dropped, not taken for the next record', async () => {
    const { result, events } = await play('late-response');
    expect(result.end).toBe('completed');
    expect(asPairs(result.readings)).toEqual(expectedPairs('late-response'));
    expect(new Set(result.readings.map((r) => r.deviceTime)).size).toBe(12);
    expect(problemCodes(events)).toContain('DEVICE_NO_RESPONSE');
    expect(events.some((e) => e.type === 'problem' && /late duplicate/.test(e.message))).toBe(true);
  });

  it('meter that keeps glucometerutils’ sequence bits: no problem reported (memory run above); one that flips them: reported once, tolerated', async () => {
    const { result, events } = await play('inverted-bits');
    expect(result.end).toBe('completed');
    expect(asPairs(result.readings)).toEqual(expectedPairs('inverted-bits'));
    const reports = events.flatMap((e) => (e.type === 'problem' ? [e.message] : []));
    expect(reports).toHaveLength(1);
    expect(reports[0]).toMatch(/does not keep the sequence bits/);
  });

  it('device-error: status 0x09 fails clearly with DEVICE_ERROR, keeping the records read before', async () => {
    const { result, timersLeft } = await play('device-error');
    expect(result.end).toBe('failed');
    expect(result.error?.code).toBe('DEVICE_ERROR');
    expect(result.error?.message).toMatch(/record 6 of 12.*0x09/);
    expect(asPairs(result.readings)).toEqual(expectedPairs('device-error', 5));
    expect(timersLeft).toBe(0);
  });

  it('clock-off: a meter 2 h behind is measured, flagged clock-skew and corrected', async () => {
    const { result } = await play('clock-off');
    const skew = result.deviceClock?.skewMs ?? 0;
    expect(skew).toBeGreaterThanOrEqual(2 * 3600_000);
    expect(skew).toBeLessThan(2 * 3600_000 + 1000);
    expect(result.readings).toHaveLength(12);
    for (const r of result.readings) {
      expect(r.flags).toContain('clock-skew');
      expect(r.clock).toEqual({ source: 'device-corrected', skewSeconds: 7200 });
      expect(r.effectiveTime).toBe(toOffsetDateTime(localToEpochMs(r.deviceTime ?? '') + skew));
    }
  });

  it('setClock: on request, writes the workstation time as meter-local seconds; the meter echoes it', async () => {
    const { result, traffic } = await play('clock-off', { setDeviceClock: true });
    expect(result.end).toBe('completed');
    expect(result.deviceClock?.set).toBe(true);
    expect(result.problems).toEqual({});
    const writes = traffic.flatMap((e) => (e.direction === 'out' && e.bytes[3] === 0x05 && e.bytes[4] === 0x20 && e.bytes[5] === 0x01 ? [e.bytes] : []));
    expect(writes).toHaveLength(1);
    const seconds = new DataView((writes[0] as Uint8Array).buffer).getUint32(6, true);
    // Set after the download, some seconds of virtual time after START.
    expect(seconds * 1000 - START).toBeGreaterThanOrEqual(0);
    expect(seconds * 1000 - START).toBeLessThan(60_000);
  });

  it('bad-checksum fault: every packet corrupt → retries, then PROTOCOL_CHECKSUM, no reading', async () => {
    const { result, timersLeft } = await play('memory', { fault: 'bad-checksum' });
    expect(result.end).toBe('failed');
    expect(result.error?.code).toBe('PROTOCOL_CHECKSUM');
    expect(result.readings).toEqual([]);
    expect(result.problems.PROTOCOL_CHECKSUM).toBeGreaterThanOrEqual(4);
    expect(timersLeft).toBe(0);
  });

  it('truncate fault: every packet cut short → problems reported, typed failure, no reading', async () => {
    const { result, timersLeft } = await play('memory', { fault: 'truncate' });
    expect(result.end).toBe('failed');
    expect(['DEVICE_NO_RESPONSE', 'PROTOCOL_CHECKSUM']).toContain(result.error?.code);
    expect(result.readings).toEqual([]);
    expect((result.problems.PROTOCOL_TRUNCATED ?? 0) + (result.problems.PROTOCOL_CHECKSUM ?? 0)).toBeGreaterThan(0);
    expect(timersLeft).toBe(0);
  });

  it('abort in the middle of a 500-record download ends promptly, with no timer left', async () => {
    const { result, timersLeft } = await play('big', { abortAtMs: 3_000 });
    expect(result.end).toBe('aborted');
    expect(result.readings.length).toBeGreaterThan(10);
    expect(result.readings.length).toBeLessThan(500);
    expect(timersLeft).toBe(0);
  });

  it('big: reads a full memory of 500 records, each once', async () => {
    const { result, events } = await play('big');
    expect(result.readings).toHaveLength(500);
    expect(new Set(result.readings.map((r) => r.deviceTime)).size).toBe(500);
    expect(progress(events).at(-1)).toEqual([500, 500]);
  });
});
