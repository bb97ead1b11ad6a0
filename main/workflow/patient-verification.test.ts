import { describe, expect, it } from 'vitest';
import type { LookupResult } from '../../shared/patients/patient-lookup.ts';
import type { SourcePatient } from '../../shared/patients/patient-sources.ts';
import type { HubDatabase } from '../store/hub-database.ts';
import { putPatientsOnFile, useTempStore } from '../../test/helpers/store-fixtures.ts';
import { thrown } from '../../test/helpers/thrown.ts';
import { HubWorkflow } from './hub-workflow.ts';
import { hashPin } from './pin-hash.ts';

/** Selection against the EHR's answer (patient-verification.ts): the rule, in the workflow, without a network. */
const PIN_HASH = hashPin('1234');
let store: HubDatabase;
let wf: HubWorkflow;
const now = Date.parse('2025-03-03T09:00:00Z');
useTempStore((opened) => {
  store = opened.store;
  wf = new HubWorkflow(store, 'room-1', () => now);
  store.operators.insert({ id: 'op-ana', name: 'Ana', badgeId: 'B-1', role: 'assistant', pinHash: PIN_HASH, createdAt: '2025-01-01T00:00:00Z' });
  putPatientsOnFile(store, { mrn: '12345', name: 'Jane Doe', birthDate: '1980-01-15' });
  wf.signIn({ badgeId: 'B-1', pin: '1234' });
});

const AT = '2025-03-03T08:59:59.000Z';
const ehrJane: SourcePatient = { mrn: '12345', identifiers: [{ system: 'urn:mrn', value: '12345' }], name: 'Doe, Jane', birthDate: '1980-01-15', sex: 'female', fhirId: 'p-1', sourceId: 'ehr', verifiedAt: AT };
const found = (patient: SourcePatient = ehrJane, extra: Partial<Extract<LookupResult, { state: 'found' }>> = {}): LookupResult => ({ state: 'found', patient, sourceId: 'ehr', sourceName: 'Clinic EHR', cached: false, ...extra });
const auditOf = (action: string) => store.audit.listNewest(100).filter((r) => r.action === action).map((r) => ({ subject: r.subject, details: JSON.parse(r.details) as Record<string, unknown> }));

describe('selection with the EHR found', () => {
  it('verifies the patient, stores them as the EHR has them (the EHR name replaces the typed one) and audits it', () => {
    const p = wf.selectPatient({ mrn: '12345', birthDate: '1980-01-15' }, undefined, found());
    expect(p).toEqual({ mrn: '12345', name: 'Doe, Jane', birthDate: '1980-01-15', verified: true, verification: { state: 'verified', sourceName: 'Clinic EHR', at: AT } });
    expect(store.patients.sourcePatient('12345')).toMatchObject({ fhirId: 'p-1', sex: 'female', sourceId: 'ehr' });
    expect(auditOf('patient.select')[0]?.details).toMatchObject({ verification: { state: 'verified', source: 'ehr', at: AT, cached: false } });
  });

  it('refuses a name or birth date that differs from the EHR record, naming both values, stores nothing, and audits the refusal', () => {
    const e = thrown(() => wf.selectPatient({ mrn: '12345', birthDate: '1980-01-16' }, undefined, found()));
    expect(e).toMatchObject({ code: 'CONFLICT', message: 'MRN 12345 is in the EHR (Clinic EHR) born 1980-01-15, not 1980-01-16: check the wristband.', details: { differs: ['birthDate'] } });
    expect(store.patients.sourcePatient('12345')).toBeUndefined();
    expect(wf.currentPatient()).toBeUndefined();
    expect(auditOf('patient.verify-refused')[0]).toEqual({ subject: '12345', details: { source: 'ehr', differs: ['birthDate'] } });
    // The name as typed on this workstation before ("Jane Doe") is not the EHR's ("Doe, Jane").
    expect(thrown(() => wf.selectPatient({ mrn: '12345', name: 'Jane Doe' }, undefined, found())).details).toMatchObject({ differs: ['name'] });
  });

  it('needs a given identifier the EHR has: a name alone for a record with only a birth date is not enough', () => {
    const { name: _n, ...noName } = ehrJane;
    const e = thrown(() => wf.selectPatient({ mrn: '12345', name: 'Doe, Jane' }, undefined, found(noName)));
    expect(e).toMatchObject({ code: 'CONFLICT', details: { needs: 'birthDate' } });
  });

  it('a new MRN the EHR knows is selected without the local-patient step, and createLocal does not make it local', () => {
    const p = wf.selectPatient({ mrn: '999', birthDate: '2001-01-01', name: 'Neu, Ann', createLocal: true }, undefined, found({ ...ehrJane, mrn: '999', name: 'Neu, Ann', birthDate: '2001-01-01' }));
    expect(p).toMatchObject({ mrn: '999', verified: true, verification: { state: 'verified' } });
    expect(auditOf('patient.create-local')).toEqual([]);
  });

  it('an ADT-cached patient is not written again; a merged-away MRN selects the survivor', () => {
    store.patients.saveFromSource({ ...ehrJane, mrn: '777', sourceId: 'adt' });
    const p = wf.selectPatient({ mrn: '700', birthDate: '1980-01-15' }, undefined, found({ ...ehrJane, mrn: '777', sourceId: 'adt' }, { sourceId: 'adt', sourceName: 'Ward ADT', cached: true, mergedFrom: '700' }));
    expect(p).toMatchObject({ mrn: '777', verification: { state: 'verified', sourceName: 'Ward ADT' } });
    expect(auditOf('patient.select')[0]).toMatchObject({ subject: '777', details: { verification: { mergedFrom: '700', cached: true } } });
  });
});

describe('selection when the EHR does not vouch', () => {
  it('not in the EHR: an unknown MRN is refused in those words; the local-patient step creates one marked so', () => {
    const notFound: LookupResult = { state: 'not-found', asked: ['Clinic EHR'] };
    expect(thrown(() => wf.selectPatient({ mrn: '55', birthDate: '2000-01-01' }, undefined, notFound))).toMatchObject({
      code: 'NOT_FOUND',
      message: 'MRN 55 is not in the EHR (Clinic EHR). Check the wristband, or add a new local patient.',
    });
    const p = wf.selectPatient({ mrn: '55', birthDate: '2000-01-01', name: 'Loc, Al', createLocal: true }, undefined, notFound);
    expect(p).toMatchObject({ verified: false, verification: { state: 'not-in-ehr', reason: 'not in Clinic EHR' } });
  });

  it('unreachable: the patient on file is selected and marked unreachable; an unknown MRN is refused saying so', () => {
    const down: LookupResult = { state: 'unreachable', reason: 'Clinic EHR: Connection refused' };
    expect(wf.selectPatient({ mrn: '12345', birthDate: '1980-01-15' }, undefined, down)).toMatchObject({ name: 'Jane Doe', verification: { state: 'unreachable', reason: 'Clinic EHR: Connection refused' } });
    expect(thrown(() => wf.selectPatient({ mrn: '12345', birthDate: '1980-01-16' }, undefined, down)).code).toBe('CONFLICT');
    expect(thrown(() => wf.selectPatient({ mrn: '66', birthDate: '2000-01-01' }, undefined, down)).message).toContain('the EHR cannot be reached');
    expect(auditOf('patient.select')[0]?.details).toMatchObject({ verification: { state: 'unreachable' } });
  });

  it('no sources: selection is as before, with no verification on the patient', () => {
    expect(wf.selectPatient({ mrn: '12345', birthDate: '1980-01-15' }, undefined, { state: 'no-sources' })).toEqual({ mrn: '12345', name: 'Jane Doe', birthDate: '1980-01-15', verified: false });
  });
});
