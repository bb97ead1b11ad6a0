import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ObservationSchema, type Observation } from '../../../shared/observation.ts';
import { findUrineAnalyte, urineAnalyteNamed } from './analytes.ts';
import { splitGrade, urineGrade } from './grades.ts';
import { urineObservation, type UrineResult } from './observation.ts';
import { parseUrineValue } from './values.ts';

/** `code value` per observation, compact enough to read a whole strip in one assertion. */
function summary(o: Observation): string {
  const v = o.value;
  const value =
    v?.kind === 'quantity'
      ? `${v.comparator ?? ''}${v.value} ${v.unit}${v.decimals === undefined ? '' : ` (${v.decimals} dp)`}`
      : v?.kind === 'ordinal'
        ? `${v.code} "${v.text}"`
        : v?.kind === 'unmapped'
          ? `unmapped ${v.label} "${v.text}"`
          : `text "${v?.text}"`;
  return `${o.code ?? '-'} ${value}${o.interpretation ? ` ${o.interpretation}` : ''}`;
}

const read = (label: string, value: string, grade?: string, abnormal = false): string =>
  summary(urineObservation({ label, value, ...(grade === undefined ? {} : { grade }), abnormal }));

describe('urineObservation: one vocabulary for every urine driver', () => {
  it('Clinitek Status (one result column; English and Spanish words, Apr counts, comparators)', () => {
    expect(read('GLU', 'Negative')).toBe('25428-4 neg "Negative"');
    expect(read('GLU', '500 mg/dL', undefined, true)).toBe('5792-7 500 mg/dL A');
    expect(read('BIL', 'Alto')).toBe('5770-3 large "Alto"');
    expect(read('CET', '15 mg/dL')).toBe('5797-6 15 mg/dL');
    expect(read('DEN', '>=1.030')).toBe('5811-5 >=1.03 1 (3 dp)');
    expect(read('SG ', '1.020')).toBe('5811-5 1.02 1 (3 dp)');
    expect(read('SAN', 'Apr 200 Hem/uL')).toBe('5794-3 pos "Apr 200 Hem/uL"');
    expect(read('BLD', 'Trace-intact')).toBe('5794-3 trace "Trace-intact"');
    expect(read('PRO', '>=300 mg/dL')).toBe('5804-0 >=300 mg/dL');
    expect(read('URO', '4.0 E.U./dL')).toBe('20405-7 unmapped URO "4.0 E.U./dL"');
    expect(read('UBG', '3.2 umol/L')).toBe('20405-7 unmapped UBG "3.2 umol/L"');
    expect(read('NIT', 'Positivo')).toBe('5802-4 pos "Positivo"');
    expect(read('pH ', '6.5')).toBe('5803-2 6.5 [pH] (1 dp)');
  });

  it('Mission U120 / Consult 120 (grade column and value; the real positive control)', () => {
    expect(read('LEU', 'neg', '-')).toBe('5799-2 neg "- neg"');
    expect(read('URO', '0.2  mg/dL', '-')).toBe('20405-7 0.2 mg/dL (1 dp)');
    expect(read('LEU', '500 Leu/uL', '3+', true)).toBe('5799-2 3+ "3+ 500 Leu/uL" A');
    expect(read('NIT', 'pos', '+', true)).toBe('5802-4 pos "+ pos" A');
    expect(read('URO', '4   mg/dL', '2+', true)).toBe('20405-7 4 mg/dL A');
    expect(read('PRO', '300  mg/dL', '3+', true)).toBe('5804-0 300 mg/dL A');
    expect(read('BLO', '200 Ery/uL', '3+', true)).toBe('5794-3 3+ "3+ 200 Ery/uL" A');
    expect(read('KET', '5   mg/dL', '+-')).toBe('5797-6 5 mg/dL');
    expect(read('BIL', '2    mg/dL', '2+', true)).toBe('5770-3 2+ "2+ 2    mg/dL" A');
    expect(read('GLU', '1000 mg/dL', '3+', true)).toBe('5792-7 1000 mg/dL A');
    expect(read('KET', '5 mg/dL', '+/-')).toBe('5797-6 5 mg/dL');
    expect(read('ASC', '10 mg/dL', '1+')).toBe('- unmapped ASC "1+ 10 mg/dL"');
  });

  it('URiSCAN style (grade symbols, grade hard against the value, lower-case units, p.H / S.G)', () => {
    expect(read('BLD', '+++ 250 RBC/ul')).toBe('5794-3 3+ "+++ 250 RBC/ul"');
    expect(read('PRO', '++++2000 mg/dl')).toBe('5804-0 2000 mg/dL');
    expect(read('KET', '- neg')).toBe('2514-8 neg "- neg"');
    expect(read('NIT', '+ pos')).toBe('5802-4 pos "+ pos"');
    expect(read('p.H', '9.0')).toBe('5803-2 9 [pH] (1 dp)');
    expect(read('S.G', '>=1.030')).toBe('5811-5 >=1.03 1 (3 dp)');
    expect(read('LEU', '+++ 500 WBC/ul')).toBe('5799-2 3+ "+++ 500 WBC/ul"');
    expect(read('GLU', '+ 100 mg/dl')).toBe('5792-7 100 mg/dL');
  });

  it('Clinitek 50, German (NEGATIV, OBL, Ca = circa never read as an exact number)', () => {
    expect(read('GLU', 'NEGATIV')).toBe('25428-4 neg "NEGATIV"');
    expect(read('OBL', 'Ca 10 Ery/uL', undefined, true)).toBe('5794-3 pos "Ca 10 Ery/uL" A');
    expect(read('LEU', '0 Leu/uL')).toBe('5799-2 neg "0 Leu/uL"');
    expect(read('UBG', '0.2 mg/dL')).toBe('20405-7 0.2 mg/dL (1 dp)');
    expect(read('PRO', 'Ca 25 mg/dL')).toBe('5804-0 unmapped PRO "Ca 25 mg/dL"');
    expect(read('PRO', 'circa 25 mg/dL')).toBe('5804-0 unmapped PRO "circa 25 mg/dL"');
  });

  it('never guesses: unknown codes, units, words, a comma number and contradictions stay unmapped', () => {
    expect(read('MALB', '30 mg/L')).toBe('- unmapped MALB "30 mg/L"');
    expect(read('GLU', '5.5 mmol/L')).toBe('5792-7 unmapped GLU "5.5 mmol/L"');
    expect(read('GLU', '100')).toBe('- unmapped GLU "100"');
    expect(read('GLU', 'Purple')).toBe('- unmapped GLU "Purple"');
    expect(read('SG', '1,020')).toBe('- unmapped SG "1,020"');
    expect(read('NIT', 'pos', '-')).toBe('- unmapped NIT "- pos"');
    expect(read('GLU', 'neg', '?')).toBe('- unmapped GLU "? neg"');
    expect(read('URO', 'Normal')).toBe('20405-7 unmapped URO "Normal"');
  });

  it('a driver that knows the analyte by a map (ASTM test codes) passes it in', () => {
    const glucose = urineAnalyteNamed('glucose');
    expect(glucose).toBeDefined();
    const o = urineObservation({ label: 'U-GLUC', value: '50 mg/dL', ...(glucose ? { analyte: glucose } : {}) });
    expect(summary(o)).toBe('5792-7 50 mg/dL');
  });
});

describe('the pieces', () => {
  it('grades: symbols, words in three languages, bare + by analyte', () => {
    expect(['-', '+-', '+/-', '±', '1+', '4+', '++', '+++', '++++'].map((g) => urineGrade(g))).toEqual([
      'neg', 'trace', 'trace', 'trace', '1+', '4+', '2+', '3+', '4+',
    ]);
    expect(urineGrade('+', findUrineAnalyte('NIT'))).toBe('pos');
    expect(urineGrade('+', findUrineAnalyte('LEU'))).toBe('1+');
    expect(['Negative', 'NEGATIVO', 'negativ', 'POSITIV', 'Small', 'neg'].map((w) => urineGrade(w))).toEqual(['neg', 'neg', 'neg', 'pos', 'small', 'neg']);
    expect(urineGrade('Bajo')).toBeUndefined();
    expect(urineGrade('Bajo', findUrineAnalyte('BIL'))).toBe('small');
  });

  it('splitGrade peels a grade off its value, never a sign', () => {
    expect(splitGrade('++++2000 mg/dl')).toEqual({ grade: '++++', rest: '2000 mg/dl' });
    expect(splitGrade('3+ 500 Leu/uL')).toEqual({ grade: '3+', rest: '500 Leu/uL' });
    expect(splitGrade('- neg')).toEqual({ grade: '-', rest: 'neg' });
    expect(splitGrade('Negative')).toEqual({ rest: 'Negative' });
    expect(splitGrade('-5')).toEqual({ rest: '-5' });
    expect(splitGrade('1.020')).toEqual({ rest: '1.020' });
  });

  it('parseUrineValue: comparators (also ≥ ≤), approximate, words, other', () => {
    expect(parseUrineValue('≥ 300 mg/dL')).toEqual({ form: 'number', value: 300, unit: 'mg/dL', comparator: '>=' });
    expect(parseUrineValue('<=0.2 mg/dL')).toEqual({ form: 'number', value: 0.2, unit: 'mg/dL', comparator: '<=', decimals: 1 });
    expect(parseUrineValue('Ca 10 Ery/uL')).toEqual({ form: 'approximate', value: 10, unit: 'Ery/uL' });
    expect(parseUrineValue('Trace-lysed')).toEqual({ form: 'word', word: 'Trace-lysed' });
    expect(parseUrineValue('')).toEqual({ form: 'empty' });
    expect(parseUrineValue('9'.repeat(400))).toEqual({ form: 'other' });
  });
});

describe('properties', () => {
  const label = fc.oneof(fc.constantFrom('GLU', 'BIL', 'KET', 'SG', 'S.G', 'BLD', 'pH', 'PRO', 'URO', 'NIT', 'LEU', 'ASC', 'OBL', 'CET'), fc.string());
  const grade = fc.option(fc.oneof(fc.constantFrom('-', '+-', '+/-', '1+', '3+', '+', '+++', ''), fc.string()), { nil: undefined });
  const value = fc.oneof(
    fc.constantFrom('neg', 'Negative', '500 mg/dL', '>=1.030', 'Ca 10 Ery/uL', '250 RBC/ul', '7.0', '3.2 umol/L', '++++2000 mg/dl'),
    fc.string(),
    fc.string({ unit: 'binary' }),
  );

  it('any input gives one valid observation, never throws', () => {
    fc.assert(
      fc.property(label, grade, value, fc.boolean(), (l, g, v, abnormal) => {
        const input: UrineResult = { label: l, value: v, abnormal, ...(g === undefined ? {} : { grade: g }) };
        const o = urineObservation(input);
        expect(ObservationSchema.safeParse(o).success).toBe(true);
        if (abnormal) expect(o.interpretation).toBe('A');
      }),
      { numRuns: 2000 },
    );
  });

  it('a quantity only ever carries its code’s unit, and only from a printed number', () => {
    fc.assert(
      fc.property(label, grade, value, (l, g, v) => {
        const o = urineObservation({ label: l, value: v, ...(g === undefined ? {} : { grade: g }) });
        if (o.value?.kind !== 'quantity') return;
        expect(v).toMatch(/\d/);
        const row = findUrineAnalyte(l);
        expect(row?.quantity?.unit).toBe(o.value.unit);
      }),
      { numRuns: 2000 },
    );
  });
});

describe('counts', () => {
  it('an exact count of 0 is negative; "about 0" and another pad’s count unit are not read', () => {
    expect(read('LEU', '0 Leu/uL')).toBe('5799-2 neg "0 Leu/uL"');
    expect(read('BLD', 'Apr 0 Hem/uL')).toBe('- unmapped BLD "Apr 0 Hem/uL"');
    expect(read('BLD', 'Apr 500 Leu/uL')).toBe('- unmapped BLD "Apr 500 Leu/uL"');
    expect(read('BLD', '250 Leu/uL')).toBe('- unmapped BLD "250 Leu/uL"');
  });
});
