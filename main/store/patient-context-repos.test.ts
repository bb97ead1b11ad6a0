import { describe, expect, it } from 'vitest';
import { useTempStore } from '../../test/helpers/store-fixtures.ts';
import type { HubDatabase } from './hub-database.ts';

let store: HubDatabase;
useTempStore((opened) => (store = opened.store));

describe('patient sources and visits in the store', () => {
  it('keeps a source as validated, never changes its kind, and removes it', () => {
    const fhir = { id: 'ehr', name: 'EHR', kind: 'fhir', enabled: true, baseUrl: 'https://ehr.example/fhir', auth: { type: 'bearer' }, timeoutMs: 10_000 } as const;
    expect(store.patientSources.save(fhir, true, '2026-12-07T08:00:00Z')).toMatchObject({ source: fhir, hasSecret: true });
    const adt = { id: 'ehr', name: 'ADT', kind: 'hl7-adt', enabled: true, listen: '127.0.0.1:2576' } as const;
    expect(() => store.patientSources.save(adt, false, '2026-12-07T08:01:00Z')).toThrow(/is a fhir source/);
    expect(store.patientSources.save({ ...adt, id: 'adt' }, false, '2026-12-07T08:01:00Z').source.kind).toBe('hl7-adt');
    expect(store.patientSources.list().map((r) => r.source.id)).toEqual(['adt', 'ehr']);
    expect(store.patientSources.remove('ehr')).toBe(true);
    expect(store.patientSources.get('ehr')).toBeUndefined();
  });

  it("lists a day's visits in time order, moves them with a merge and expires the stale ones", () => {
    const visit = (id: string, mrn: string, start: string, updatedAt = '2026-12-07T07:00:00Z') => ({ id: `ehr:${id}`, sourceId: 'ehr', mrn, state: 'arrived' as const, start, room: '3', updatedAt });
    store.visits.save(visit('b', 'MRN-2', '2026-12-07T09:30:00+01:00'));
    store.visits.save(visit('a', 'MRN-1', '2026-12-07T09:00:00+01:00'));
    store.visits.save(visit('old', 'MRN-1', '2026-12-06T09:00:00+01:00', '2026-12-06T07:00:00Z'));
    expect(store.visits.between('2026-12-07T00:00:00+01:00', '2026-12-08T00:00:00+01:00').map((v) => v.id)).toEqual(['ehr:a', 'ehr:b']);
    // Another source's offset compares as the instant it is, not as text.
    store.visits.save({ ...visit('c', 'MRN-3', '2026-12-07T03:15:00-05:00'), id: 'adt:c', sourceId: 'adt' });
    expect(store.visits.between('2026-12-07T00:00:00+01:00', '2026-12-08T00:00:00+01:00').map((v) => v.id)).toEqual(['ehr:a', 'adt:c', 'ehr:b']);
    expect(store.visits.get('adt:c')?.start).toBe('2026-12-07T08:15:00.000Z');
    expect(store.visits.moveToPatient('MRN-1', 'MRN-2')).toBe(2);
    expect(store.visits.ofPatient('MRN-2').map((v) => v.id).sort()).toEqual(['ehr:a', 'ehr:b', 'ehr:old']);
    expect(store.visits.expire('2026-12-07T00:00:00Z')).toBe(1);
    expect(store.visits.get('ehr:old')).toBeUndefined();
  });
});

describe('what a source vouched for, on the patient row', () => {
  it('creates or updates the patient verified, reads it back, records a merge and expires unused rows', () => {
    store.patients.createLocal({ mrn: 'MRN-1', name: 'Jane Doe', birthDate: '1961-04-23' }, '2026-12-01T08:00:00Z');
    const fromEhr = {
      mrn: 'MRN-1',
      identifiers: [{ system: 'urn:oid:1.2.3', value: 'MRN-1' }],
      name: 'DOE, Jane',
      birthDate: '1961-04-23',
      sex: 'female' as const,
      fhirId: 'p1',
      sourceId: 'ehr',
      verifiedAt: '2026-12-07T08:00:00Z',
    };
    expect(store.patients.saveFromSource(fromEhr)).toMatchObject({ mrn: 'MRN-1', name: 'DOE, Jane', verified: true });
    expect(store.patients.sourcePatient('MRN-1')).toEqual(fromEhr);
    store.patients.saveFromSource({ ...fromEhr, mrn: 'MRN-9', fhirId: 'p9', identifiers: [{ value: 'MRN-9' }] });
    store.patients.markMerged('MRN-9', 'MRN-1', '2026-12-07T08:05:00Z');
    expect(store.patients.sourcePatient('MRN-9')?.mergedInto).toBe('MRN-1');
    expect(store.patients.sourcePatient('MRN-2')).toBeUndefined();
    expect(store.patients.expireSourceData('2026-12-08T00:00:00Z')).toBe(2);
    expect(store.patients.get('MRN-9')).toBeUndefined();
  });
});
