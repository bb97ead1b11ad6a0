import { describe, expect, it } from 'vitest';
import type { Reading } from '../../../shared/reading.ts';
import { DriverManifestSchema } from '../../kit/index.ts';
import { expectCleanDownload, expectCompleted as expectDone, faultModeTest, simulatorPlayer, writtenChunks } from '../../../test/helpers/meter-session-tests.ts';
import { taidocTd42xxDriver as driver } from './index.ts';

const START = Date.UTC(2026, 0, 15, 9, 0, 0);
const play = simulatorPlayer(driver, START);
const value = (r: Reading): string => {
  const q = r.observations[0]?.value as { value: number; comparator?: string };
  return `${q.comparator ?? ''}${q.value}`;
};

describe('taidoc-td42xx driver (against its simulator)', () => {
  it('has a valid manifest: HID numbered by the driver behind the CP2110 10c4:ea80, a download meter', () => {
    expect(DriverManifestSchema.safeParse(driver.manifest).success).toBe(true);
    expect(driver.manifest.transport).toEqual({ type: 'hid', reportSize: 63, numberedByDriver: true });
    expect(driver.manifest.usb.map((u) => [u.vendorId, u.productId])).toEqual([[0x10c4, 0xea80]]);
  });

  it('downloads the memory newest first: identity, clock, progress, control apart, HI/LO, meal flags', async () => {
    const run = await play('memory');
    const readings = expectCleanDownload(run, 40);
    expect(readings[0]?.device).toEqual({ manufacturer: 'TaiDoc', model: 'TD-4277', serial: '8765432112345678' });
    expect(readings.filter((r) => r.kind === 'control').map((r) => r.flags)).toEqual([['control-solution'], ['control-solution']]);
    expect(value(readings[3] as Reading)).toBe('>600');
    expect(value(readings[5] as Reading)).toBe('600');
    expect(value(readings[6] as Reading)).toBe('20');
    expect(value(readings[11] as Reading)).toBe('<20');
    expect(readings[1]?.flags).toEqual(['meal:before']);
    expect(readings[3]?.flags).toEqual(['out-of-range:high', 'meal:after']);
    expect(readings.every((r) => r.observations[0]?.value && (r.observations[0].value as { unit: string }).unit === 'mg/dL')).toBe(true);
    // Newest first, minutes only.
    const times = readings.map((r) => r.deviceTime ?? '');
    expect([...times].sort().reverse()).toEqual(times);
    expect(times.every((t) => t.endsWith(':00'))).toBe(true);
    expect(run.result.deviceClock).toMatchObject({ deviceTime: '2026-01-15T09:00:00', canSet: true });
    const progress = run.events.flatMap((e) => (e.type === 'progress' ? [e] : []));
    expect(progress.at(-1)).toEqual({ type: 'progress', done: 40, total: 40 });
  });

  it('an empty meter (count 0, FFFF) completes with no reading', async () => {
    const run = await play('empty');
    expectDone(run.result);
    expect(run.result.readings).toEqual([]);
  });

  it('reads the clock skew of a meter 2 h behind', async () => {
    const run = await play('clock-off');
    expectDone(run.result);
    expect(run.result.deviceClock).toMatchObject({ deviceTime: '2026-01-15T07:00:00' });
    // Two hours, plus the few ms the first exchanges took on the wire.
    expect(run.result.deviceClock?.skewMs).toBeGreaterThanOrEqual(2 * 3600_000);
    expect(run.result.deviceClock?.skewMs).toBeLessThan(2 * 3600_000 + 60_000);
  });

  it('the notes’ vectors replay to their published times and values', async () => {
    const run = await play('notes');
    expectDone(run.result);
    expect(run.result.readings.map((r) => [r.deviceTime, value(r), r.flags])).toEqual([
      ['2019-08-04T13:37:00', '104', ['meal:before']],
      ['2019-01-01T21:14:00', '95', []],
      ['2018-01-01T21:14:00', '143', ['meal:after']],
    ]);
  });

  it('skips the unsolicited 54 notice without a problem', async () => {
    const run = await play('notice');
    expectDone(run.result);
    expect(run.result.readings).toHaveLength(6);
    expect(run.result.problems).toEqual({});
  });

  it('a meter without serial commands is read without a serial number, with one problem said', async () => {
    const run = await play('no-serial');
    expectDone(run.result);
    expect(run.result.readings).toHaveLength(5);
    expect(run.result.readings[0]?.device).toEqual({ manufacturer: 'TaiDoc', model: 'TD-4116' });
    expect(run.events.some((e) => e.type === 'problem' && /no serial number/.test(e.message))).toBe(true);
  });

  it('a ketone test is reported and not imported', async () => {
    const run = await play('other-types');
    expectDone(run.result);
    expect(run.result.readings).toHaveLength(5);
    expect(run.events.some((e) => e.type === 'problem' && /ketone measurement/.test(e.message))).toBe(true);
  });

  it('asks again after a bad checksum or a lost reply and reads every record once', async () => {
    for (const scenario of ['checksum-error', 'lost-response']) {
      const run = await play(scenario);
      expectDone(run.result);
      const times = run.result.readings.map((r) => r.deviceTime);
      expect(new Set(times).size, scenario).toBe(times.length);
      expect(times.length, scenario).toBe(scenario === 'checksum-error' ? 12 : 8);
    }
  });

  faultModeTest(driver, START);

  it('turns the meter off at the end', async () => {
    const run = await play('empty');
    const written = writtenChunks(run);
    expect(written.at(-1)).toEqual([8, 0x51, 0x50, 0, 0, 0, 0, 0xa3, 0x44]);
  });
});
