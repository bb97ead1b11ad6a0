import { describe, expect, it } from 'vitest';
import type { AuditEntry } from '../../shared/api/model.ts';
import { auditSentence, auditValueText, storedValueText } from './audit-words.ts';

let seq = 0;
const row = (action: string, details: Record<string, unknown>, extra: Partial<AuditEntry> = {}): AuditEntry => ({ seq: ++seq, at: '2026-01-14T08:30:00Z', action, details, hash: 'h', ...extra });
const lookup = { patientName: (mrn: string) => (mrn === 'MRN-20418' ? 'Jane Doe' : undefined), deviceLabel: (key: string) => (key === 'masimo-rad8:SN1' ? 'Masimo Rad-8 (SN1)' : undefined) };

describe('audit sentences', () => {
  it('words following a central configuration: applied with its version, refused with the reason', () => {
    const url = 'https://it.example/pochub.json';
    expect(auditSentence(row('config.follow.applied', { url, sha256: 'ab12cd34ef56aa77', etag: '"x"' }))).toBe(`The central configuration from ${url} was applied (version ab12cd34ef56).`);
    expect(auditSentence(row('config.follow.refused', { url, reason: 'the signature does not match' }))).toBe(`A central configuration from ${url} was refused: the signature does not match. The last good configuration stays.`);
    expect(auditSentence(row('config.follow.subscribed', { url }, { operator: 'Avery Admin' }))).toBe(`Avery Admin set this workstation to follow the central configuration at ${url}.`);
  });

  it('says who confirmed what for whom', () => {
    const r = row('reading.confirm', { mrn: 'MRN-20418', device: 'masimo-rad8:SN1', values: ['59408-5 97 %', '8867-4 72 /min'] }, { operator: 'Ana Lee' });
    expect(auditSentence(r, lookup)).toBe('Ana Lee confirmed SpO₂ 97 %, Pulse 72 /min for MRN-20418 (Jane Doe).');
    const batch = row('reading.confirm', { mrn: '555', device: 'masimo-rad8:SN1', values: ['59408-5 97 %'], batch: 'masimo-rad8:SN1' }, { operator: 'Ana Lee' });
    expect(auditSentence(batch, lookup)).toBe('Ana Lee confirmed SpO₂ 97 % for MRN 555 (all of Masimo Rad-8 (SN1)).');
  });

  it('words values by catalog name, without doubled or UCUM units', () => {
    expect(auditValueText('5803-2 7.5 [pH]')).toBe('pH 7.5');
    expect(auditValueText('8480-6 142 mm[Hg]')).toBe('Systolic 142 mmHg');
    expect(auditValueText('PI 03.19%')).toBe('PI 3.19 %');
  });

  it('covers arrivals, assignment, rejection, patients and sign-in', () => {
    expect(auditSentence(row('reading.arrived', { device: 'masimo-rad8:SN1', kind: 'patient', values: ['59408-5 97 %'] }), lookup)).toBe('A reading arrived from Masimo Rad-8 (SN1): SpO₂ 97 %, unassigned.');
    expect(auditSentence(row('reading.assign', { mrn: 'MRN-20418', device: 'x:1' }, { operator: 'Ana Lee' }), lookup)).toBe('Ana Lee assigned a reading from x:1 to MRN-20418 (Jane Doe).');
    expect(auditSentence(row('reading.reject', { reason: 'measurement-error', note: 'cuff slipped', mrn: null, device: 'x:1', values: ['59408-5 97 %'] }, { operator: 'Ana Lee' }))).toBe(
      'Ana Lee rejected SpO₂ 97 %: measurement error ("cuff slipped").',
    );
    expect(auditSentence(row('patient.select', { newPatient: true, previous: '77', previousPending: 2, pendingAction: 'keep-with-previous' }, { operator: 'Ana Lee', subject: 'MRN-20418' }), lookup)).toBe(
      'Ana Lee selected new patient MRN-20418 (Jane Doe); 2 pending readings of MRN 77 kept with that patient.',
    );
    expect(auditSentence(row('operator.sign-in', { name: 'Ana Lee', role: 'assistant' }, { operator: 'Ana Lee' }))).toBe('Ana Lee signed in as assistant.');
    expect(auditSentence(row('operator.sign-in-failed', { reason: 'wrong-pin', failures: 1, locked: false }, { subject: '1234' }))).toBe('Sign-in refused for badge 1234: wrong PIN.');
  });

  it('still reads as words for an action it does not know', () => {
    expect(auditSentence(row('device.recalibrate', {}, { operator: 'Bo Biomed', subject: 'LOT-7' }))).toBe('Bo Biomed: device recalibrate (LOT-7).');
  });

  it('words the outbox’s stored values the same way', () => {
    expect(storedValueText('8480-6 128 mm[Hg]')).toBe('Systolic 128 mmHg');
    expect(storedValueText('Systolic blood pressure 142 mm[Hg]')).toBe('Systolic blood pressure 142 mmHg');
    expect(storedValueText('pH of Urine by Test strip 7.5 [pH]')).toBe('pH of Urine by Test strip 7.5');
    expect(storedValueText('Specific gravity of Urine by Test strip 1.02 1')).toBe('Specific gravity of Urine by Test strip 1.02');
    expect(storedValueText('Leukocytes [Presence] in Urine by Test strip Moderate')).toBe('Leukocytes [Presence] in Urine by Test strip Moderate');
  });

  it('words the safety events of sessions, identification, device roles and QC as sentences', () => {
    expect(auditSentence(row('session.lock', { idleSeconds: 300 }, { operator: 'Ana Lee' }))).toBe('The screen of Ana Lee locked after 5 minutes without activity.');
    expect(auditSentence(row('operator.switch', { fromName: 'Ana Lee', name: 'Ben Cho', patientCleared: 'MRN-20418' }, { operator: 'Ben Cho' }), lookup)).toBe(
      'Ben Cho took over the locked screen of Ana Lee; patient MRN-20418 (Jane Doe) was deselected.',
    );
    expect(auditSentence(row('patient.create-local', {}, { operator: 'Ana Lee', subject: '555' }))).toBe('Ana Lee added local patient MRN 555 (not verified against the EHR).');
    expect(auditSentence(row('reading.import', { mrn: 'MRN-20418', device: 'masimo-rad8:SN1', ageMinutes: 200, acknowledgedOld: true }, { operator: 'Ana Lee' }), lookup)).toBe(
      "Ana Lee imported a result from Masimo Rad-8 (SN1)'s memory for MRN-20418 (Jane Doe) (measured 200 minutes before, its age acknowledged).",
    );
    expect(auditSentence(row('qc.fail', { device: 'meter', lot: 'L123', level: '2', value: 320, unit: 'mg/dL', low: 250, high: 300, reason: 'out of range' }))).toBe(
      'A control on meter FAILED: lot L123 level 2, 320 mg/dL (expected 250–300), out of range.',
    );
    expect(auditSentence(row('qc.interval', { intervalHours: null }, { operator: 'Avery Admin', subject: 'meter' }))).toBe('Avery Admin removed the QC interval of meter.');
  });
});
