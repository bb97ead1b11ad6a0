import { describe, expect, it } from 'vitest';
import type { Reading } from '../../../shared/reading.ts';
import { DriverManifestSchema, runAgainstSimulator, toHex, type SessionResult } from '../../kit/index.ts';
import { verioLocalTime, verioSecondsFromEpochMs } from '../../families/lifescan/verio-time.ts';
import { lifescanOnetouchVerioIqDriver as driver } from './index.ts';
import { SCENARIOS } from './simulator.ts';

const START = Date.UTC(2026, 0, 15, 9, 0, 0);

const play = (scenario: string, opts: { fault?: 'bad-checksum' | 'truncate'; setDeviceClock?: boolean } = {}) =>
  runAgainstSimulator(driver, { scenario, startMs: START, ...(opts.fault ? { fault: opts.fault } : {}) });

function memoryOf(scenario: string) {
  const spec = SCENARIOS.find((s) => s.name === scenario)?.spec;
  if (!spec) throw new Error(scenario);
  return spec.records(verioSecondsFromEpochMs(START + spec.clockOffsetMs));
}

const value = (r: Reading): string => {
  const q = r.observations[0]?.value as { value: number; comparator?: string };
  return `${q.comparator ?? ''}${q.value}`;
};

function expectDone(result: SessionResult): void {
  expect(result.error, result.error?.message).toBeUndefined();
}

describe('lifescan-onetouch-verio-iq driver', () => {
  it('has a valid manifest: serial 38400 8N1, the meter’s own USB id, a download meter', () => {
    expect(DriverManifestSchema.safeParse(driver.manifest).success).toBe(true);
    expect(driver.manifest.transport).toEqual({ type: 'serial', serial: { baudRate: 38400, dataBits: 8, parity: 'none', stopBits: 1, flowControl: 'none' } });
    expect(driver.manifest.usb.map((u) => [u.vendorId, u.productId])).toEqual([[0x10c4, 0x85a7]]);
    expect(driver.manifest.kind).toBe('download');
  });

  it('downloads the whole memory in order, newest first, with progress and identity', async () => {
    const run = await play('memory');
    expectDone(run.result);
    expect(run.timersLeft).toBe(0);
    const memory = memoryOf('memory');
    const readings = run.result.readings;
    expect(readings.map((r) => r.deviceTime)).toEqual(memory.map((r) => verioLocalTime(r.meterSeconds)));
    expect(readings[0]?.device).toEqual({ manufacturer: 'LifeScan', model: 'OneTouch Verio IQ', serial: 'SIMIQ0001', firmware: 'SIM 01.02' });
    const progress = run.events.filter((e) => e.type === 'progress');
    expect(progress[0]).toMatchObject({ done: 0, total: 60 });
    expect(progress.at(-1)).toMatchObject({ done: 60, total: 60 });
    expect(run.result.problems).toEqual({});
    expect(run.result.end).toBe('completed');
  });

  it('keeps control solution apart, flags meals, and reads HI/LO codes as >600 / <20', async () => {
    const readings = (await play('memory')).result.readings;
    expect(readings.filter((r) => r.kind === 'control').map((r) => readings.indexOf(r))).toEqual([2, 9]);
    expect(readings[2]?.flags).toContain('control-solution');
    expect(readings[9] && value(readings[9])).toBe('128');
    expect(readings[3] && value(readings[3])).toBe('>600');
    expect(readings[3]?.flags).toContain('out-of-range:high');
    expect(readings[3]?.observations[0]?.interpretation).toBe('HH');
    expect(readings[5] && value(readings[5])).toBe('600');
    expect(readings[6] && value(readings[6])).toBe('20');
    expect(readings[11] && value(readings[11])).toBe('<20');
    expect(readings[11]?.observations[0]?.interpretation).toBe('LL');
    expect(readings[1]?.flags).toContain('meal:before');
    expect(readings[10]?.flags).toContain('meal:after');
    expect(readings[0]?.flags.some((f) => f.startsWith('meal:'))).toBe(false);
    expect(readings.every((r) => r.observations[0]?.value && (r.observations[0].value as { unit: string }).unit === 'mg/dL')).toBe(true);
  });

  it('reads the clock and flags a meter 2 h behind', async () => {
    const run = await play('clock-off');
    expectDone(run.result);
    const clock = run.events.find((e) => e.type === 'device-clock');
    expect(clock).toMatchObject({ type: 'device-clock', canSet: true });
    expect(clock && 'skewMs' in clock && Math.round(clock.skewMs / 1000)).toBe(7200);
    for (const r of run.result.readings) expect(r.flags).toContain('clock-skew');
  });

  it('sends the notes’ request bytes (PROTOCOL.md §9) and decodes the notes’ record', async () => {
    const run = await runAgainstSimulator(driver, { scenario: 'notes', startMs: Date.UTC(2024, 2, 5, 14, 30, 0) });
    expectDone(run.result);
    const out = run.traffic.filter((c) => c.direction === 'out').map((c) => toHex(c.bytes));
    expect(out).toContain('02 0A 00 03 0B 01 02 03 2A DC');
    expect(out).toContain('02 0A 00 03 09 02 02 03 12 68');
    expect(out).toContain('02 0A 00 03 21 00 00 03 9D D2');
    const inBytes = run.traffic.filter((c) => c.direction === 'in').map((c) => toHex(c.bytes)).join(' ');
    expect(inBytes).toContain('02 12 00 03 06 48 89 79 2D 68 00 00 01 00 00 03 A1 E8');
    expect(inBytes).toContain('02 0C 00 03 06 E8 E8 79 2D 03 88 E1');
    const first = run.result.readings[0];
    expect(first?.deviceTime).toBe('2024-03-05T07:42:00');
    expect(first && value(first)).toBe('104');
    expect(first?.flags).toEqual(['meal:before']);
    expect(first?.device.serial).toBe('XJJ1234AB');
  });

  it('the display unit mmol/L changes nothing but a flag', async () => {
    const readings = (await play('mmol')).result.readings;
    expect(readings.length).toBe(12);
    for (const r of readings) expect(r.flags).toContain('display-unit:mmol/L');
    expect((readings[0]?.observations[0]?.value as { unit: string }).unit).toBe('mg/dL');
  });

  it('does not check the reply prefix', async () => {
    const run = await play('prefix-04');
    expectDone(run.result);
    expect(run.result.readings.length).toBe(8);
  });

  it('asks again after a CRC error or a lost reply: nothing lost or doubled', async () => {
    for (const [scenario, code] of [['checksum-error', 'PROTOCOL_CHECKSUM'], ['lost-response', 'DEVICE_NO_RESPONSE']] as const) {
      const run = await play(scenario);
      expectDone(run.result);
      const memory = memoryOf(scenario);
      expect(run.result.readings.map((r) => r.deviceTime)).toEqual(memory.map((r) => verioLocalTime(r.meterSeconds)));
      expect(run.result.problems[code]).toBeGreaterThan(0);
    }
  });

  it('a device error stops the download with DEVICE_ERROR, keeping what was read', async () => {
    const run = await play('device-error');
    expect(run.result.error?.code).toBe('DEVICE_ERROR');
    expect(run.result.error?.message).toMatch(/reading record 6 of 12: the meter answered with status 0x09/);
    expect(run.result.readings.length).toBe(5);
  });

  it('an empty meter gives no reading and no error', async () => {
    const run = await play('empty');
    expectDone(run.result);
    expect(run.result.readings).toEqual([]);
  });

  it('a meter whose every reply is corrupt fails with a clear error, never a reading', async () => {
    const run = await play('memory', { fault: 'bad-checksum' });
    expect(run.result.readings).toEqual([]);
    expect(run.result.error?.code).toMatch(/PROTOCOL_CHECKSUM|DEVICE_NO_RESPONSE/);
  });
});
