import { describe, expect, it } from 'vitest';
import { runAgainstSimulator } from '../../kit/index.ts';
import { decodeColq } from './decode.ts';
import { abbottFreestyleOptiumDriver as driver } from './driver.ts';
import { fromLatin1 } from '../../kit/index.ts';
import { FreestyleLineFramer } from '../../families/freestyle-serial/lines.ts';

const value = (r: { observations: readonly { value?: unknown }[] }): unknown => r.observations[0]?.value;
const codes = (r: { observations: readonly { code?: string }[] }): string | undefined => r.observations[0]?.code;

describe('abbott-freestyle-optium against its simulator', () => {
  it('downloads glucose and β-ketone, control apart, HI/LO, clock from $colq before the records', async () => {
    const run = await runAgainstSimulator(driver, { scenario: 'memory' });
    expect(run.result.error).toBeUndefined();
    const readings = run.result.readings;
    expect(readings).toHaveLength(60);
    expect(readings.filter((r) => r.kind === 'control')).toHaveLength(2);
    expect(readings.filter((r) => codes(r) === '66441-7').length).toBe(15);
    expect(readings.map(value)).toContainEqual({ kind: 'quantity', value: 500, unit: 'mg/dL', comparator: '>' });
    expect(readings.map(value)).toContainEqual({ kind: 'quantity', value: 20, unit: 'mg/dL', comparator: '<' });
    expect(readings.map(value)).toContainEqual({ kind: 'quantity', value: 8, unit: 'mmol/L', comparator: '>', decimals: 1 });
    expect(readings.filter((r) => r.flags.includes('meter-clock-lost'))).toHaveLength(1);
    expect(readings[0]?.device).toMatchObject({ manufacturer: 'Abbott', model: 'FreeStyle Optium', serial: 'SIMFO01-B0001', firmware: '1.00' });
    const types = run.events.map((e) => e.type);
    expect(types.indexOf('device-clock')).toBeLessThan(types.indexOf('progress'));
    expect(run.events.filter((e) => e.type === 'problem')).toEqual([]);
  });

  it("reads the notes' constructed dump (checksum 0x1C23): glucose 104, ketone 003 → 0.2 mmol/L, glucose HI", async () => {
    const run = await runAgainstSimulator(driver, { scenario: 'notes' });
    expect(run.result.error).toBeUndefined();
    expect(run.result.readings.map((r) => [r.deviceTime, value(r)])).toEqual([
      ['2024-03-04T21:05:00', { kind: 'quantity', value: 500, unit: 'mg/dL', comparator: '>' }],
      ['2024-03-04T22:00:00', { kind: 'quantity', value: 0.2, unit: 'mmol/L', decimals: 1 }],
      ['2024-03-05T07:42:00', { kind: 'quantity', value: 104, unit: 'mg/dL' }],
    ]);
  });

  it('asks again when the first command is ignored', async () => {
    const run = await runAgainstSimulator(driver, { scenario: 'first-ignored' });
    expect(run.result.error).toBeUndefined();
    expect(run.result.readings).toHaveLength(8);
  });

  it('re-reads a dump that fails its checksum: nothing lost or doubled', async () => {
    const run = await runAgainstSimulator(driver, { scenario: 'checksum-error' });
    expect(run.result.error).toBeUndefined();
    expect(run.result.readings).toHaveLength(20);
  });

  it('flags a mmol/L meter; glucose stays in mg/dL', async () => {
    const run = await runAgainstSimulator(driver, { scenario: 'mmol' });
    const glucose = run.result.readings.filter((r) => codes(r) === '41653-7');
    expect(glucose.length).toBeGreaterThan(0);
    expect(glucose.every((r) => r.flags.includes('display-unit:mmol/L'))).toBe(true);
  });

  it('an empty meter gives no reading and no error', async () => {
    const run = await runAgainstSimulator(driver, { scenario: 'empty' });
    expect(run.result.error).toBeUndefined();
    expect(run.result.readings).toHaveLength(0);
  });
});

describe('$colq', () => {
  it('reads serial, version, unit, clock and usage', () => {
    const text = 'S/N:\tMAGD123-A4567\r\nVer:\t1.00\tMMOL\r\nClock:\tMar  05 2024\t14:30:07\r\nMarket:\t1\t0\r\nROM:\t0\t0\t0\t0\r\nUsage:\t3\r\n';
    const lines = new FreestyleLineFramer().push(fromLatin1(text)).frames;
    expect(decodeColq(lines)).toEqual({ ok: true, value: { serial: 'MAGD123-A4567', version: '1.00', unitText: 'MMOL', deviceTime: '2024-03-05T14:30:07', usage: 3 } });
    expect(decodeColq(lines.slice(1)).ok).toBe(false);
  });
});
