import { describe, expect, it } from 'vitest';
import { createLinkPair, fromLatin1, latin1, runAgainstSimulator, VirtualClock } from '../../kit/index.ts';
import { omronHbp9030Driver } from './index.ts';
import { traceAnnotator } from './trace.ts';

const START = Date.UTC(2026, 6, 11, 9, 0, 0);
const problems = (events: readonly { type: string }[]): { code: string; message: string }[] =>
  events.filter((e): e is { type: 'problem'; code: string; message: string } => e.type === 'problem');

describe('omron-hbp-9030 session against its simulator', () => {
  it('measurements: three readings, one plain-words device error, identity per layout', async () => {
    const { result, events, timersLeft } = await runAgainstSimulator(omronHbp9030Driver, { scenario: 'measurements', startMs: START });
    expect(result.end).toBe('ended');
    expect(result.readings.map((r) => r.device.model)).toEqual(['HBP-9030', 'HBP-9030', 'HBP-9020']);
    expect(result.readings.map((r) => r.flags.filter((f) => f !== 'clock-skew'))).toEqual([[], ['body-movement'], []]);
    expect(result.readings.map((r) => r.context?.sampleId)).toEqual(['12345678901234567890', undefined, '99999999999999999999']);
    expect(result.readings[2]?.observations[0]?.components).toHaveLength(3);
    expect(result.problems).toEqual({ DEVICE_ERROR: 1 });
    // The bp line tells the session it is an HBP-9020 after all.
    expect(result.identity?.model).toBe('HBP-9020');
    expect(problems(events)[0]?.message).toMatch(/patient ID MRN000417 \(Omron error code 2\); no result was recorded/);
    expect(timersLeft).toBe(0);
  });

  it('errors: each error code is a device error and no reading; the good line after them is one', async () => {
    const { result } = await runAgainstSimulator(omronHbp9030Driver, { scenario: 'errors', startMs: START });
    expect(result.readings).toHaveLength(1);
    expect(result.problems).toEqual({ DEVICE_ERROR: 2 });
  });

  it('stream: a measurement every 20 s until stopped, no timer left', async () => {
    const { result, timersLeft } = await runAgainstSimulator(omronHbp9030Driver, { scenario: 'stream', startMs: START, abortAfterMs: 65_000 });
    expect(result.end).toBe('aborted');
    expect(result.readings).toHaveLength(3);
    expect(timersLeft).toBe(0);
  });

  it('fault truncate: no reading, every cut line reported', async () => {
    const { result } = await runAgainstSimulator(omronHbp9030Driver, { scenario: 'measurements', fault: 'truncate', startMs: START });
    expect(result.readings).toEqual([]);
    expect(Object.values(result.problems).reduce((a, b) => a + (b ?? 0), 0)).toBeGreaterThan(0);
  });

  it('an unknown scenario is refused, naming the ones there are', async () => {
    const pair = createLinkPair();
    const run = omronHbp9030Driver.simulator.run({ link: pair.device, clock: new VirtualClock(START), signal: new AbortController().signal, scenario: 'nope' });
    await expect(run).rejects.toThrow(/measurements, errors, hbp-9020, stream/);
  });
});

describe('trace hooks', () => {
  it('masks only the patient ID, keeping lengths, so the masked line decodes to the same values', () => {
    const stream = fromLatin1('2026,07,11,09,05,MRN-417 Smith       ,0,120,080,072,0\r\nbp,99999999999999999999,2023/04/27,15:06,140,098,077,068,3\r\n');
    const masked = latin1(traceAnnotator.maskStream?.('in', stream) ?? stream);
    expect(masked).toBe('2026,07,11,09,05,XXXX000 XXXXX       ,0,120,080,072,0\r\nbp,00000000000000000000,2023/04/27,15:06,140,098,077,068,3\r\n');
    expect(masked).toHaveLength(latin1(stream).length);
  });
});
