import { describe, expect, it } from 'vitest';
import { BODY_SITES } from '../../../shared/observation.ts';
import { runAgainstSimulator } from '../../kit/index.ts';
import { welchAllynSuretempPlusDriver } from './driver.ts';

const values = (run: Awaited<ReturnType<typeof runAgainstSimulator>>): unknown[] => run.result.readings.map((r) => r.observations[0]?.value);
const sites = (run: Awaited<ReturnType<typeof runAgainstSimulator>>): unknown[] => run.result.readings.map((r) => r.observations[0]?.bodySite?.code);

describe('welch-allyn-suretemp-plus against its simulator', () => {
  it('oral: one reading for a final shown over ~10 polls, in Cel with one decimal, coded oral', async () => {
    const run = await runAgainstSimulator(welchAllynSuretempPlusDriver, { scenario: 'oral' });
    expect(run.result.error).toBeUndefined();
    expect(values(run)).toEqual([{ kind: 'quantity', value: 37, unit: 'Cel', decimals: 1 }]);
    expect(run.result.readings[0]?.observations[0]).toMatchObject({ code: '8310-5', bodySite: BODY_SITES.oral });
    expect(run.result.problems).toEqual({});
    // Polled twice a second for 12 s: the final state was seen many times and taken once.
    expect(run.traffic.filter((c) => c.direction === 'out').length).toBeGreaterThan(20);
    expect(run.timersLeft).toBe(0);
  });

  it('sites: three determinations, each with the site its algorithm names', async () => {
    const run = await runAgainstSimulator(welchAllynSuretempPlusDriver, { scenario: 'sites' });
    expect(values(run).map((v) => (v as { value: number }).value)).toEqual([36.8, 36.4, 37.9]);
    expect(sites(run)).toEqual([BODY_SITES.oral.code, BODY_SITES.axillary.code, BODY_SITES.rectal.code]);
  });

  it('the unit option [degF] converts the kelvin once, to the tenth', async () => {
    const run = await runAgainstSimulator(welchAllynSuretempPlusDriver, { scenario: 'sites', options: { unit: '[degF]' } });
    expect(values(run)).toEqual([36.8, 36.4, 37.9].map((c) => ({ kind: 'quantity', value: Math.round((c * 1.8 + 32) * 10) / 10, unit: '[degF]', decimals: 1 })));
  });

  it('long-record: the 33-byte record decodes the same; pediatric axillary is the axillary site', async () => {
    const run = await runAgainstSimulator(welchAllynSuretempPlusDriver, { scenario: 'long-record' });
    expect(values(run)).toEqual([{ kind: 'quantity', value: 36.9, unit: 'Cel', decimals: 1 }]);
    expect(sites(run)).toEqual([BODY_SITES.axillary.code]);
  });

  it('monitor mode ("measuring", no prediction) is never a reading', async () => {
    const run = await runAgainstSimulator(welchAllynSuretempPlusDriver, { scenario: 'monitor' });
    expect(run.result.readings).toEqual([]);
    expect(run.result.problems).toEqual({});
  });

  it('out-of-range finals and module errors are problems, once each, never readings', async () => {
    const range = await runAgainstSimulator(welchAllynSuretempPlusDriver, { scenario: 'out-of-range' });
    expect(range.result.readings).toEqual([]);
    expect(range.result.problems).toEqual({ DEVICE_ERROR: 2 });
    const error = await runAgainstSimulator(welchAllynSuretempPlusDriver, { scenario: 'probe-error' });
    expect(error.result.readings).toEqual([]);
    expect(error.result.problems).toEqual({ DEVICE_ERROR: 1 });
  });

  it('stream: a new determination every 20 s, none repeated', async () => {
    const run = await runAgainstSimulator(welchAllynSuretempPlusDriver, { scenario: 'stream', abortAfterMs: 125_000 });
    expect(values(run).map((v) => (v as { value: number }).value)).toEqual([36.9, 36.5, 37.6, 36.9, 36.5, 37.6]);
  });
});
