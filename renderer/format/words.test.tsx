import { describe, expect, it } from 'vitest';
import { describeFlag, formatLocalTime, mrnText, optionLabel, patientNamed, patientShort, patientText } from './words.ts';

describe('wording', () => {
  it('labels an MRN once', () => {
    expect(mrnText('20418')).toBe('MRN 20418');
    expect(mrnText('MRN-20418')).toBe('MRN-20418');
    expect(patientText({ mrn: 'MRN-20418', name: 'Jane Doe', birthDate: '1980-03-14' })).toBe('MRN-20418 · Jane Doe · DOB 14 Mar 1980');
    expect(patientShort({ mrn: 'mrn20418' })).toBe('mrn20418');
    expect(patientNamed({ mrn: 'MRN-20418', name: 'Jane Doe' })).toBe('Jane Doe (MRN-20418)');
    expect(patientNamed({ mrn: 'MRN-20418' })).toBe('MRN-20418');
    expect(patientNamed({ mrn: '20418' })).toBe('MRN 20418');
  });

  it('shows seconds of a device time when asked and the device sent them', () => {
    expect(formatLocalTime('2026-01-14T08:30:12', true)).toBe('14 Jan 2026 08:30:12');
    expect(formatLocalTime('2026-01-14T08:30:12')).toBe('14 Jan 2026 08:30');
    expect(formatLocalTime('2026-01-14T08:30', true)).toBe('14 Jan 2026 08:30');
  });

  it('names driver options in words', () => {
    expect(optionLabel({ key: 'stabilityWindowSeconds', label: 'Stability window' })).toBe('Stability window');
    expect(optionLabel({ key: 'stabilityWindowSeconds' })).toBe('Stability window seconds');
    expect(optionLabel({ key: 'spo2Tolerance' })).toBe('Spo2 tolerance');
    expect(optionLabel({ key: 'meter' })).toBe('Meter');
  });
});

describe('blood-pressure flags', () => {
  it('words body movement as something to look at, not a neutral note', () => {
    expect(describeFlag('body-movement')).toEqual({ text: 'Arm moved during the measurement: consider measuring again', tone: 'sensor' });
  });
});
