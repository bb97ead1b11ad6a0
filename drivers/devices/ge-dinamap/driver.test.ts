import { describe, expect, it } from 'vitest';
import { runAgainstSimulator } from '../../kit/index.ts';
import { geDinamapDriver } from './driver.ts';

const codesOf = (r: { observations: { code?: string; mdc?: number }[] }): (string | undefined)[] => r.observations.map((o) => o.code);

describe('ge-dinamap against its simulator', () => {
  it('new-bp: one BP panel with the cuff pulse, one temperature in [degF]; the old result is not a reading', async () => {
    const run = await runAgainstSimulator(geDinamapDriver, { scenario: 'new-bp' });
    expect(run.result.error).toBeUndefined();
    expect(run.result.readings.map(codesOf)).toEqual([['85354-9', '8867-4'], ['8310-5']]);
    const [bp, temp] = run.result.readings;
    expect(bp?.observations[0]?.components?.map((c) => c.value)).toEqual([
      { kind: 'quantity', value: 120, unit: 'mm[Hg]' },
      { kind: 'quantity', value: 80, unit: 'mm[Hg]' },
      { kind: 'quantity', value: 93, unit: 'mm[Hg]' },
    ]);
    expect(temp?.observations[0]?.value).toEqual({ kind: 'quantity', value: 98.6, unit: '[degF]', decimals: 1 });
    expect(run.result.problems).toEqual({});
    expect(run.timersLeft).toBe(0);
  });

  it('steady: one SpO2 reading by the stability rule, pulse from the oximeter', async () => {
    const run = await runAgainstSimulator(geDinamapDriver, { scenario: 'steady' });
    expect(run.result.readings.map(codesOf)).toEqual([['59408-5', '8867-4']]);
    expect(run.result.readings[0]?.flags).toEqual(['auto-capture']);
  });

  it('temperature: stays in °F when the display is set to °C', async () => {
    const run = await runAgainstSimulator(geDinamapDriver, { scenario: 'temperature' });
    expect(run.result.readings.map((r) => r.observations[0]?.value)).toEqual([{ kind: 'quantity', value: 99.1, unit: '[degF]', decimals: 1 }]);
  });

  it('bad-checksum: every mismatch counted, the replies still used', async () => {
    const run = await runAgainstSimulator(geDinamapDriver, { scenario: 'bad-checksum' });
    expect(run.result.readings).toHaveLength(2);
    expect(run.result.problems.PROTOCOL_CHECKSUM ?? 0).toBeGreaterThan(20);
  });
});
