import { describe, expect, it } from 'vitest';
import { ObservationSchema } from '../../../shared/observation.ts';
import { decodeLibreRecord, decodeNeoRecord, type LibreRecord, type NeoRecord } from './decode.ts';
import { KETONE_HIGH_MMOL_L, NEO_GLUCOSE_HIGH_MG_DL, NEO_GLUCOSE_LOW_MG_DL, ketoneMmolPerL, normalizeLibre, normalizeNeo, type FreestyleNeoNormalizedRecord } from './normalize.ts';

function neo(line: string, unit?: 'mg/dL' | 'mmol/L'): FreestyleNeoNormalizedRecord {
  const d = decodeNeoRecord(line);
  if (!d.ok || d.record.kind === 'event') throw new Error('not a measurement');
  return normalizeNeo(d.record as Extract<NeoRecord, { kind: 'glucose' | 'ketone' }>, unit);
}

function libre(set: Record<number, number>, unit?: 'mg/dL' | 'mmol/L'): FreestyleNeoNormalizedRecord {
  const f: (string | number)[] = [1234, 2, 6, 9, 24, 14, 5, 33, 1, 0, 0, 0, 117, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, '"Walk"', '"Sick"', '""', '""', '""', '""'];
  for (const [i, v] of Object.entries(set)) f[Number(i)] = v;
  if (set[17]) f.push(7, 6, 9, 24, 14, 5, 33, 1, 8);
  const d = decodeLibreRecord(f.join(','));
  if (!d.ok || d.record.kind !== 'reading') throw new Error('not a reading');
  return normalizeLibre(d.record as Extract<LibreRecord, { kind: 'reading' }>, unit);
}

const GLUCOSE = { code: '41653-7', display: 'Glucose [Mass/volume] in Capillary blood by Glucometer', mdc: 160184 };
const KETONE = { code: '66441-7', display: '3-Hydroxybutyrate [Moles/volume] in Blood by Test strip' };

describe('Neo records → observations (the PROTOCOL.md §3 example records worked by hand)', () => {
  it('7,224: 81 mg/dL on 41653-7, a patient reading without flags', () => {
    expect(neo('7,224,3,21,15,16,45,0,81,0,1,0,0,0,0,0,0,0,0')).toEqual({ kind: 'patient', observations: [{ ...GLUCOSE, value: { kind: 'quantity', value: 81, unit: 'mg/dL' } }], flags: [] });
  });

  it('9,225: raw 9 is 9/18 = 0.5 mmol/L on 66441-7', () => {
    expect(neo('9,225,3,21,15,17,2,0,9,1')).toEqual({ kind: 'patient', observations: [{ ...KETONE, value: { kind: 'quantity', value: 0.5, unit: 'mmol/L', decimals: 1 } }], flags: [] });
  });

  it('7,226: HI is > 500 mg/dL, HH, flagged out-of-range:high', () => {
    expect(neo('7,226,3,22,15,7,58,0,HI,0,1,0,0,0,0,0,0,0,0')).toEqual({
      kind: 'patient',
      observations: [{ ...GLUCOSE, value: { kind: 'quantity', value: 500, unit: 'mg/dL', comparator: '>' }, interpretation: 'HH' }],
      flags: ['out-of-range:high'],
    });
  });
});

describe('Neo bounds, controls, units', () => {
  it('names its documented bounds ([source]: the Tidepool Neo driver comment)', () => {
    expect([NEO_GLUCOSE_LOW_MG_DL, NEO_GLUCOSE_HIGH_MG_DL, KETONE_HIGH_MMOL_L]).toEqual([20, 500, 8]);
  });

  it('LO is < 20 mg/dL, LL, flagged out-of-range:low', () => {
    expect(neo('7,1,1,2,24,8,0,0,LO,0,1,0,0,0,0,0,0,0,0')).toMatchObject({
      observations: [{ code: '41653-7', value: { value: 20, comparator: '<' }, interpretation: 'LL' }],
      flags: ['out-of-range:low'],
    });
  });

  it('ketone HI is > 8.0 mmol/L; an undocumented ketone LO stays unmapped on the ketone code', () => {
    expect(neo('9,1,1,2,24,8,0,0,HI,1')).toMatchObject({ observations: [{ code: '66441-7', value: { value: 8, comparator: '>' }, interpretation: 'HH' }], flags: ['out-of-range:high'] });
    expect(neo('9,1,1,2,24,8,0,0,LO,1').observations).toEqual([{ ...KETONE, value: { kind: 'unmapped', label: 'β-ketone', text: 'LO' } }]);
  });

  it('control solution (glucose and ketone) is kind control, flagged, never patient', () => {
    expect(neo('7,1,1,2,24,8,0,0,120,0,0,0,0,0,0,0,0,0,0')).toMatchObject({ kind: 'control', flags: ['control-solution'] });
    expect(neo('7,1,1,2,24,8,0,0,HI,0,0,0,0,0,0,0,0,0,0')).toMatchObject({ kind: 'control', flags: ['control-solution', 'out-of-range:high'] });
    expect(neo('9,1,1,2,24,8,0,0,27,0')).toMatchObject({ kind: 'control', flags: ['control-solution'], observations: [{ value: { value: 1.5 } }] });
  });

  it('keeps mg/dL on a meter that displays mmol/L, and says so with a flag (glucose only)', () => {
    expect(neo('7,1,1,2,24,8,0,0,94,0,1,0,0,0,0,0,0,0,0', 'mmol/L')).toMatchObject({ observations: [{ code: '41653-7', value: { value: 94, unit: 'mg/dL' } }], flags: ['meter-display:mmol/L'] });
    expect(neo('9,1,1,2,24,8,0,0,9,1', 'mmol/L').flags).toEqual([]);
    expect(neo('7,1,1,2,24,8,0,0,94,0,1,0,0,0,0,0,0,0,0', 'mg/dL').flags).toEqual([]);
  });

  it('keeps an unknown value text unmapped on the glucose code', () => {
    expect(neo('7,1,1,2,24,8,0,0,E-4,0,1,0,0,0,0,0,0,0,0').observations).toEqual([{ code: GLUCOSE.code, display: GLUCOSE.display, value: { kind: 'unmapped', label: 'glucose', text: 'E-4' } }]);
  });

  it('rounds raw/18 to 0.1 mmol/L as the meter shows it', () => {
    expect([0, 1, 9, 10, 14, 18, 27, 144, 145].map(ketoneMmolPerL)).toEqual([0, 0.1, 0.5, 0.6, 0.8, 1, 1.5, 8, 8.1]);
  });
});

describe('Libre readings → observations', () => {
  it('a strip glucose reading is capillary glucose in mg/dL', () => {
    expect(libre({})).toEqual({ kind: 'patient', observations: [{ ...GLUCOSE, value: { kind: 'quantity', value: 117, unit: 'mg/dL' } }], flags: [] });
  });

  it('a strip ketone reading is value/18 mmol/L', () => {
    expect(libre({ 9: 1, 12: 11 }).observations).toEqual([{ ...KETONE, value: { kind: 'quantity', value: 0.6, unit: 'mmol/L', decimals: 1 } }]);
  });

  it('a sensor scan is interstitial glucose: unmapped, no code, flagged sensor-scan with its trend', () => {
    const r = libre({ 9: 2, 12: 188, 14: 4 });
    expect(r.observations).toEqual([{ value: { kind: 'unmapped', label: 'sensor glucose', text: '188 mg/dL' } }]);
    expect(r.observations.every((o) => ObservationSchema.safeParse(o).success && o.code !== '41653-7')).toBe(true);
    expect(r.flags).toEqual(['sensor-scan', 'trend:up']);
    expect(libre({ 9: 2, 14: 0 }).flags).toEqual(['sensor-scan']);
  });

  it('turns the notes into comment flags, and an unknown reading type into an unmapped value', () => {
    expect(libre({ 15: 1, 16: 1, 17: 1, 18: 1, 19: 0b11, 25: 1 }, 'mmol/L').flags).toEqual([
      'meter-display:mmol/L', 'comment:exercise', 'comment:medication', 'comment:food', 'comment:rapid-acting-insulin', 'comment:long-acting-insulin', 'comment:walk', 'comment:sick',
    ]);
    expect(libre({ 9: 7, 12: 5 }).observations).toEqual([{ value: { kind: 'unmapped', label: 'Libre reading type 7', text: '5' } }]);
  });
});
