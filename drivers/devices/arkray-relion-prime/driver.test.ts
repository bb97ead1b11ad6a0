import { describe, expect, it } from 'vitest';
import { memoryMeterSessionTests } from '../../../test/helpers/meter-session-tests.ts';
import { runAgainstSimulator } from '../../kit/index.ts';
import { arkrayRelionPrimeDriver as driver } from './driver.ts';

const START = Date.UTC(2026, 2, 2, 14, 0, 0);

describe('arkray-relion-prime session against its simulator', () => {
  memoryMeterSessionTests(driver, START);
});

describe('arkray-relion-prime: an empty index', () => {
  it('a NAK for index 1 skips it, re-enters remote command mode and reads the rest', async () => {
    const run = await runAgainstSimulator(driver, { scenario: 'gap', startMs: START });
    expect(run.result.end).toBe('completed');
    expect(run.result.problems).toEqual({});
    expect(run.result.readings).toHaveLength(4);
  });
});
