import { describe, expect, it } from 'vitest';
import { PatientSourceSchema } from './patient-sources.ts';

const fhir = (baseUrl: string) => PatientSourceSchema.safeParse({ id: 'ehr', name: 'EHR', kind: 'fhir', baseUrl, auth: { type: 'bearer' } });

describe('a FHIR patient source', () => {
  it('takes https, or plain http to this machine only: a bearer token and identities never cross the network in the clear', () => {
    expect(fhir('https://ehr.example.org/fhir').success).toBe(true);
    expect(fhir('http://127.0.0.1:8080/fhir').success).toBe(true);
    const remote = fhir('http://ehr.example.org/fhir');
    expect(remote.success).toBe(false);
    expect(remote.error?.issues[0]?.message).toMatch(/use https/);
  });
});
