import { describe, expect, it } from 'vitest';
import type { PatientSource } from '../../../shared/patients/patient-sources.ts';
import { checkSourceDraft, fieldOfPath, newSourceDraft, sourceDraftOf } from './source-draft.ts';

const SMART: PatientSource = {
  id: 'ehr',
  name: 'EHR',
  kind: 'fhir',
  enabled: true,
  baseUrl: 'https://ehr.example/fhir',
  auth: { type: 'smart', clientId: 'hub', privateKeyFile: '/etc/pochub/key.pem', keyId: 'k1', alg: 'RS384', scope: 'system/Patient.rs' },
  caFile: '/etc/pochub/ca.pem',
  timeoutMs: 10000,
};

describe('patient source draft', () => {
  it('keeps what the form does not show (SMART auth, CA file) when another field changes', () => {
    const check = checkSourceDraft({ ...sourceDraftOf(SMART), name: 'Hospital EHR' }, SMART);
    expect(check).toEqual({ ok: true, source: { ...SMART, name: 'Hospital EHR' } });
  });

  it('names each refused field once, and leaves out what was not typed', () => {
    const check = checkSourceDraft({ ...newSourceDraft('fhir'), id: 'Bad Id', baseUrl: 'ftp://x', location: 'Ward 3' });
    expect(check.ok).toBe(false);
    if (check.ok) return;
    expect(Object.keys(check.errors).sort()).toEqual(['baseUrl', 'id', 'location', 'name']);
    expect(check.errors.location).toContain('Location/123');
    const adt = checkSourceDraft({ ...newSourceDraft('hl7-adt'), id: 'adt', name: 'ADT', listen: '127.0.0.1:2576', senders: '\n \n' });
    expect(adt).toEqual({ ok: true, source: { id: 'adt', name: 'ADT', kind: 'hl7-adt', enabled: true, listen: '127.0.0.1:2576' } });
  });

  it('maps the hub’s paths to fields', () => {
    expect(fieldOfPath(['source', 'baseUrl'])).toBe('baseUrl');
    expect(fieldOfPath(['source', 'senders', '2'])).toBe('senders');
    expect(fieldOfPath(['secret'])).toBe('form');
    expect(fieldOfPath(['source', 'auth', 'type'])).toBe('form');
  });
});
