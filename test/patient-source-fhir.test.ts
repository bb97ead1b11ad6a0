import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHub, type Hub } from '../main/app.ts';
import { PatientSourceService } from '../main/patients/patient-source-service.ts';
import type { ApiResult } from '../shared/api/client.ts';
import { CLINIC_PATIENTS, MRN_SYSTEM, seedClinic, type SeededClinic } from './helpers/clinic-seed.ts';
import { startFhirPeer, type FhirPeer } from './peers/fhir-peer.ts';

/**
 * The FHIR patient source against a real FHIR server (Medplum's router on loopback, seeded with
 * Patients, Appointments and Encounters): look-up, selection verified or refused, today's
 * schedule over several pages, the server down, SMART Backend Services.
 */
const ADMIN = { badgeId: '9001', pin: '9999' };
const MA = { badgeId: '1001', pin: '1234' };

let dir: string;
let peer: FhirPeer;
let clinic: SeededClinic;
let hub: Hub;
const ctx = (session: string) => ({ binding: 'internal' as const, session });

async function call(session: string, method: string, input: unknown): Promise<ApiResult<unknown>> {
  return hub.call(method, input, ctx(session));
}
async function value<T>(session: string, method: string, input: unknown): Promise<T> {
  const r = await call(session, method, input);
  if (!r.ok) throw new Error(`${method}: ${r.error.code} ${r.error.message}`);
  return r.value as T;
}
const auditRows = (action: string) =>
  hub.store.audit
    .listNewest(1000)
    .reverse()
    .filter((row) => row.action === action)
    .map((row) => ({ ...row, details: JSON.parse(row.details) as Record<string, unknown> }));

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'pochub-sources-'));
  peer = await startFhirPeer({ bearerToken: 'tok-123' });
  clinic = await seedClinic(peer);
  hub = createHub({ dataDir: join(dir, 'hub'), demo: false, workstation: 'room-4', discovery: false, exportWorkers: false, log: () => undefined });
  hub.workflow.operators.add({ badgeId: ADMIN.badgeId, pin: ADMIN.pin, role: 'admin', name: 'Avery Admin' });
  hub.workflow.operators.add({ badgeId: MA.badgeId, pin: MA.pin, role: 'assistant', name: 'Alex Assistant' });
  await value('admin', 'signIn', ADMIN);
  await value('ma', 'signIn', MA);
}, 60_000);

afterAll(async () => {
  await hub.close();
  await peer.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('patient sources: settings', () => {
  it('an admin saves a FHIR source; the token goes to the secret store, never into lists or the audit log', async () => {
    const source = { id: 'clinic-ehr', name: 'Clinic EHR', kind: 'fhir', baseUrl: peer.baseUrl, identifierSystem: MRN_SYSTEM, location: clinic.location, auth: { type: 'bearer' } };
    expect(await call('ma', 'savePatientSource', { source, secret: 'tok-123' })).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    const saved = await value<{ hasSecret: boolean }>('admin', 'savePatientSource', { source, secret: 'tok-123' });
    expect(saved.hasSecret).toBe(true);
    const listed = JSON.stringify(await value('admin', 'listPatientSources', {}));
    expect(listed).toContain('clinic-ehr');
    expect(listed).not.toContain('tok-123');
    const audit = auditRows('patient-source.save');
    expect(audit).toHaveLength(1);
    expect(JSON.stringify(audit[0])).not.toContain('tok-123');
    expect(audit[0]?.details).toMatchObject({ created: true, secret: 'set' });
    const bad = await call('admin', 'savePatientSource', { source: { ...source, baseUrl: 'ftp://x' } });
    expect(bad).toMatchObject({ ok: false, error: { code: 'INPUT_INVALID' } });
  });

  it('"test connection" reads the CapabilityStatement and makes one authorised search', async () => {
    expect(await value('admin', 'testPatientSource', { sourceId: 'clinic-ehr' })).toMatchObject({ ok: true });
  });
});

describe('look-up and verification at selection', () => {
  it('looks a patient up by system|MRN and reads name, birth date, sex, identifiers and logical id', async () => {
    const found = await hub.patients.lookup('MRN-1001');
    expect(found).toMatchObject({
      state: 'found',
      sourceId: 'clinic-ehr',
      cached: false,
      patient: { mrn: 'MRN-1001', name: 'Doe, Jane Q', birthDate: '1980-01-15', sex: 'female', fhirId: clinic.patientIds.get('MRN-1001') },
    });
    if (found.state === 'found') expect(found.patient.identifiers).toContainEqual({ system: MRN_SYSTEM, value: 'MRN-1001' });
  });

  it('a scanned MRN with the matching date of birth is verified with the source, shown on the patient and audited', async () => {
    const patient = await value<Record<string, unknown>>('ma', 'selectPatient', { mrn: 'MRN-1001', birthDate: '1980-01-15' });
    expect(patient).toMatchObject({ mrn: 'MRN-1001', name: 'Doe, Jane Q', verified: true, verification: { state: 'verified', sourceName: 'Clinic EHR' } });
    expect(hub.stateOf('ma').patient?.verification?.state).toBe('verified');
    expect(hub.store.patients.sourcePatient('MRN-1001')).toMatchObject({ sourceId: 'clinic-ehr', fhirId: clinic.patientIds.get('MRN-1001') });
    expect(auditRows('patient.select').at(-1)?.details).toMatchObject({ verification: { state: 'verified', source: 'clinic-ehr' } });
  });

  it('a name that differs from the EHR record is refused, naming the difference, and the refusal is audited', async () => {
    const r = await call('ma', 'selectPatient', { mrn: 'MRN-1002', name: 'Okafor, David' });
    expect(r).toMatchObject({ ok: false, error: { code: 'CONFLICT', details: { differs: ['name'] } } });
    if (!r.ok) expect(r.error.message).toBe('MRN MRN-1002 is in the EHR (Clinic EHR) named Okafor, Daniel, not Okafor, David: check the wristband.');
    expect(auditRows('patient.verify-refused').at(-1)).toMatchObject({ subject: 'MRN-1002', details: { source: 'clinic-ehr', differs: ['name'] } });
    expect(hub.stateOf('ma').patient?.mrn).toBe('MRN-1001');
    // The name as the EHR writes it is accepted, whatever its case.
    expect(await value('ma', 'selectPatient', { mrn: 'MRN-1002', name: 'OKAFOR, daniel', pending: 'unassign' })).toMatchObject({ verification: { state: 'verified' } });
  });

  it('an MRN the EHR does not know: "not in the EHR"; the explicit local-patient step still creates one, marked so', async () => {
    const r = await call('ma', 'selectPatient', { mrn: 'MRN-7777', birthDate: '1999-01-01' });
    expect(r).toMatchObject({ ok: false, error: { code: 'NOT_FOUND', details: { notInEhr: true } } });
    if (!r.ok) expect(r.error.message).toContain('MRN MRN-7777 is not in the EHR (Clinic EHR)');
    const local = await value('ma', 'selectPatient', { mrn: 'MRN-7777', birthDate: '1999-01-01', name: 'Local, Lou', createLocal: true, pending: 'unassign' });
    expect(local).toMatchObject({ verified: false, verification: { state: 'not-in-ehr' } });
  });

  it('the server down: the local cache decides and the patient says plainly "EHR unreachable"', async () => {
    peer.setBehaviour({ down: true });
    try {
      const answer = await hub.patients.lookup('MRN-1001');
      expect(answer.state).toBe('unreachable');
      if (answer.state === 'unreachable') expect(answer.reason).toMatch(/Clinic EHR: .*dropped the connection/);
      const patient = await value('ma', 'selectPatient', { mrn: 'MRN-1001', birthDate: '1980-01-15', pending: 'unassign' });
      expect(patient).toMatchObject({ mrn: 'MRN-1001', name: 'Doe, Jane Q', verification: { state: 'unreachable' } });
      const unknown = await call('ma', 'selectPatient', { mrn: 'MRN-1003', birthDate: '2025-02-03', pending: 'unassign' });
      expect(unknown).toMatchObject({ ok: false, error: { code: 'NOT_FOUND', details: { unreachable: true } } });
      // A mismatch with what the cache holds is still refused.
      expect(await call('ma', 'selectPatient', { mrn: 'MRN-1001', birthDate: '1980-01-16' })).toMatchObject({ ok: false, error: { code: 'CONFLICT' } });
      expect(auditRows('patient.select').at(-1)?.details).toMatchObject({ verification: { state: 'unreachable' } });
    } finally {
      peer.setBehaviour({});
    }
  });

  it('a patient an ADT source registered counts as verified by it, without a network call', async () => {
    await value('admin', 'savePatientSource', { source: { id: 'ward-adt', name: 'Ward ADT', kind: 'hl7-adt', listen: '127.0.0.1:0' } });
    hub.store.patients.saveFromSource({ mrn: 'ADT-42', identifiers: [{ value: 'ADT-42' }], name: 'Adt, Ada', birthDate: '1950-05-05', sourceId: 'ward-adt', verifiedAt: new Date().toISOString() });
    const before = peer.requests;
    expect(await value('ma', 'selectPatient', { mrn: 'ADT-42', name: 'Adt, Ada', pending: 'unassign' })).toMatchObject({ verification: { state: 'verified', sourceName: 'Ward ADT' } });
    expect(peer.requests).toBe(before);
    // The ADT feed does not know an MRN and the FHIR server is down: unreachable, not "not in the EHR".
    peer.setBehaviour({ down: true });
    try {
      expect(await hub.patients.lookup('MRN-NOPE')).toMatchObject({ state: 'unreachable' });
    } finally {
      peer.setBehaviour({});
    }
    expect(await hub.patients.lookup('MRN-NOPE')).toEqual({ state: 'not-found', asked: ['Ward ADT', 'Clinic EHR'] });
    expect(await value('admin', 'removePatientSource', { sourceId: 'ward-adt' })).toEqual({ ok: true });
    expect(auditRows('patient-source.remove')).toHaveLength(1);
  });
});

describe("today's schedule", () => {
  it('lists the location\'s Appointments and Encounters of the local day, page after page, with their patients', async () => {
    const small = new PatientSourceService({ tables: hub.store, audit: () => undefined, secrets: { get: () => 'tok-123', set: () => undefined, delete: () => undefined }, pageSize: 2 });
    const before = peer.requests;
    const { visits, problems } = await small.refreshToday();
    expect(problems).toEqual([]);
    // 6 appointments match at the location (4 listed statuses) over pages of 2, 2 encounters: at least 3 + 1 requests.
    expect(peer.requests - before).toBeGreaterThanOrEqual(3);
    const ids = visits.filter((v) => v.sourceId === 'clinic-ehr').map((v) => v.id.replace('clinic-ehr:', ''));
    expect(ids.sort()).toEqual([...clinic.expected].sort());
    const jane = visits.find((v) => v.mrn === 'MRN-1001');
    expect(jane).toMatchObject({ state: 'planned', room: 'Room 4' });
    expect(jane?.appointmentId).toBeDefined();
    const enc = visits.find((v) => v.encounterId !== undefined && v.mrn === 'MRN-1006');
    expect(enc).toMatchObject({ state: 'in-progress', visitNumber: 'V-1006', id: expect.stringMatching(/^clinic-ehr:Encounter\//) });
    // The schedule's patients are in the cache, as the EHR has them.
    expect(hub.store.patients.sourcePatient('MRN-1006')).toMatchObject({ name: 'Ng, Lee', sourceId: 'clinic-ehr' });
    expect(CLINIC_PATIENTS.length).toBe(6);
  });

  it('with the server down, the list is what the hub kept, with the reason as a problem', async () => {
    peer.setBehaviour({ down: true });
    try {
      const { visits, problems } = await hub.patients.refreshToday();
      expect(visits.length).toBe(clinic.expected.length);
      expect(problems[0]).toMatch(/Clinic EHR could not be asked/);
    } finally {
      peer.setBehaviour({});
    }
  });
});

describe('SMART Backend Services, as the export target does it', () => {
  it('gets a token with a signed assertion and looks the patient up', async () => {
    const keys = generateKeyPairSync('ec', { namedCurve: 'P-384' });
    writeFileSync(join(dir, 'hub.pem'), keys.privateKey.export({ type: 'pkcs8', format: 'pem' }));
    const smartPeer = await startFhirPeer({ smart: { clientId: 'pochub-room4', publicKey: keys.publicKey, algorithms: ['ES384'] } });
    try {
      await seedClinic(smartPeer);
      const auth = { type: 'smart', clientId: 'pochub-room4', privateKeyFile: join(dir, 'hub.pem'), keyId: 'k1', alg: 'ES384', scope: 'system/Patient.rs system/Appointment.rs system/Encounter.rs' };
      const service = new PatientSourceService({ tables: hub.store, audit: () => undefined, secrets: { get: () => undefined, set: () => undefined, delete: () => undefined } });
      hub.store.transaction(() => hub.store.patientSources.remove('clinic-ehr'));
      service.savePatientSource({ source: { id: 'smart-ehr', name: 'SMART EHR', kind: 'fhir', baseUrl: smartPeer.baseUrl, identifierSystem: MRN_SYSTEM, auth } });
      expect(await service.testPatientSource({ sourceId: 'smart-ehr' })).toMatchObject({ ok: true });
      expect(await service.lookup('MRN-1004')).toMatchObject({ state: 'found', sourceName: 'SMART EHR', patient: { name: 'Ruiz, Ana María' } });
      expect(smartPeer.tokenRequests.filter((t) => t.ok).length).toBeGreaterThanOrEqual(1);
      expect(smartPeer.tokenRequests[0]?.scope).toBe(auth.scope);
    } finally {
      await smartPeer.stop();
    }
  });
});
