import { describe, expect, it } from 'vitest';
import { runAgainstSimulator } from '../../kit/index.ts';
import { detectoSoloDriver } from './driver.ts';

type Run = Awaited<ReturnType<typeof runAgainstSimulator>>;
const facts = (run: Run): unknown[] =>
  run.result.readings.map((r) => r.observations.map((o) => [o.code, o.value?.kind === 'quantity' ? [o.value.value, o.value.unit, o.value.decimals] : undefined]));

describe('detecto-solo against its simulator', () => {
  it('weighings: four readings in the units printed; BMI only where printed; the zero weight a problem, not a reading', async () => {
    const run = await runAgainstSimulator(detectoSoloDriver, { scenario: 'weighings', startMs: Date.parse('2026-06-02T09:30:00Z') });
    expect(run.result.error).toBeUndefined();
    expect(facts(run)).toEqual([
      [['29463-7', [132.3, '[lb_av]', 1]], ['8302-2', [63, '[in_i]', 1]], ['39156-5', [21.5, 'kg/m2', 1]]],
      [['29463-7', [193.8, '[lb_av]', 1]], ['8302-2', [70.5, '[in_i]', 1]], ['39156-5', [27.8, 'kg/m2', 1]]],
      [['29463-7', [150.2, '[lb_av]', 1]]],
      [['29463-7', [71.3, 'kg', 1]], ['8302-2', [172, 'cm', 1]], ['39156-5', [24.1, 'kg/m2', 1]]],
    ]);
    expect(run.result.problems).toEqual({ DEVICE_ERROR: 1 });
    // The scale's clock is the simulator's: no skew, the device time stands.
    expect(run.result.readings.every((r) => r.deviceTime !== undefined && !r.flags.includes('clock-skew'))).toBe(true);
    expect(run.timersLeft).toBe(0);
  });

  it('stream: a weighing every 15 s, imperial and metric in turn', async () => {
    const run = await runAgainstSimulator(detectoSoloDriver, { scenario: 'stream', abortAfterMs: 61_000 });
    expect(run.result.readings.map((r) => r.observations[0]?.value)).toMatchObject([{ unit: '[lb_av]' }, { unit: 'kg' }, { unit: '[lb_av]' }, { unit: 'kg' }]);
  });

  it('on-request: nothing without a print request', async () => {
    const run = await runAgainstSimulator(detectoSoloDriver, { scenario: 'on-request' });
    expect(run.result.readings).toEqual([]);
    expect(run.result.problems).toEqual({});
  });
});
