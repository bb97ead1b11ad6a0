import { describe, expect, it } from 'vitest';
import { ObservationSchema } from '../../../shared/observation.ts';
import { DISPLAY_MMOL_FLAG, METER_HIGH_MG_DL, METER_LOW_MG_DL, normalizeRecord } from './normalize.ts';

const GLUCOSE_MG_DL = '41653-7';

describe('normalizeRecord', () => {
  it('keeps an in-range value in mg/dL under 41653-7, without flags', () => {
    const { observations, flags } = normalizeRecord({ mgdl: 81 }, 'mg/dL');
    expect(observations).toHaveLength(1);
    expect(observations[0]).toMatchObject({ code: GLUCOSE_MG_DL, value: { kind: 'quantity', value: 81, unit: 'mg/dL' } });
    expect(observations[0]?.interpretation).toBeUndefined();
    expect(flags).toEqual([]);
    expect(ObservationSchema.safeParse(observations[0]).success).toBe(true);
  });

  it('keeps the bounds themselves (20 and 600) as measured values', () => {
    expect(normalizeRecord({ mgdl: METER_LOW_MG_DL }, 'mg/dL').observations[0]?.value).toEqual({ kind: 'quantity', value: 20, unit: 'mg/dL' });
    expect(normalizeRecord({ mgdl: METER_HIGH_MG_DL }, 'mg/dL').observations[0]?.value).toEqual({ kind: 'quantity', value: 600, unit: 'mg/dL' });
  });

  it.each([601, 0xffff, 0xffffffff])('makes %d a HI: > 600 mg/dL, HH, out-of-range:high', (mgdl) => {
    const { observations, flags } = normalizeRecord({ mgdl }, 'mg/dL');
    expect(observations[0]).toMatchObject({ code: GLUCOSE_MG_DL, value: { kind: 'quantity', value: 600, unit: 'mg/dL', comparator: '>' }, interpretation: 'HH' });
    expect(flags).toEqual(['out-of-range:high']);
  });

  it.each([19, 10, 0])('makes %d a LO: < 20 mg/dL, LL, out-of-range:low', (mgdl) => {
    const { observations, flags } = normalizeRecord({ mgdl }, 'mg/dL');
    expect(observations[0]).toMatchObject({ code: GLUCOSE_MG_DL, value: { kind: 'quantity', value: 20, unit: 'mg/dL', comparator: '<' }, interpretation: 'LL' });
    expect(flags).toEqual(['out-of-range:low']);
  });

  it('keeps mg/dL on a meter whose display is set to mmol/L, and says so in a flag', () => {
    const { observations, flags } = normalizeRecord({ mgdl: 126 }, 'mmol/L');
    expect(observations[0]).toMatchObject({ code: GLUCOSE_MG_DL, value: { kind: 'quantity', value: 126, unit: 'mg/dL' } });
    expect(flags).toEqual([DISPLAY_MMOL_FLAG]);
  });

  it('reads an unknown display unit as mg/dL without a display flag', () => {
    expect(normalizeRecord({ mgdl: 99 }, undefined)).toEqual(normalizeRecord({ mgdl: 99 }, 'mg/dL'));
  });
});
