import { describe, expect, it } from 'vitest';
import { CATALOG, entriesForLoinc } from '../../../shared/catalog.ts';
import { ObservationSchema, type Observation } from '../../../shared/observation.ts';
import { fromLatin1 } from '../../kit/index.ts';
import { URINE_ANALYTES, findUrineAnalyte, parseUrineValue, urineGrade } from '../../families/urine/index.ts';
import { decodeRecord, type ClinitekErrorRecord, type ClinitekResultRecord } from './decode.ts';
import { errorMessage, isNotEntered, normalizeResults, normalizeTriplet } from './normalize.ts';

/** Three of the real lines of PROTOCOL.md §8 Captures. */
const ENGLISH_12H =
  '1822,24-12-2021, 5:33PM,,2756,,,,,Multistix 10 SG,Not Entered,Not Entered,GLU,Negative,,BIL,Negative,,KET,Negative,,SG ,1.020,,BLD,Trace-intact,,pH ,7.0,,PRO,Negative,,UBG,3.2 umol/L,,NIT,Negative,,LEU,Negative,';
const SPANISH_ABNORMAL =
  '1596,18-06-2018,15:25,06178,,,,,,Multistix 10 SG,Amarillo,Claro,GLU,500 mg/dL,*,BIL,Alto,*,CET,15 mg/dL,*,DEN,1.020,,SAN,Apr 200 Hem/uL,*,pH ,7.0,,PRO,>=300 mg/dL,*,URO,4.0 E.U./dL,*,NIT,Positivo,*,LEU,Apr 500 Leu/uL,*';
const SPANISH_NORMAL =
  '5401,07-12-2017,09:47,,NX17120103,,,,,Multistix 10 SG,Amarillo,Claro,GLU,Negativo,,BIL,Negativo,,CET,Negativo,,DEN,>=1.030,,SAN,Negativo,,pH ,6.5,,PRO,30 mg/dL,*,URO,0.2 E.U./dL,,NIT,Negativo,,LEU,Negativo,';

function results(line: string): ClinitekResultRecord {
  const outcome = decodeRecord(fromLatin1(line));
  if (!outcome.ok || outcome.record.type !== 'results') throw new Error('expected a result record');
  return outcome.record;
}

/** `code value` per observation, compact enough to read a whole strip in one assertion. */
function summary(o: Observation): string {
  const v = o.value;
  const value =
    v?.kind === 'quantity' ? `${v.comparator ?? ''}${v.value} ${v.unit}` : v?.kind === 'ordinal' ? `${v.code} "${v.text}"` : v?.kind === 'unmapped' ? `unmapped ${v.label} "${v.text}"` : `text "${v?.text}"`;
  return `${o.code ?? '-'} ${value}${o.interpretation ? ` ${o.interpretation}` : ''}`;
}

const triplet = (code: string, result: string, flag: '' | '*' = ''): Observation => normalizeTriplet({ code, result, flag });

describe('normalizeResults: the real captures', () => {
  it('English 12 h: presence codes, SG and pH quantities, blood trace, UBG in µmol/L kept unmapped on 20405-7', () => {
    const n = normalizeResults(results(ENGLISH_12H));
    expect(n.observations.map(summary)).toEqual([
      '25428-4 neg "Negative"',
      '5770-3 neg "Negative"',
      '2514-8 neg "Negative"',
      '5811-5 1.02 1',
      '5794-3 trace "Trace-intact"',
      '5803-2 7 [pH]',
      '20454-5 neg "Negative"',
      '20405-7 unmapped UBG "3.2 umol/L"',
      '5802-4 neg "Negative"',
      '5799-2 neg "Negative"',
    ]);
    expect(n.flags).toEqual([]);
    expect(n.context).toEqual({ sequence: '1822', sampleId: '2756', method: 'Multistix 10 SG' });
  });

  it('Spanish abnormal: Spanish codes and words, quantities with comparators, `*` → A, colour and clarity', () => {
    const n = normalizeResults(results(SPANISH_ABNORMAL));
    expect(n.observations.map(summary)).toEqual([
      '5778-6 text "Amarillo"',
      '32167-9 text "Claro"',
      '5792-7 500 mg/dL A',
      '5770-3 large "Alto" A',
      '5797-6 15 mg/dL A',
      '5811-5 1.02 1',
      '5794-3 pos "Apr 200 Hem/uL" A',
      '5803-2 7 [pH]',
      '5804-0 >=300 mg/dL A',
      '20405-7 unmapped URO "4.0 E.U./dL" A',
      '5802-4 pos "Positivo" A',
      '5799-2 pos "Apr 500 Leu/uL" A',
    ]);
    expect(n.flags).toEqual(['abnormal']);
    expect(n.context).toEqual({ sequence: '1596', operatorId: '06178', method: 'Multistix 10 SG' });
  });

  it('Spanish normal: DEN >=1.030, PRO 30 mg/dL flagged, URO in E.U./dL unmapped without a flag', () => {
    const n = normalizeResults(results(SPANISH_NORMAL));
    expect(n.observations.map(summary)).toEqual([
      '5778-6 text "Amarillo"',
      '32167-9 text "Claro"',
      '25428-4 neg "Negativo"',
      '5770-3 neg "Negativo"',
      '2514-8 neg "Negativo"',
      '5811-5 >=1.03 1',
      '5794-3 neg "Negativo"',
      '5803-2 6.5 [pH]',
      '5804-0 30 mg/dL A',
      '20405-7 unmapped URO "0.2 E.U./dL"',
      '5802-4 neg "Negativo"',
      '5799-2 neg "Negativo"',
    ]);
    expect(n.flags).toEqual(['abnormal']);
    expect(n.context).toEqual({ sequence: '5401', sampleId: 'NX17120103', method: 'Multistix 10 SG' });
  });

  it('gives schema-valid observations for every capture', () => {
    for (const line of [ENGLISH_12H, SPANISH_ABNORMAL, SPANISH_NORMAL]) {
      for (const o of normalizeResults(results(line)).observations) expect(ObservationSchema.safeParse(o).success).toBe(true);
    }
  });
});

describe('normalizeTriplet: one result at a time', () => {
  it.each([
    ['GLU', 'Negative', '25428-4 neg "Negative"'],
    ['GLU', 'Trace', '25428-4 trace "Trace"'],
    ['GLU', '100 mg/dL', '5792-7 100 mg/dL'],
    ['GLU', '>=1000 mg/dL', '5792-7 >=1000 mg/dL'],
    ['GLU', '28 mmol/L', '5792-7 unmapped GLU "28 mmol/L"'],
    ['BIL', 'Small', '5770-3 small "Small"'],
    ['BIL', 'Moderate', '5770-3 moderate "Moderate"'],
    ['BIL', 'Bajo', '5770-3 small "Bajo"'],
    ['BIL', 'Alto', '5770-3 large "Alto"'],
    ['BIL', '1 mg/dL', '- unmapped BIL "1 mg/dL"'],
    ['KET', 'Large', '2514-8 large "Large"'],
    ['CET', '>=160 mg/dL', '5797-6 >=160 mg/dL'],
    ['SG ', '<=1.005', '5811-5 <=1.005 1'],
    ['DEN', '1.015', '5811-5 1.015 1'],
    ['BLD', 'Trace-lysed', '5794-3 trace "Trace-lysed"'],
    ['BLO', 'Large', '5794-3 large "Large"'],
    ['SAN', 'Ca 200 Ery/uL', '5794-3 pos "Ca 200 Ery/uL"'],
    ['BLD', 'Apr 0 Hem/uL', '- unmapped BLD "Apr 0 Hem/uL"'],
    ['BLD', 'Apr 500 Leu/uL', '- unmapped BLD "Apr 500 Leu/uL"'],
    ['pH ', '>=9.0', '5803-2 >=9 [pH]'],
    ['PRO', 'Trace', '20454-5 trace "Trace"'],
    ['PRO', '>=300 mg/dL', '5804-0 >=300 mg/dL'],
    ['UBG', '0.2 mg/dL', '20405-7 0.2 mg/dL'],
    ['UBG', '0.2 E.U./dL', '20405-7 unmapped UBG "0.2 E.U./dL"'],
    ['URO', 'Normal', '20405-7 unmapped URO "Normal"'],
    ['NIT', 'Positive', '5802-4 pos "Positive"'],
    ['LEU', 'Apr 500 Leu/uL', '5799-2 pos "Apr 500 Leu/uL"'],
    ['LEU', 'Trace', '5799-2 trace "Trace"'],
    ['GLU', 'Alto', '- unmapped GLU "Alto"'],
    ['GLU', 'Indicios', '- unmapped GLU "Indicios"'],
    // Symbol grades read the same for every urine analyzer (drivers/families/urine).
    ['GLU', '1+', '25428-4 1+ "1+"'],
    ['ALB', '30 mg/L', '- unmapped ALB "30 mg/L"'],
    ['CRE', '100 mg/dL', '- unmapped CRE "100 mg/dL"'],
    ['A:C', '30-300 mg/g', '- unmapped A:C "30-300 mg/g"'],
    ['ASC', 'Negative', '- unmapped ASC "Negative"'],
  ])('%s %j → %s', (code, result, expected) => {
    expect(summary(triplet(code, result))).toBe(expected);
  });

  it('keeps the decimals the strip printed with the value (SG 1.020, pH 6.0), none for integers', () => {
    expect(triplet('SG ', '1.020').value).toEqual({ kind: 'quantity', value: 1.02, unit: '1', decimals: 3 });
    expect(triplet('pH ', '6.0').value).toEqual({ kind: 'quantity', value: 6, unit: '[pH]', decimals: 1 });
    expect(triplet('DEN', '>=1.030').value).toEqual({ kind: 'quantity', value: 1.03, unit: '1', comparator: '>=', decimals: 3 });
    expect(triplet('GLU', '100 mg/dL').value).toEqual({ kind: 'quantity', value: 100, unit: 'mg/dL' });
  });

  it('turns a `*` flag into interpretation A on mapped and unmapped results alike', () => {
    expect(triplet('NIT', 'Positive', '*').interpretation).toBe('A');
    expect(triplet('ALB', '80 mg/L', '*')).toEqual({ value: { kind: 'unmapped', label: 'ALB', text: '80 mg/L' }, interpretation: 'A' });
    expect(triplet('NIT', 'Negative').interpretation).toBeUndefined();
  });

  it('never puts an ordinal on a quantitative code, nor a quantity on an ordinal one', () => {
    const samples = ['Negative', 'Negativo', 'Trace', 'Small', 'Moderate', 'Large', 'Positive', 'Normal', 'Bajo', 'Alto', '30 mg/dL', '>=1.030', '7.0', 'Apr 200 Hem/uL', '0.2 E.U./dL', 'x?'];
    for (const row of URINE_ANALYTES) {
      for (const code of row.codes) {
        for (const result of samples) {
          const o = triplet(code, result);
          expect(ObservationSchema.safeParse(o).success).toBe(true);
          if (o.code === undefined) continue;
          const entries = entriesForLoinc(o.code);
          if (o.value?.kind === 'ordinal') expect(entries.every((e) => e.scale === 'Ord')).toBe(true);
          if (o.value?.kind === 'quantity') expect(entries.every((e) => e.scale === 'Qn')).toBe(true);
        }
      }
    }
  });
});

describe('colour, clarity and the rest', () => {
  it('leaves out colour and clarity that were not entered, in English and Spanish', () => {
    expect(['Not Entered', 'No introducido', 'NOT ENTERED', ''].every(isNotEntered)).toBe(true);
    expect(isNotEntered('Amarillo')).toBe(false);
    const r = results(ENGLISH_12H);
    expect(normalizeResults({ ...r, colour: 'No introducido', clarity: 'Cloudy' }).observations[0]).toEqual({
      code: CATALOG.urineClarity.loinc,
      display: CATALOG.urineClarity.display,
      value: { kind: 'text', text: 'Cloudy' },
    });
  });

  it('classifies printed results by form (the urine family reads them)', () => {
    expect(parseUrineValue('>=1.030')).toEqual({ form: 'number', value: 1.03, comparator: '>=', unit: '', decimals: 3 });
    expect(parseUrineValue('3.2 umol/L')).toEqual({ form: 'number', value: 3.2, unit: 'umol/L', decimals: 1 });
    expect(parseUrineValue('500 mg/dL')).toEqual({ form: 'number', value: 500, unit: 'mg/dL' });
    expect(parseUrineValue('Apr 500 Leu/uL')).toEqual({ form: 'approximate', value: 500, unit: 'Leu/uL' });
    expect(parseUrineValue('Trace-intact')).toEqual({ form: 'word', word: 'Trace-intact' });
    expect(triplet('PRO', '1+ 30 mg/dL').value).toEqual({ kind: 'quantity', value: 30, unit: 'mg/dL' });
  });

  it('keeps a number too long to be a number (Infinity) as unmapped text, so the reading stays valid', () => {
    // Found by the fuzzer: a flooded urobilinogen result of 400 digits became quantity Infinity,
    // which the Reading schema refuses, so the whole record was dropped.
    const digits = '2'.repeat(400);
    expect(parseUrineValue(`${digits} mg/dL`)).toEqual({ form: 'other' });
    expect(parseUrineValue(`Apr ${digits} Ery/uL`)).toEqual({ form: 'other' });
    expect(normalizeTriplet({ code: 'UBG', result: `${digits} mg/dL`, flag: '*' })).toMatchObject({ value: { kind: 'unmapped', text: `${digits} mg/dL` }, interpretation: 'A' });
  });

  it('finds analytes by code whatever the padding or case, and words only where they belong', () => {
    expect(findUrineAnalyte('SG ')?.analyte).toBe('specific gravity');
    expect(findUrineAnalyte('ph')?.analyte).toBe('pH');
    expect(findUrineAnalyte('DEN')).toBe(findUrineAnalyte('SG'));
    expect(findUrineAnalyte('ALB')).toBeUndefined();
    expect(urineGrade('Bajo', findUrineAnalyte('BIL'))).toBe('small');
    expect(urineGrade('Bajo', findUrineAnalyte('PRO'))).toBeUndefined();
    expect(urineGrade('constructor', findUrineAnalyte('GLU'))).toBeUndefined();
  });

  it('words an error record for a person, naming the test and the sample when there is one', () => {
    const base = { ...results(ENGLISH_12H), type: 'error', errorCode: 'E58' } as unknown as ClinitekErrorRecord;
    expect(errorMessage({ ...base, sequence: '5420', sampleId: 'BM20070002' })).toBe(
      "Clinitek reported error E58 for test 5420 (sample BM20070002); the strip was not read — see the analyzer's manual and repeat the test",
    );
    expect(errorMessage({ ...base, sequence: '12', sampleId: '' })).toMatch(/^Clinitek reported error E58 for test 12; the strip was not read/);
  });
});
