import type { Encounter, Observation, Patient } from '@medplum/fhirtypes';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ExportItem } from '../main/export/exporter.ts';
import { createFhirExporter } from '../main/export/fhir/fhir-exporter.ts';
import { createHl7Exporter } from '../main/export/hl7/hl7-exporter.ts';
import type { HubDatabase } from '../main/store/hub-database.ts';
import { openStore } from '../main/store/open-store.ts';
import { HubWorkflow } from '../main/workflow/hub-workflow.ts';
import { hashPin } from '../main/workflow/pin-hash.ts';
import { FhirTargetSchema, FileTargetSchema, Hl7TargetSchema, type FhirTarget, type Hl7Target } from '../shared/export/targets.ts';
import { tempDir } from './helpers/store-fixtures.ts';
import { startFhirPeer, type FhirPeer } from './peers/fhir-peer.ts';
import { startMedplumPeer, startNodeHl7Peer } from './peers/hl7-peers.ts';

/**
 * The encounter from selection to export, against the real peers: a patient the EHR vouched for
 * (its FHIR id) and a visit picked with them are selected in the workflow over a real store; a
 * reading confirmed for them is built from the outbox row as the worker builds it, and sent. The
 * FHIR peer's stored Observation points at the seeded Patient and Encounter; the HL7 peers read
 * PID and PV1-19 as sent.
 */
const MRN_SYSTEM = 'https://hospital.example/mrn';
const tmp = tempDir();
let store: HubDatabase;
let peer: FhirPeer;
let patient: Patient;
let encounter: Encounter;

/** Select the patient with the visit, enter and confirm a temperature: the outbox row's item. */
function confirmedItem(fhirId: string | undefined, encounterId: string | undefined): ExportItem {
  const now = Date.now();
  const wf = new HubWorkflow(store, 'ROOM-3', () => now);
  store.operators.insert({ id: `op-${now}`, name: 'Ana', badgeId: `B-${now}`, role: 'assistant', pinHash: hashPin('1234'), createdAt: new Date(now).toISOString() });
  wf.signIn({ badgeId: `B-${now}`, pin: '1234' });
  const verifiedAt = new Date(now).toISOString();
  store.patients.saveFromSource({
    mrn: 'MRN-333',
    identifiers: [{ system: MRN_SYSTEM, value: 'MRN-333' }],
    name: 'DOE, Jane',
    birthDate: '1961-04-23',
    sex: 'female',
    ...(fhirId === undefined ? {} : { fhirId }),
    sourceId: 'ehr',
    verifiedAt,
  });
  store.visits.save({ id: 'ehr:v1', sourceId: 'ehr', mrn: 'MRN-333', state: 'arrived', start: verifiedAt, visitNumber: 'V-2026-9', room: '4', ...(encounterId === undefined ? {} : { encounterId }), updatedAt: verifiedAt });
  wf.selectPatient({ mrn: 'MRN-333', birthDate: '1961-04-23', visitId: 'ehr:v1' });
  const id = wf.enterManual({ code: 'bodyTemperature', value: 37.4, unit: 'Cel' }).id;
  const outboxId = wf.confirmReading({ readingId: id }).export?.[0]?.outboxId;
  if (outboxId === undefined) throw new Error('the confirmed reading was not queued');
  return { ...store.outbox.item(outboxId), workstation: 'ROOM-3' };
}

beforeAll(async () => {
  store = openStore(join(tmp.dir, 'hub.sqlite'));
  store.targets.save(FileTargetSchema.parse({ id: 'queue', name: 'Queue', kind: 'file', directory: tmp.dir }), false, new Date().toISOString());
  peer = await startFhirPeer();
  patient = await peer.repo.createResource<Patient>({
    resourceType: 'Patient',
    identifier: [{ system: MRN_SYSTEM, value: 'MRN-333' }],
    name: [{ family: 'Doe', given: ['Jane'] }],
    birthDate: '1961-04-23',
    gender: 'female',
  });
  encounter = await peer.repo.createResource<Encounter>({
    resourceType: 'Encounter',
    status: 'arrived',
    class: { system: 'http://terminology.hl7.org/CodeSystem/v3-ActCode', code: 'AMB' },
    subject: { reference: `Patient/${patient.id ?? ''}` },
    identifier: [{ value: 'V-2026-9' }],
  });
}, 60_000);

afterAll(async () => {
  await peer?.stop();
  store?.close();
  tmp.cleanup();
});

describe('the encounter from selection to the FHIR peer', () => {
  it("stores an Observation whose subject and encounter resolve to the seeded Patient and Encounter", async () => {
    const item = confirmedItem(patient.id, encounter.id);
    const target = FhirTargetSchema.parse({ id: 'ehr', name: 'EHR', kind: 'fhir', baseUrl: peer.baseUrl, patientIdentifierSystem: MRN_SYSTEM }) as FhirTarget;
    const exporter = createFhirExporter(target, {});
    try {
      const payload = await exporter.render(item);
      const outcome = await exporter.send(payload, { controlId: item.controlId, readingId: item.readingId, signal: new AbortController().signal });
      expect(outcome).toMatchObject({ result: 'done' });
    } finally {
      await exporter.close();
    }
    const [stored] = await peer.search<Observation>('Observation', { identifier: `urn:pochub:reading|${item.readingId.toLowerCase()}` });
    expect(stored?.subject?.reference).toBe(`Patient/${patient.id ?? ''}`);
    expect(stored?.encounter?.reference).toBe(`Encounter/${encounter.id ?? ''}`);
    const [subject] = await peer.search<Patient>('Patient', { _id: patient.id ?? '' });
    const [visit] = await peer.search<Encounter>('Encounter', { _id: encounter.id ?? '' });
    expect(subject?.identifier?.[0]?.value).toBe('MRN-333');
    expect(visit?.subject?.reference).toBe(`Patient/${patient.id ?? ''}`);
    // The peer also finds it through the references themselves.
    expect((await peer.search<Observation>('Observation', { subject: `Patient/${patient.id ?? ''}`, encounter: `Encounter/${encounter.id ?? ''}` })).map((o) => o.id)).toContain(stored?.id);
  });
});

describe.each([
  ['Medplum Hl7Server', startMedplumPeer],
  ['node-hl7-server', startNodeHl7Peer],
] as const)('the encounter from selection to %s', (_name, start) => {
  it.each(['oru-r01-2.5.1', 'pcd-01'] as const)('%s: PID from the cache and PV1-19 the visit number, as sent', async (profile) => {
    const hl7 = await start();
    const item = confirmedItem(undefined, undefined);
    const target = Hl7TargetSchema.parse({ id: 'ehr', name: 'EHR', kind: 'hl7', host: hl7.host, port: hl7.port, profile }) as Hl7Target;
    const exporter = createHl7Exporter(target, {});
    try {
      const payload = await exporter.render(item);
      const outcome = await exporter.send(payload, { controlId: item.controlId, readingId: item.readingId, signal: new AbortController().signal });
      expect(outcome).toMatchObject({ result: 'done' });
      const [msg] = hl7.accepted().filter((m) => m.controlId === item.controlId);
      expect([msg?.field('PID', 3, 1), msg?.field('PID', 5, 1), msg?.field('PID', 5, 2), msg?.field('PID', 7, 1), msg?.field('PID', 8, 1)]).toEqual(['MRN-333', 'DOE', 'Jane', '19610423', 'F']);
      expect([msg?.field('PV1', 2, 1), msg?.field('PV1', 19, 1)]).toEqual(['O', 'V-2026-9']);
    } finally {
      await exporter.close();
      await hl7.stop();
    }
  });
});
