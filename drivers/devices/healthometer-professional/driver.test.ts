import { describe, expect, it } from 'vitest';
import { runAgainstSimulator } from '../../kit/index.ts';
import { healthometerProfessionalDriver } from './driver.ts';

type Run = Awaited<ReturnType<typeof runAgainstSimulator>>;
const facts = (run: Run): unknown[] =>
  run.result.readings.map((r) => r.observations.map((o) => [o.code, o.value?.kind === 'quantity' ? [o.value.value, o.value.unit, o.value.decimals] : undefined]));

describe('healthometer-professional against its simulator', () => {
  it('two-patients: each locked stream of 4 packets is one reading, in the units N states', async () => {
    const run = await runAgainstSimulator(healthometerProfessionalDriver, { scenario: 'two-patients' });
    expect(run.result.error).toBeUndefined();
    expect(facts(run)).toEqual([
      [['29463-7', [184.5, '[lb_av]', 1]], ['8302-2', [70, '[in_i]', 1]], ['39156-5', [26.5, 'kg/m2', 1]]],
      [['29463-7', [71.3, 'kg', 1]], ['8302-2', [172, 'cm', 1]], ['39156-5', [24.1, 'kg/m2', 1]]],
    ]);
    expect(run.result.problems).toEqual({});
    expect(run.timersLeft).toBe(0);
  });

  it('models: every number format keeps its decimals; a relock at a new value is a new reading; no units → refused', async () => {
    const run = await runAgainstSimulator(healthometerProfessionalDriver, { scenario: 'models' });
    expect(facts(run)).toEqual([
      [['29463-7', [184.5, '[lb_av]', 2]]],
      [['29463-7', [35.5, '[lb_av]', 3]]],
      [['29463-7', [200, 'kg', 2]], ['8302-2', [180, 'cm', 2]], ['39156-5', [61.7, 'kg/m2', 1]]],
      [['29463-7', [150.2, '[lb_av]', 1]]],
      [['29463-7', [150.4, '[lb_av]', 1]]],
    ]);
    expect(run.result.problems).toEqual({ PROTOCOL_GARBAGE: 2 });
  });

  it('quietSeconds 10 (longer than the silence between patients): a packet from another patient still ends the previous weighing', async () => {
    const run = await runAgainstSimulator(healthometerProfessionalDriver, { scenario: 'two-patients', options: { quietSeconds: 10 } });
    expect(run.result.readings).toHaveLength(2);
  });

  it('stream: a weighing every 15 s, imperial and metric in turn', async () => {
    const run = await runAgainstSimulator(healthometerProfessionalDriver, { scenario: 'stream', abortAfterMs: 70_000 });
    expect(run.result.readings.map((r) => r.observations[0]?.value)).toMatchObject([{ unit: '[lb_av]' }, { unit: 'kg' }, { unit: '[lb_av]' }]);
  });
});
