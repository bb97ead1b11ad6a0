import { describe, expect, it } from 'vitest';
import { runAgainstSimulator } from '../../kit/index.ts';
import { silentDevice } from '../../../test/helpers/meter-session-tests.ts';
import { trividiaTrueMetrixDriver as driver } from './driver.ts';

const START = Date.UTC(2026, 2, 2, 14, 0, 0);

describe('trividia-true-metrix session against its simulator', () => {
  it('an empty memory completes with no reading and progress 0 of 0', async () => {
    const run = await runAgainstSimulator(driver, { scenario: 'empty', startMs: START });
    expect(run.result.end).toBe('completed');
    expect(run.result.readings).toEqual([]);
    const progress = run.events.flatMap((e) => (e.type === 'progress' ? [e] : []));
    expect(progress.at(-1)).toEqual({ type: 'progress', done: 0, total: 0 });
  });

  it('a clock that reads no date: reported, records kept as stored and flagged', async () => {
    const run = await runAgainstSimulator(driver, { scenario: 'clock-lost', startMs: START });
    expect(run.result.end).toBe('completed');
    expect(run.result.problems).toEqual({ PROTOCOL_UNEXPECTED: 1 });
    expect(run.result.deviceClock).toBeUndefined();
    expect(run.result.readings).toHaveLength(5);
    expect(run.result.readings.every((r) => r.flags.includes('meter-clock-unset'))).toBe(true);
  });

  it('the TRUE METRIX GO is named by its model code', async () => {
    const run = await runAgainstSimulator(driver, { scenario: 'go', startMs: START });
    expect(run.result.readings[0]?.device.model).toBe('TRUE METRIX GO');
  });

  it('500 records download whole', async () => {
    const run = await runAgainstSimulator(driver, { scenario: 'big', startMs: START });
    expect(run.result.readings).toHaveLength(500);
    expect(run.result.problems).toEqual({});
  });

  it('a meter that never answers fails identify with DEVICE_NO_RESPONSE and leaves no timer', async () => {
    const { result, timersLeft } = await silentDevice(driver, START);
    expect(result.end).toBe('failed');
    expect(result.error?.code).toBe('DEVICE_NO_RESPONSE');
    expect(timersLeft).toBe(0);
  });
});
