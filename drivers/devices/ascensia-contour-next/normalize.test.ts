import { describe, expect, it } from 'vitest';
import { ObservationSchema } from '../../../shared/observation.ts';
import type { ContourHeader, ContourResult } from './decode.ts';
import { DEFAULT_BOUNDS, headerRange, normalizeResult, outOfRangeBound } from './normalize.ts';

type RangeHeader = Pick<ContourHeader, 'range' | 'displayUnit'>;
const MGDL: RangeHeader = { displayUnit: 'mg/dL', range: { low: 10, high: 600, text: '10600' } };
const r = (over: Partial<ContourResult>): ContourResult => ({
  index: '1', test: 'Glucose', valueText: '93', value: 93, unit: 'mg/dL', method: 'P', markers: [], deviceTime: '2015-05-26T11:50:00', ...over,
});

describe('normalizeResult', () => {
  it('the PROTOCOL.md §4 example result: 93 mg/dL (41653-7), after meal, other markers kept, plasma', () => {
    const out = normalizeResult(r({ markers: ['A', 'M0', 'T1'] }), MGDL);
    expect(out.kind).toBe('patient');
    expect(out.observations).toEqual([
      expect.objectContaining({ code: '41653-7', value: { kind: 'quantity', value: 93, unit: 'mg/dL' } }),
    ]);
    expect(out.flags).toEqual(['meal:after', 'marker:M0', 'marker:T1']);
    expect(out.context).toEqual({ method: 'plasma' });
  });

  it('mmol/L stays mmol/L (14743-9), never converted', () => {
    const out = normalizeResult(r({ valueText: '5.2', value: 5.2, unit: 'mmol/L', method: 'C' }), { displayUnit: 'mmol/L', range: undefined });
    expect(out.observations[0]).toMatchObject({ code: '14743-9', value: { kind: 'quantity', value: 5.2, unit: 'mmol/L', decimals: 1 } });
    // `5.0` as printed: the number says 5, the decimals say how it was printed.
    const five = normalizeResult(r({ valueText: '5.0', value: 5, unit: 'mmol/L' }), { displayUnit: 'mmol/L', range: undefined });
    expect(five.observations[0]?.value).toEqual({ kind: 'quantity', value: 5, unit: 'mmol/L', decimals: 1 });
    expect(out.context).toEqual({ method: 'capillary' });
  });

  it('C is a control-solution test: kind control, never patient', () => {
    const out = normalizeResult(r({ markers: ['C'] }), MGDL);
    expect(out.kind).toBe('control');
    expect(out.flags).toEqual(['control-solution']);
  });

  it('B before meal, D logbook, unknown tokens as marker:<token>, duplicates once', () => {
    expect(normalizeResult(r({ markers: ['B', 'D', 'Z', 'Z'] }), MGDL).flags).toEqual(['meal:before', 'logbook', 'marker:Z']);
  });

  it('> is HI: the meter\'s high bound from V with comparator > and HH', () => {
    const out = normalizeResult(r({ valueText: '600', value: 600, markers: ['>'] }), { displayUnit: 'mg/dL', range: { low: 20, high: 500, text: '20500' } });
    expect(out.observations[0]).toMatchObject({ value: { kind: 'quantity', value: 500, unit: 'mg/dL', comparator: '>' }, interpretation: 'HH' });
    expect(out.flags).toEqual(['out-of-range:high']);
  });

  it('< is LO: the low bound from V with comparator < and LL', () => {
    const out = normalizeResult(r({ valueText: '10', value: 10, markers: ['<'] }), { displayUnit: 'mg/dL', range: { low: 20, high: 600, text: '20600' } });
    expect(out.observations[0]).toMatchObject({ value: { value: 20, comparator: '<' }, interpretation: 'LL' });
    expect(out.flags).toEqual(['out-of-range:low']);
  });

  it('an unknown test or unit is kept unmapped, never dropped', () => {
    expect(normalizeResult(r({ test: 'Ketone', valueText: '1.2', unit: 'mmol/L' }), MGDL).observations[0]).toEqual({ value: { kind: 'unmapped', label: 'Ketone', text: '1.2 mmol/L' } });
    expect(normalizeResult(r({ unit: 'mg/100mL' }), MGDL).observations[0]).toEqual({ value: { kind: 'unmapped', label: 'Glucose', text: '93 mg/100mL' } });
    const text = normalizeResult(r({ valueText: 'ERR', value: undefined }), MGDL).observations[0];
    expect(text).toMatchObject({ code: '41653-7', value: { kind: 'unmapped', text: 'ERR mg/dL' } });
  });

  it('every observation it makes passes the observation schema', () => {
    for (const markers of [[], ['>'], ['<'], ['C', 'B']]) {
      for (const unit of ['mg/dL', 'mmol/L', 'x']) {
        for (const o of normalizeResult(r({ unit, markers }), MGDL).observations) expect(ObservationSchema.safeParse(o).success).toBe(true);
      }
    }
  });
});

describe('V on a meter set to mmol/L ([inferred]: both readings)', () => {
  const hi = r({ valueText: '33.3', value: 33.3, unit: 'mmol/L', markers: ['>'] });
  const lo = r({ valueText: '0.6', value: 0.6, unit: 'mmol/L', markers: ['<'] });

  it('reading 1: V still in mg/dL (10600) → not used for mmol/L; the record\'s own number is the bound', () => {
    const header: RangeHeader = { displayUnit: 'mmol/L', range: { low: 10, high: 600, text: '10600' } };
    expect(headerRange(header)).toEqual({ unit: 'mg/dL', low: 10, high: 600 });
    expect(normalizeResult(hi, header).observations[0]?.value).toEqual({ kind: 'quantity', value: 33.3, unit: 'mmol/L', comparator: '>' });
    expect(normalizeResult(lo, header).observations[0]?.value).toEqual({ kind: 'quantity', value: 0.6, unit: 'mmol/L', comparator: '<' });
  });

  it('reading 2: V in tenths of mmol/L (06333 = 0.6–33.3) → used as the bound', () => {
    const header: RangeHeader = { displayUnit: 'mmol/L', range: { low: 6, high: 333, text: '06333' } };
    expect(headerRange(header)).toEqual({ unit: 'mmol/L', low: 0.6, high: 33.3 });
    const odd = r({ valueText: 'HI', value: undefined, unit: 'mmol/L', markers: ['>'] });
    expect(normalizeResult(odd, header).observations[0]?.value).toEqual({ kind: 'quantity', value: 33.3, unit: 'mmol/L', comparator: '>' });
  });

  it('no V and no number: the documented bound of the unit', () => {
    expect(outOfRangeBound('>', 'mg/dL', { displayUnit: undefined, range: undefined }, undefined)).toBe(DEFAULT_BOUNDS['mg/dL'].high);
    expect(outOfRangeBound('<', 'mmol/L', { displayUnit: undefined, range: undefined }, undefined)).toBe(0.6);
    expect(outOfRangeBound('<', 'mg/dL', { displayUnit: undefined, range: undefined }, 12)).toBe(12);
  });
});
