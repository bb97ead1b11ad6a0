import { describe, expect, it } from 'vitest';
import type { HubDatabase } from '../store/hub-database.ts';
import { putPatientsOnFile, useTempStore } from '../../test/helpers/store-fixtures.ts';
import { thrown } from '../../test/helpers/thrown.ts';
import { HubWorkflow } from './hub-workflow.ts';
import { hashPin } from './pin-hash.ts';

// The identification rules of docs/architecture.md §8 rule 2, through the workflow (no UI).
const PIN_HASH = hashPin('1234'); // once per file: scrypt is slow on purpose

let store: HubDatabase;
let wf: HubWorkflow;
useTempStore((opened) => {
  store = opened.store;
  // The workflow's clock, not the machine's, decides what "in the future" means.
  wf = new HubWorkflow(store, 'room-1', () => Date.parse('2025-03-03T09:00:00Z'));
  store.operators.insert({ id: 'op-ana', name: 'Ana', badgeId: 'B-1', role: 'assistant', pinHash: PIN_HASH, createdAt: '2025-01-01T00:00:00Z' });
  putPatientsOnFile(store, { mrn: 'J-1', name: 'Jane Doe', birthDate: '1980-01-15' }, { mrn: 'D-1', birthDate: '1950-05-05' }, { mrn: 'N-1', name: 'Kim Ode' });
  wf.signIn({ badgeId: 'B-1', pin: '1234' });
});

const actions = (): string[] => wf.listAudit({}).map((a) => a.action).reverse().filter((a) => a.startsWith('patient.'));
const patientRow = (mrn: string): unknown => store.db.prepare('SELECT mrn, name, birth_date, verified FROM patients WHERE mrn = ?').get(mrn);

describe('date of birth', () => {
  it('refuses one in the future by the workflow clock, and one more than 130 years ago, in plain words', () => {
    const local = { mrn: 'NEW-1', name: 'Baby Doe', createLocal: true } as const;
    const future = thrown(() => wf.selectPatient({ ...local, birthDate: '2025-03-04' }));
    expect(future).toMatchObject({ code: 'INPUT_INVALID', message: 'The date of birth 2025-03-04 is in the future: check the wristband.', details: { field: 'birthDate' } });
    expect(thrown(() => wf.selectPatient({ ...local, birthDate: '2099-01-01' })).code).toBe('INPUT_INVALID');
    const old = thrown(() => wf.selectPatient({ ...local, birthDate: '1895-03-02' }));
    expect(old).toMatchObject({ code: 'INPUT_INVALID', message: 'The date of birth 1895-03-02 is more than 130 years ago: check the wristband.' });
    // Refused before anything is written, and even for an MRN on file.
    expect(thrown(() => wf.selectPatient({ mrn: 'N-1', name: 'Kim Ode', birthDate: '2099-01-01' })).code).toBe('INPUT_INVALID');
    expect(patientRow('NEW-1')).toBeUndefined();
    expect(patientRow('N-1')).toMatchObject({ birth_date: null });
    // The edges are allowed: born today, and exactly 130 years ago.
    expect(wf.selectPatient({ ...local, birthDate: '2025-03-03' })).toMatchObject({ mrn: 'NEW-1', birthDate: '2025-03-03' });
    expect(wf.selectPatient({ mrn: 'OLD-1', name: 'Ida Old', birthDate: '1895-03-03', createLocal: true })).toMatchObject({ birthDate: '1895-03-03' });
  });
});

describe('an MRN not on file', () => {
  // safety: SR-ID-2
  it('is never a new patient silently: NOT_FOUND in plain words, nothing stored, nothing selected', () => {
    const e = thrown(() => wf.selectPatient({ mrn: 'X-9', birthDate: '1990-01-01', name: 'Max Mustermann' }));
    expect(e).toMatchObject({
      code: 'NOT_FOUND',
      message: 'No patient with MRN X-9 on file on this workstation. Check the wristband, or add a new local patient.',
      details: { mrn: 'X-9', unknown: true },
    });
    expect(patientRow('X-9')).toBeUndefined();
    expect(wf.currentPatient()).toBeUndefined();
    expect(actions()).toEqual([]);
  });

  // safety: SR-ID-2
  it('becomes a local, unverified patient only with createLocal and all three identifiers, audited', () => {
    const partial = thrown(() => wf.selectPatient({ mrn: 'X-9', birthDate: '1990-01-01', createLocal: true }));
    expect(partial).toMatchObject({ code: 'INPUT_INVALID', message: 'A new local patient needs the MRN, the date of birth and the name.' });
    const created = wf.selectPatient({ mrn: 'X-9', birthDate: '1990-01-01', name: 'Max Mustermann', createLocal: true });
    expect(created).toEqual({ mrn: 'X-9', name: 'Max Mustermann', birthDate: '1990-01-01', verified: false });
    expect(wf.currentPatient()).toEqual(created);
    expect(patientRow('X-9')).toEqual({ mrn: 'X-9', name: 'Max Mustermann', birth_date: '1990-01-01', verified: 0 });
    expect(actions()).toEqual(['patient.create-local', 'patient.select']);
    const audit = wf.listAudit({}).find((a) => a.action === 'patient.create-local');
    expect(audit).toMatchObject({ operator: 'Ana', subject: 'X-9', details: { verified: false } });
    // From now on it is a patient on file like any other, checked against what was given.
    expect(thrown(() => wf.selectPatient({ mrn: 'X-9', birthDate: '1991-01-01' })).code).toBe('CONFLICT');
  });

  it('createLocal for an MRN already on file is refused: select the patient instead', () => {
    const e = thrown(() => wf.selectPatient({ mrn: 'J-1', birthDate: '1980-01-15', name: 'Jane Doe', createLocal: true }));
    expect(e).toMatchObject({ code: 'CONFLICT', details: { alreadyOnFile: true } });
    expect(e.message).toMatch(/already on file/);
  });
});

describe('a name for a patient on file without one', () => {
  // safety: SR-ID-3
  it('is not stored silently: CONFLICT until the explicit add-name step, which is audited', () => {
    const e = thrown(() => wf.selectPatient({ mrn: 'D-1', birthDate: '1950-05-05', name: 'Rosa Ortiz' }));
    expect(e).toMatchObject({ code: 'CONFLICT', details: { mrn: 'D-1', nameMissing: true } });
    expect(e.message).toBe('MRN D-1 has no name on file: add it with "Add name to this patient", or select the patient without the name.');
    expect(patientRow('D-1')).toMatchObject({ name: null });
    expect(wf.currentPatient()).toBeUndefined();

    expect(wf.selectPatient({ mrn: 'D-1', birthDate: '1950-05-05', name: 'Rosa Ortiz', addName: true })).toEqual({
      mrn: 'D-1',
      name: 'Rosa Ortiz',
      birthDate: '1950-05-05',
      verified: false,
    });
    expect(patientRow('D-1')).toMatchObject({ name: 'Rosa Ortiz' });
    expect(actions()).toEqual(['patient.add-name', 'patient.select']);
    // Now on file, the name is checked like any other identifier.
    expect(thrown(() => wf.selectPatient({ mrn: 'D-1', name: 'Rosa Ortega' })).code).toBe('CONFLICT');
  });

  // safety: SR-ID-3
  it('needs the identifier on file too: a name alone cannot identify the patient it is added to', () => {
    const e = thrown(() => wf.selectPatient({ mrn: 'D-1', name: 'Rosa Ortiz', addName: true }));
    expect(e).toMatchObject({ code: 'CONFLICT', details: { needs: 'birthDate' } });
    expect(patientRow('D-1')).toMatchObject({ name: null });
  });

  it('a different name than on file stays a CONFLICT, addName or not', () => {
    expect(thrown(() => wf.selectPatient({ mrn: 'J-1', birthDate: '1980-01-15', name: 'Janet Doe', addName: true })).details).toMatchObject({ differs: ['name'] });
  });

  it('a missing date of birth is filled in when the name on file matches, then checked', () => {
    expect(wf.selectPatient({ mrn: 'N-1', name: 'Kim Ode', birthDate: '1966-06-06' })).toMatchObject({ birthDate: '1966-06-06' });
    expect(thrown(() => wf.selectPatient({ mrn: 'N-1', birthDate: '1966-06-07' })).code).toBe('CONFLICT');
  });
});
