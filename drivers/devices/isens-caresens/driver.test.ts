import { describe, expect, it } from 'vitest';
import type { Reading } from '../../../shared/reading.ts';
import { DriverManifestSchema, linkKinds, transportFor, TrackedClock, VirtualClock, createLinkPair, runSession, type SessionEvent } from '../../kit/index.ts';
import { expectCleanDownload, expectCompleted as expectDone, faultModeTest, simulatorPlayer, writtenChunks } from '../../../test/helpers/meter-session-tests.ts';
import { isensCaresensDriver as driver } from './index.ts';

const START = Date.UTC(2026, 0, 15, 9, 0, 0);
const play = simulatorPlayer(driver, START);
const value = (r: Reading): string => {
  const q = r.observations[0]?.value as { value: number; comparator?: string; unit: string };
  return `${q.comparator ?? ''}${q.value} ${q.unit}`;
};

describe('isens-caresens driver (against its simulator)', () => {
  it('has a valid manifest: HID numbered by the driver behind the CP2110 10c4:8a32, serial 9600 8N1 as well, a download meter', () => {
    expect(DriverManifestSchema.safeParse(driver.manifest).success).toBe(true);
    expect(driver.manifest.transport).toEqual({ type: 'hid', reportSize: 63, numberedByDriver: true });
    expect(linkKinds(driver.manifest)).toEqual(['hid', 'serial']);
    expect(transportFor(driver.manifest, 'serial')?.serial).toEqual({ baudRate: 9600, dataBits: 8, parity: 'none', stopBits: 1, flowControl: 'none' });
    expect(driver.manifest.usb.map((u) => [u.vendorId, u.productId])).toEqual([
      [0x10c4, 0x8a32],
      [0x0483, 0xa18b],
    ]);
  });

  it('downloads 40 records in two GLUE blocks: serial, clock, progress, control apart, HI/LO, ketone, meal flags', async () => {
    const run = await play('memory');
    const readings = expectCleanDownload(run, 40);
    expect(readings[0]?.device).toEqual({ manufacturer: 'i-SENS', model: 'CareSens N', serial: 'CSN12345678' });
    expect(readings.filter((r) => r.kind === 'control').map((r) => r.flags)).toEqual([['control-solution'], ['control-solution']]);
    expect(value(readings[3] as Reading)).toBe('>600 mg/dL');
    expect(value(readings[5] as Reading)).toBe('600 mg/dL');
    expect(value(readings[6] as Reading)).toBe('20 mg/dL');
    expect(value(readings[11] as Reading)).toBe('<20 mg/dL');
    expect(value(readings[13] as Reading)).toBe('1.2 mmol/L');
    expect(value(readings[14] as Reading)).toBe('>8 mmol/L');
    expect(readings[1]?.flags).toEqual(['meal:fasting']);
    expect(readings[10]?.flags).toEqual(['meal:after']);
    const times = readings.map((r) => r.deviceTime ?? '');
    expect([...times].sort().reverse()).toEqual(times);
    expect(run.result.deviceClock).toMatchObject({ deviceTime: '2026-01-15T09:00:00', canSet: true });
    const progress = run.events.flatMap((e) => (e.type === 'progress' ? [e.done] : []));
    expect(progress).toEqual([0, 27, 40]);
    // ECHO, then RSNB, RTIM, NCOT, GLUE 1+27, GLUE 28+13.
    const written = writtenChunks(run);
    expect(written[0]).toEqual([1, 0x80]);
    expect(written.at(-1)?.slice(7, 14)).toEqual([0x47, 0x4c, 0x55, 0x45, 0, 28, 13]);
  });

  it('the notes’ GLUE vector gives its two published results', async () => {
    const run = await play('notes');
    expectDone(run.result);
    expect(run.result.readings.map((r) => [r.deviceTime, value(r), r.flags])).toEqual([
      ['2024-03-05T07:42:00', '104 mg/dL', ['meal:fasting']],
      ['2024-03-04T21:05:00', '165 mg/dL', ['meal:after']],
    ]);
  });

  it('an empty meter (NCOT 0) completes with no reading and asks no GLUE', async () => {
    const run = await play('empty');
    expectDone(run.result);
    expect(run.result.readings).toEqual([]);
    expect(run.traffic.some((c) => c.direction === 'out' && Array.from(c.bytes).includes(0x47))).toBe(false);
  });

  it('reads the clock skew of a meter 2 h behind, and sets the clock with WTIM', async () => {
    const run = await play('clock-off');
    expectDone(run.result);
    expect(run.result.deviceClock).toMatchObject({ deviceTime: '2026-01-15T07:00:00' });
    expect(run.result.deviceClock?.skewMs).toBeGreaterThanOrEqual(2 * 3600_000);
    expect(run.result.deviceClock?.skewMs).toBeLessThan(2 * 3600_000 + 60_000);
  });

  it('sets a clock 2 h off with WTIM when asked, and the next download on the same meter finds it right', async () => {
    const virtual = new VirtualClock(START);
    const clock = new TrackedClock(virtual);
    const pair = createLinkPair({ mode: 'reports' });
    const stop = new AbortController();
    const meter = driver.simulator.run({ link: pair.device, clock, signal: stop.signal, scenario: 'clock-off' });
    const events: SessionEvent[] = [];
    const first = runSession({ driver, link: pair.host, clock, setDeviceClock: true, onEvent: (e) => events.push(e) });
    await virtual.runUntilIdle();
    const r1 = await first;
    expect(r1.end).toBe('completed');
    expect(r1.deviceClock?.set).toBe(true);
    expect(events.some((e) => e.type === 'problem' && /echoed/.test(e.message))).toBe(false);
    const second = runSession({ driver, link: pair.host, clock });
    await virtual.runUntilIdle();
    const r2 = await second;
    expect(r2.end).toBe('completed');
    expect(Math.abs(r2.deviceClock?.skewMs ?? Infinity)).toBeLessThan(60_000);
    // The same records as stored (the store's fingerprint is tested through the HID transport).
    const stored = (r: Reading): unknown => [r.device, r.deviceTime, r.kind, r.observations];
    expect(r2.readings.map(stored)).toEqual(r1.readings.map(stored));
    stop.abort();
    await meter;
  });

  it('asks again after a CRC failure or an ECRC error reply and reads every record once', async () => {
    const run = await play('crc-error');
    expectDone(run.result);
    const times = run.result.readings.map((r) => r.deviceTime);
    expect(times).toHaveLength(30);
    expect(new Set(times).size).toBe(30);
    expect(run.result.problems.PROTOCOL_CHECKSUM).toBe(2);
    expect(run.events.some((e) => e.type === 'problem' && /ECRC \(CRC error\)/.test(e.message))).toBe(true);
  });

  it('a meter silent to ECHO is read as protocol 3, with one problem said', async () => {
    const run = await play('silent-echo');
    expectDone(run.result);
    expect(run.result.readings).toHaveLength(5);
    expect(run.events.some((e) => e.type === 'problem' && /no answer to ECHO/.test(e.message))).toBe(true);
  });

  it('an older meter (protocol 1) is refused with a clear message', async () => {
    const run = await play('protocol-1');
    expect(run.result.end).toBe('failed');
    expect(run.result.error?.code).toBe('DEVICE_ERROR');
    expect(run.result.error?.message).toMatch(/protocol 1/);
    expect(run.timersLeft).toBe(0);
  });

  faultModeTest(driver, START);
});
