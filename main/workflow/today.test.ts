import { describe, expect, it } from 'vitest';
import type { Reading } from '../../shared/reading.ts';
import { FileTargetSchema } from '../../shared/export/targets.ts';
import type { Visit } from '../../shared/patients/patient-sources.ts';
import type { HubDatabase } from '../store/hub-database.ts';
import { bpReading, putPatientsOnFile, useTempStore } from '../../test/helpers/store-fixtures.ts';
import { thrown } from '../../test/helpers/thrown.ts';
import { HubWorkflow } from './hub-workflow.ts';
import { hashPin } from './pin-hash.ts';
import { TodayService, localDay } from './today-service.ts';

const PIN_HASH = hashPin('1234');
const BP = { key: 'acme-bp100:SN123', label: 'Acme BP-100' };
const HOUR = 3_600_000;

let store: HubDatabase;
let wf: HubWorkflow;
let now = 0;
// Times relative to the workstation's own local day, so the tests hold in any time zone.
const day = localDay(Date.parse('2026-12-07T12:00:00Z'));
const at = (hours: number): string => new Date(day.start + hours * HOUR).toISOString();

const visit = (id: string, mrn: string, start: string | undefined, over: Partial<Visit> = {}): Visit => ({
  id: `ehr:${id}`,
  sourceId: 'ehr',
  mrn,
  state: 'arrived',
  ...(start === undefined ? {} : { start }),
  updatedAt: at(7),
  ...over,
});

useTempStore((opened) => {
  store = opened.store;
  now = day.start + 10 * HOUR;
  wf = new HubWorkflow(store, 'room-1', () => now);
  store.operators.insert({ id: 'op-ana', name: 'Ana', badgeId: 'B-1', role: 'assistant', pinHash: PIN_HASH, createdAt: '2025-01-01T00:00:00Z' });
  putPatientsOnFile(store, { mrn: '111', name: 'Jo Park', birthDate: '1970-02-02' }, { mrn: '222', name: 'Sam Lee', birthDate: '1990-03-03' });
  store.patientSources.save({ id: 'ehr', name: 'Clinic EHR', kind: 'hl7-adt', enabled: true, listen: '127.0.0.1:2576' }, false, at(6));
  store.patients.saveFromSource({ mrn: '333', identifiers: [{ system: 'urn:oid:1.2.3', value: '333' }], name: 'DOE, Jane', birthDate: '1961-04-23', sex: 'female', fhirId: 'p333', sourceId: 'ehr', verifiedAt: at(7) });
});

describe('listToday', () => {
  it("lists the local day's visits of patients on file, earliest first, with room, state and the source's name", async () => {
    store.visits.save(visit('b', '111', at(9.5), { room: '4', visitNumber: 'V-111' }));
    store.visits.save(visit('a', '333', at(8), { room: '2', state: 'planned', encounterId: 'e333' }));
    store.visits.save(visit('yesterday', '222', at(-2)));
    store.visits.save(visit('tomorrow', '222', at(24.5)));
    store.visits.save(visit('cancelled', '222', at(11), { state: 'cancelled' }));
    store.visits.save(visit('unknown', '999', at(11)));
    const list = await new TodayService(store, { now: () => now }).listToday({});
    expect(list.day).toBe(day.day);
    expect(list.canRefresh).toBe(false);
    expect(list.entries.map((e) => e.visitId)).toEqual(['ehr:a', 'ehr:b']);
    expect(list.entries[0]).toEqual({
      visitId: 'ehr:a',
      time: at(8),
      patient: { mrn: '333', name: 'DOE, Jane', birthDate: '1961-04-23', sex: 'female' },
      room: '2',
      state: 'planned',
      encounterId: 'e333',
      source: 'Clinic EHR',
    });
    expect(list.entries[1]).toMatchObject({ patient: { mrn: '111', name: 'Jo Park' }, room: '4', visitNumber: 'V-111' });
  });

  it('keeps a visit written with another offset when its instant falls in the local day', async () => {
    const instant = day.start + 13 * HOUR;
    const shifted = new Date(instant + 5 * HOUR).toISOString().slice(0, 19) + '+05:00';
    store.visits.save(visit('offset', '222', shifted));
    const list = await new TodayService(store, { now: () => now }).listToday({});
    expect(list.entries.map((e) => e.visitId)).toEqual(['ehr:offset']);
  });

  it('leaves out a patient merged away', async () => {
    store.patients.saveFromSource({ mrn: '444', identifiers: [], name: 'OLD, Record', sourceId: 'ehr', verifiedAt: at(7) });
    store.visits.save(visit('m', '444', at(9)));
    store.patients.markMerged('444', '333', at(8));
    expect((await new TodayService(store, { now: () => now }).listToday({})).entries).toEqual([]);
  });

  it('with only an ADT source there is nothing to ask: no refresh, and the list says so', async () => {
    let asked = 0;
    const today = new TodayService(store, { now: () => now, refreshToday: async () => (asked += 1) });
    expect((await today.listToday({ refresh: true })).canRefresh).toBe(false);
    expect(asked).toBe(0);
  });

  it('asks the sources on demand and at most every N minutes, and says when the EHR could not be asked', async () => {
    store.patientSources.save({ id: 'fhir-ehr', name: 'Clinic FHIR', kind: 'fhir', enabled: true, baseUrl: 'https://ehr.example/fhir', auth: { type: 'none' }, timeoutMs: 10_000 }, false, at(6));
    let asked = 0;
    let fail = false;
    const today = new TodayService(store, {
      now: () => now,
      refreshEveryMs: 5 * 60_000,
      refreshToday: async () => {
        asked += 1;
        if (fail) throw new Error('connection refused');
        store.visits.save(visit(`r${asked}`, '111', at(9)));
      },
    });
    const first = await today.listToday({});
    expect([asked, first.canRefresh, first.refreshedAt, first.refreshEveryMinutes]).toEqual([1, true, new Date(now).toISOString(), 5]);
    expect(first.entries.map((e) => e.visitId)).toEqual(['ehr:r1']);
    now += 60_000;
    await today.listToday({});
    expect(asked).toBe(1);
    await today.listToday({ refresh: true });
    expect(asked).toBe(2);
    now += 5 * 60_000;
    fail = true;
    const failed = await today.listToday({});
    expect(asked).toBe(3);
    expect(failed.refreshProblem).toMatch(/Could not ask the EHR for today's patients \(connection refused\)/);
    expect(failed.entries.map((e) => e.visitId)).toEqual(['ehr:r1', 'ehr:r2']);
    // Two pages asking at once share one refresh.
    fail = false;
    await Promise.all([today.listToday({ refresh: true }), today.listToday({ refresh: true })]);
    expect(asked).toBe(4);
  });
});

let sequence = 0;
function arrive(): string {
  const iso = new Date(now).toISOString();
  const reading: Reading = bpReading({ context: { sequence: String((sequence += 1)) }, effectiveTime: iso, receivedAt: iso });
  const { id } = store.readings.ingest(reading, []);
  wf.readingArrived(id, reading, BP);
  return id;
}

describe('selecting the patient with an encounter', () => {
  it('checks the visit exists, is the patient’s and is not cancelled, at the API', () => {
    wf.signIn({ badgeId: 'B-1', pin: '1234' });
    store.visits.save(visit('a', '333', at(8), { room: '2', visitNumber: 'V-9', encounterId: 'e333' }));
    store.visits.save(visit('c', '333', at(9), { state: 'cancelled' }));
    expect(thrown(() => wf.selectPatient({ mrn: '333', birthDate: '1961-04-23', visitId: 'ehr:nope' })).code).toBe('NOT_FOUND');
    const other = thrown(() => wf.selectPatient({ mrn: '111', birthDate: '1970-02-02', visitId: 'ehr:a' }));
    expect([other.code, other.message]).toEqual(['CONFLICT', "That visit belongs to MRN 333, not to MRN 111: pick the patient's own visit."]);
    expect(thrown(() => wf.selectPatient({ mrn: '333', birthDate: '1961-04-23', visitId: 'ehr:c' })).code).toBe('CONFLICT');
    expect(wf.currentPatient()).toBeUndefined();
    const picked = wf.selectPatient({ mrn: '333', birthDate: '1961-04-23', visitId: 'ehr:a' });
    expect(picked).toEqual({
      mrn: '333',
      name: 'DOE, Jane',
      birthDate: '1961-04-23',
      verified: true,
      encounter: { visitId: 'ehr:a', visitNumber: 'V-9', encounterId: 'e333', room: '2', start: at(8) },
    });
    expect(wf.currentPatient()?.encounter?.visitId).toBe('ehr:a');
    expect(wf.listAudit({ limit: 1 })[0]?.details).toMatchObject({ visitId: 'ehr:a' });
  });

  it('files readings assigned while the encounter is selected under that visit, and the export item carries it', () => {
    wf.signIn({ badgeId: 'B-1', pin: '1234' });
    store.targets.save(FileTargetSchema.parse({ id: 'file', name: 'File', kind: 'file', directory: '/tmp/none' }), false, at(6));
    store.visits.save(visit('a', '333', at(8), { visitNumber: 'V-9', encounterId: 'e333' }));
    const before = arrive(); // unassigned: nobody selected
    wf.selectPatient({ mrn: '333', birthDate: '1961-04-23', visitId: 'ehr:a' });
    const byArrival = arrive();
    wf.assignReadings({ readingIds: [before] });
    const manual = wf.enterManual({ code: 'bodyTemperature', value: 37.1, unit: 'Cel' }).id;
    for (const id of [before, byArrival, manual]) expect([id, store.reviews.get(id)?.visitId]).toEqual([id, 'ehr:a']);
    // The audit trail names the visit too.
    const rows = wf.listAudit({ limit: 10 }).filter((a) => ['reading.arrived', 'reading.assign', 'reading.manual'].includes(a.action) && a.subject !== undefined && [byArrival, before, manual].includes(a.subject));
    expect(rows.map((a) => [a.action, a.details['visitId']])).toEqual(expect.arrayContaining([['reading.arrived', 'ehr:a'], ['reading.assign', 'ehr:a'], ['reading.manual', 'ehr:a']]));
    // Without an encounter, no visit.
    wf.selectPatient({ mrn: '111', birthDate: '1970-02-02', pending: 'keep-with-previous' });
    expect(store.reviews.get(arrive())?.visitId).toBeUndefined();
    wf.selectPatient({ mrn: '333', birthDate: '1961-04-23', visitId: 'ehr:a', pending: 'keep-with-previous' });
    wf.confirmReading({ readingId: manual });
    const outboxId = wf.getReview(manual)?.export?.[0]?.outboxId;
    if (outboxId === undefined) throw new Error('no outbox row');
    const item = store.outbox.item(outboxId);
    expect(item.patient).toEqual({ mrn: '333', name: 'DOE, Jane', birthDate: '1961-04-23', sex: 'female', fhirId: 'p333', identifiers: [{ system: 'urn:oid:1.2.3', value: '333' }] });
    expect(item.visit).toEqual({ encounterId: 'e333', visitNumber: 'V-9' });
  });

  it('cache expiry keeps a visit readings were taken in, so a late export still names the encounter', () => {
    wf.signIn({ badgeId: 'B-1', pin: '1234' });
    store.visits.save(visit('a', '333', at(8), { visitNumber: 'V-9', encounterId: 'e333' }));
    store.visits.save(visit('unused', '333', at(9)));
    wf.selectPatient({ mrn: '333', birthDate: '1961-04-23', visitId: 'ehr:a' });
    arrive();
    expect(store.visits.expire(at(48))).toBe(1);
    expect(store.visits.get('ehr:a')?.encounterId).toBe('e333');
    expect(store.visits.get('ehr:unused')).toBeUndefined();
  });
});
