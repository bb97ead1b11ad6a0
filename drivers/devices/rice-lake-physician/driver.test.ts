import { describe, expect, it } from 'vitest';
import { runAgainstSimulator } from '../../kit/index.ts';
import { riceLakePhysicianDriver } from './driver.ts';

type Run = Awaited<ReturnType<typeof runAgainstSimulator>>;
const facts = (run: Run): unknown[] =>
  run.result.readings.map((r) => [r.flags, r.observations.map((o) => [o.code, o.value?.kind === 'quantity' ? [o.value.value, o.value.unit, o.value.decimals] : undefined])]);

describe('rice-lake-physician against its simulator', () => {
  it('prints: print lines and BMI blocks are one reading each, in the units printed; zero weight a problem; Net flagged', async () => {
    const run = await runAgainstSimulator(riceLakePhysicianDriver, { scenario: 'prints' });
    expect(run.result.error).toBeUndefined();
    expect(facts(run)).toEqual([
      [[], [['29463-7', [185.5, '[lb_av]', 1]]]],
      [['net-weight'], [['29463-7', [84.2, 'kg', 1]]]],
      [[], [['29463-7', [215, '[lb_av]', 1]], ['8302-2', [73, '[in_i]', 1]], ['39156-5', [28.4, 'kg/m2', 1]]]],
      [[], [['29463-7', [97.5, 'kg', 1]], ['8302-2', [185.4, 'cm', 1]], ['39156-5', [28.4, 'kg/m2', 1]]]],
    ]);
    expect(run.result.problems).toEqual({ DEVICE_ERROR: 1 });
    expect(run.timersLeft).toBe(0);
  });

  it('stream: a print every 15 s, a BMI block and a metric line in turn', async () => {
    const run = await runAgainstSimulator(riceLakePhysicianDriver, { scenario: 'stream', abortAfterMs: 50_000 });
    expect(run.result.readings.map((r) => r.observations.length)).toEqual([3, 1, 3]);
  });
});
