import { describe, expect, it } from 'vitest';
import { ObservationSchema } from '../../../shared/observation.ts';
import { decodeRecord, type UltraRecord } from './decode.ts';
import { COMMENTS, MMOL_DISPLAY_FLAG, PARITY_FLAG, normalizeRecord } from './normalize.ts';

const GLUCOSE = { code: '41653-7', display: 'Glucose [Mass/volume] in Capillary blood by Glucometer' };

function record(result: string, meal = 'N', comment = '00'): UltraRecord {
  const decoded = decodeRecord(`P "SAT","03/21/15","16:45:24   ","${result}","${meal}","${comment}", 00`);
  if (!decoded.ok) throw new Error(decoded.reason);
  return decoded.value;
}

describe('normalizeRecord', () => {
  it('Tidepool’s real records: mg/dL on 41653-7, meal and comment as flags', () => {
    expect(normalizeRecord(record('  081 ', 'N', '03'), 'mg/dL')).toEqual({
      kind: 'patient',
      observations: [{ ...GLUCOSE, mdc: 160184, value: { kind: 'quantity', value: 81, unit: 'mg/dL' } }],
      flags: ['comment:mild-exercise'],
    });
    expect(normalizeRecord(record('  105 ', 'B', '02'), 'mg/dL').flags).toEqual(['meal:before', 'comment:too-much-food']);
  });

  it('a control-solution result is kind control with flag control-solution, never patient', () => {
    const out = normalizeRecord(record('C 142 '), 'mg/dL');
    expect(out.kind).toBe('control');
    expect(out.flags).toEqual(['control-solution']);
    expect(out.observations[0]?.value).toEqual({ kind: 'quantity', value: 142, unit: 'mg/dL' });
  });

  it('HI/LO written as numbers beyond 20–600 [inferred reading 1]: > 600 HH and < 20 LL with flags', () => {
    const hi = normalizeRecord(record('  612 '), 'mg/dL');
    expect(hi.observations[0]).toMatchObject({ ...GLUCOSE, value: { kind: 'quantity', value: 600, unit: 'mg/dL', comparator: '>' }, interpretation: 'HH' });
    expect(hi.flags).toEqual(['out-of-range:high']);
    const lo = normalizeRecord(record('  012 '), 'mg/dL');
    expect(lo.observations[0]).toMatchObject({ value: { kind: 'quantity', value: 20, unit: 'mg/dL', comparator: '<' }, interpretation: 'LL' });
    expect(lo.flags).toEqual(['out-of-range:low']);
    expect(normalizeRecord(record('  000 '), 'mg/dL').flags).toEqual(['out-of-range:low']);
  });

  it('HI/LO written as words [inferred reading 2] give the same observations as reading 1', () => {
    expect(normalizeRecord(record('  HI  '), 'mg/dL')).toEqual(normalizeRecord(record('  612 '), 'mg/dL'));
    expect(normalizeRecord(record('  LO  '), 'mg/dL')).toEqual(normalizeRecord(record('  012 '), 'mg/dL'));
    expect(normalizeRecord(record(' HIGH '), 'mg/dL')).toEqual(normalizeRecord(record('  HI  '), 'mg/dL'));
  });

  it('the range bounds 20 and 600 themselves are plain results', () => {
    for (const [field, value] of [['  020 ', 20], ['  600 ', 600]] as const) {
      const out = normalizeRecord(record(field), 'mg/dL');
      expect(out.observations[0]?.value).toEqual({ kind: 'quantity', value, unit: 'mg/dL' });
      expect(out.observations[0]?.interpretation).toBeUndefined();
      expect(out.flags).toEqual([]);
    }
  });

  it('a control result written HI stays a control, out of range', () => {
    expect(normalizeRecord(record('C HI  '), 'mg/dL')).toMatchObject({ kind: 'control', flags: ['control-solution', 'out-of-range:high'] });
  });

  it('a parity-flagged result keeps its value and says so', () => {
    const out = normalizeRecord(record('  123?'), 'mg/dL');
    expect(out.observations[0]?.value).toEqual({ kind: 'quantity', value: 123, unit: 'mg/dL' });
    expect(out.flags).toEqual([PARITY_FLAG]);
  });

  it('a meter displaying mmol/L still gives mg/dL on 41653-7, with a flag and no conversion', () => {
    const out = normalizeRecord(record('  105 ', 'A'), 'mmol/L');
    expect(out.observations[0]).toMatchObject({ code: '41653-7', value: { kind: 'quantity', value: 105, unit: 'mg/dL' } });
    expect(out.flags).toEqual(['meal:after', MMOL_DISPLAY_FLAG]);
  });

  it('every comment code 01–11 becomes its words; an unknown code is kept', () => {
    const codes = ['01', '02', '03', '04', '05', '06', '07', '08', '09', '10', '11'];
    expect(Object.keys(COMMENTS).sort()).toEqual(codes);
    const words = codes.map((code) => normalizeRecord(record('  100 ', 'N', code), 'mg/dL').flags[0]);
    expect(words).toEqual([
      'comment:not-enough-food',
      'comment:too-much-food',
      'comment:mild-exercise',
      'comment:hard-exercise',
      'comment:medication',
      'comment:stress',
      'comment:illness',
      'comment:feel-hypo',
      'comment:menses',
      'comment:vacation',
      'comment:other',
    ]);
    expect(normalizeRecord(record('  100 ', 'N', '42'), 'mg/dL').flags).toEqual(['comment:code-42']);
  });

  it('an unknown meal marker is kept as a flag', () => {
    expect(normalizeRecord(record('  100 ', 'X'), 'mg/dL').flags).toEqual(['meal-marker:X']);
    expect(normalizeRecord(record('  100 ', ''), 'mg/dL').flags).toEqual(['meal-marker:none']);
  });

  it('a result it cannot read is kept unmapped under the glucose code, never dropped', () => {
    const out = normalizeRecord(record('  ---  '), 'mg/dL');
    expect(out.observations).toEqual([{ ...GLUCOSE, value: { kind: 'unmapped', label: 'result', text: '  ---  ' } }]);
    expect(ObservationSchema.safeParse(out.observations[0]).success).toBe(true);
  });
});
