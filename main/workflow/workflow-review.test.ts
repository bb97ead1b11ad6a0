import { describe, expect, it } from 'vitest';
import type { ReviewItem } from '../../shared/api/model.ts';
import type { Reading } from '../../shared/reading.ts';
import type { HubDatabase } from '../store/hub-database.ts';
import { bpReading, putPatientsOnFile, useTempStore } from '../../test/helpers/store-fixtures.ts';
import { HubWorkflow } from './hub-workflow.ts';
import type { ArrivalDevice } from './workflow.ts';
import { hashPin } from './pin-hash.ts';
import { thrown } from '../../test/helpers/thrown.ts';

const PIN_HASH = hashPin('1234'); // once per file: scrypt is slow on purpose
const BP = { key: 'acme-bp100:SN123', label: 'Acme BP-100' };
const METER = { key: 'meter:77', label: 'Glucose meter' };
const JANE = { mrn: '12345', birthDate: '1980-01-15' };

let store: HubDatabase;
let wf: HubWorkflow;
let now: number;
useTempStore((opened) => {
  store = opened.store;
  now = Date.parse('2025-03-03T09:00:00Z');
  wf = new HubWorkflow(store, 'room-1', () => now);
  store.operators.insert({ id: 'op-ana', name: 'Ana', badgeId: 'B-1', role: 'assistant', pinHash: PIN_HASH, createdAt: '2025-01-01T00:00:00Z' });
  putPatientsOnFile(store, JANE, { mrn: '999', name: 'Other Person' });
  wf.signIn({ badgeId: 'B-1', pin: '1234' });
});

let sequence = 0;
/**
 * A blood pressure measured just now, with no critical value: these tests are about assignment
 * and decisions; plausibility and age have their own (limits.test.ts).
 */
function arrive(overrides: Partial<Reading> = {}, device: ArrivalDevice = BP): ReviewItem {
  // Measured now (after any selection in the test): a bedside result measured before the
  // patient was selected is not assigned (arrival-rules.test.ts covers that rule).
  const at = new Date(now).toISOString();
  const plain = { effectiveTime: at, receivedAt: at, observations: bpReading().observations.slice(0, 2) };
  const reading = bpReading({ context: { sequence: String((sequence += 1)) }, ...plain, ...overrides });
  const { id } = store.readings.ingest(reading, []);
  return wf.readingArrived(id, reading, device);
}
const stateInSql = (id: string): string | undefined => store.db.prepare<[string], { state: string }>('SELECT state FROM readings WHERE id = ?').get(id)?.state;

describe('arrival', () => {
  it('assigns a patient reading to the selected patient, recording who was signed in', () => {
    wf.selectPatient(JANE);
    const item = arrive();
    expect(item).toMatchObject({ state: 'pending', deviceKey: BP.key, deviceLabel: BP.label, patient: JANE, manual: false });
    const row = store.db.prepare<[string], { assigned_by: string; assigned_via: string }>('SELECT assigned_by, assigned_via FROM reviews WHERE reading_id = ?').get(item.id);
    expect(row).toEqual({ assigned_by: 'op-ana', assigned_via: 'arrival' });
  });

  // safety: SR-ROLE-3
  it('never assigns results from a device memory (a meter download may hold several patients) on arrival', () => {
    wf.selectPatient(JANE);
    const fromMemory = arrive({}, { ...METER, role: 'memory' });
    expect(fromMemory.patient).toBeUndefined();
    const row = store.db.prepare<[string], { patient_mrn: string | null }>('SELECT patient_mrn FROM reviews WHERE reading_id = ?').get(fromMemory.id);
    expect(row?.patient_mrn).toBeNull();
    // Not assigned by hand either: it is imported for the patient, with its age shown (device-roles.test.ts).
    expect(thrown(() => wf.assignReadings({ readingIds: [fromMemory.id] }))).toMatchObject({ code: 'CONFLICT' });
  });

  it('leaves a reading unassigned when no patient is selected, and is idempotent', () => {
    const seen: string[] = [];
    wf.onReviewChange((i) => seen.push(i.id));
    const item = arrive();
    expect(item.patient).toBeUndefined();
    expect(wf.readingArrived(item.id, item.reading, BP)).toEqual(item);
    expect(seen).toEqual([item.id]);
    expect(wf.listReview().map((i) => i.id)).toEqual([item.id]);
  });

  // safety: SR-QC-1
  it('sends control results to the QC log, never to the patient', () => {
    wf.selectPatient(JANE);
    const qc = arrive({ kind: 'control' });
    expect(qc.patient).toBeUndefined();
    expect(wf.listQc().map((i) => i.id)).toEqual([qc.id]);
    expect(wf.listReview()).toEqual([]);
    expect(wf.getHistory({ mrn: JANE.mrn })).toEqual([]);
    expect(thrown(() => wf.assignReadings({ readingIds: [qc.id] })).message).toMatch(/control result: it belongs in the QC log/);
    expect(thrown(() => wf.confirmReading({ readingId: qc.id })).code).toBe('CONFLICT');
  });
});

describe('assign and confirm', () => {
  // safety: SR-CONFIRM-1
  it('a reading that arrived before the patient was chosen cannot be confirmed until assigned', () => {
    const item = arrive();
    expect(thrown(() => wf.assignReadings({ readingIds: [item.id] })).code).toBe('PATIENT_REQUIRED');
    wf.selectPatient(JANE);
    const e = thrown(() => wf.confirmReading({ readingId: item.id }));
    expect(e.code).toBe('PATIENT_REQUIRED');
    expect(e.message).toBe('This reading arrived with no patient selected: assign it to the patient first.');
    expect(wf.assignReadings({ readingIds: [item.id] })[0]?.patient).toEqual(JANE);
    const confirmed = wf.confirmReading({ readingId: item.id });
    expect(confirmed).toMatchObject({ state: 'confirmed', patient: JANE, decidedBy: { id: 'op-ana', name: 'Ana' }, decidedAt: '2025-03-03T09:00:00.000Z' });
    expect(stateInSql(item.id)).toBe('confirmed');
  });

  it('assigns only unassigned pending readings, all or none', () => {
    const free = arrive();
    wf.selectPatient({ mrn: '999', name: 'Other Person' });
    const other = arrive();
    wf.selectPatient({ ...JANE, pending: 'keep-with-previous' });
    const e = thrown(() => wf.assignReadings({ readingIds: [free.id, other.id] }));
    expect(e.code).toBe('CONFLICT');
    expect(e.message).toMatch(/already assigned to MRN 999 \(Other Person\)/);
    expect(wf.listReview().find((i) => i.id === free.id)?.patient).toBeUndefined(); // rolled back
    expect(thrown(() => wf.assignReadings({ readingIds: ['no-such-reading'] })).code).toBe('NOT_FOUND');
  });

  // safety: SR-CONFIRM-1
  it('confirms only readings of the current patient', () => {
    wf.selectPatient({ mrn: '999', name: 'Other Person' });
    const other = arrive();
    wf.selectPatient({ ...JANE, pending: 'keep-with-previous' });
    const e = thrown(() => wf.confirmReading({ readingId: other.id }));
    expect(e.code).toBe('CONFLICT');
    expect(e.message).toMatch(/assigned to MRN 999 \(Other Person\), not to the current patient \(MRN 12345\)/);
    wf.clearPatient({});
    expect(thrown(() => wf.confirmReading({ readingId: other.id })).code).toBe('PATIENT_REQUIRED');
  });

  it('confirms one device’s pending batch for the current patient, and nothing else', () => {
    wf.selectPatient(JANE);
    const a = arrive();
    const b = arrive();
    const glucose = arrive({}, METER);
    const confirmed = wf.confirmDevice({ deviceKey: BP.key });
    expect(confirmed.map((i) => [i.id, i.state])).toEqual([
      [a.id, 'confirmed'],
      [b.id, 'confirmed'],
    ]);
    expect(wf.listReview().map((i) => i.id)).toEqual([glucose.id]);
  });

  it('refuses a device batch with nothing to confirm in words, saying where that device’s readings wait', () => {
    const loose = arrive();
    wf.selectPatient({ mrn: '999', name: 'Other Person' });
    arrive();
    wf.selectPatient({ ...JANE, pending: 'keep-with-previous' });
    const auditBefore = wf.listAudit({ limit: 1000 }).length;
    const e = thrown(() => wf.confirmDevice({ deviceKey: BP.key }));
    expect(e.code).toBe('NOT_FOUND');
    expect(e.message).toBe('Nothing to confirm: no pending reading from Acme BP-100 is assigned to MRN 12345 (born 1980-01-15): 1 waits unassigned (assign it first); 1 belongs to another patient.');
    expect(wf.listAudit({ limit: 1000 })).toHaveLength(auditBefore);
    expect(wf.listReview().find((i) => i.id === loose.id)?.state).toBe('pending');
    expect(thrown(() => wf.confirmDevice({ deviceKey: 'never:seen' })).message).toMatch(/^Nothing to confirm: no pending reading from never:seen is assigned to MRN 12345/);
  });

  it('lists pending readings oldest first, and a patient’s history newest first in every state', () => {
    now = Date.parse('2025-03-03T08:05:00Z'); // the patient is selected before these were measured
    const unassigned = arrive({ effectiveTime: '2025-03-03T08:00:00+00:00' });
    wf.selectPatient(JANE);
    const first = arrive({ effectiveTime: '2025-03-03T08:10:00+00:00' });
    const second = arrive({ effectiveTime: '2025-03-03T08:20:00+00:00' });
    const third = arrive({ effectiveTime: '2025-03-03T08:30:00+00:00' });
    expect(wf.listReview().map((i) => i.id)).toEqual([unassigned.id, first.id, second.id, third.id]);
    wf.confirmReading({ readingId: first.id });
    wf.rejectReading({ readingId: second.id, reason: 'measurement-error' });
    expect(wf.getHistory({ mrn: JANE.mrn }).map((i) => [i.id, i.state])).toEqual([
      [third.id, 'pending'],
      [second.id, 'rejected'],
      [first.id, 'confirmed'],
    ]);
  });
});

describe('reject', () => {
  // safety: SR-REJECT-1
  it('records the reason and note, also for an unassigned reading', () => {
    const item = arrive();
    const rejected = wf.rejectReading({ readingId: item.id, reason: 'test-or-training', note: ' demo strip ' });
    expect(rejected).toMatchObject({ state: 'rejected', rejectReason: 'test-or-training', rejectNote: 'demo strip', decidedBy: { id: 'op-ana', name: 'Ana' } });
    expect(rejected.patient).toBeUndefined();
    expect(stateInSql(item.id)).toBe('rejected');
  });

  // safety: SR-REJECT-1
  it('needs a note when the reason is "other"', () => {
    const item = arrive();
    const e = thrown(() => wf.rejectReading({ readingId: item.id, reason: 'other', note: '  ' }));
    expect(e.code).toBe('INPUT_INVALID');
    expect(e.message).toMatch(/note/);
    expect(wf.rejectReading({ readingId: item.id, reason: 'other', note: 'patient moved' }).rejectNote).toBe('patient moved');
  });
});

describe('decisions are final', () => {
  // safety: SR-EDIT-1
  it('a confirmed or rejected reading never changes through the workflow', () => {
    wf.selectPatient(JANE);
    const a = arrive();
    const b = arrive();
    wf.confirmReading({ readingId: a.id });
    wf.rejectReading({ readingId: b.id, reason: 'duplicate' });
    for (const call of [
      () => wf.confirmReading({ readingId: a.id }),
      () => wf.rejectReading({ readingId: a.id, reason: 'wrong-patient' }),
      () => wf.confirmReading({ readingId: b.id }),
      () => wf.assignReadings({ readingIds: [b.id] }),
    ]) {
      const e = thrown(call);
      expect(e.code).toBe('CONFLICT');
      expect(e.message).toMatch(/already (confirmed|rejected) by Ana at 2025-03-03T09:00:00.000Z; confirmed and rejected readings never change/);
    }
  });

  // safety: SR-EDIT-1
  it('and not through a direct SQL UPDATE either', () => {
    wf.selectPatient(JANE);
    const a = arrive();
    wf.confirmReading({ readingId: a.id });
    expect(() => store.db.prepare("UPDATE reviews SET decision = 'rejected', reject_reason = 'duplicate' WHERE reading_id = ?").run(a.id)).toThrow(/never change/);
    expect(() => store.db.prepare("UPDATE readings SET state = 'rejected' WHERE id = ?").run(a.id)).toThrow(/never change/);
    expect(wf.getHistory({ mrn: JANE.mrn })[0]).toMatchObject({ id: a.id, state: 'confirmed' });
  });

  it('getReview gives one reading in any state (what Capture found again), undefined for an unknown id', () => {
    wf.selectPatient(JANE);
    const a = arrive();
    expect(wf.getReview(a.id)).toMatchObject({ id: a.id, state: 'pending' });
    wf.rejectReading({ readingId: a.id, reason: 'measurement-error' });
    expect(wf.getReview(a.id)).toMatchObject({ id: a.id, state: 'rejected', rejectReason: 'measurement-error' });
    expect(wf.getReview('00000000-0000-4000-8000-000000000000')).toBeUndefined();
  });
});

describe('manual entry', () => {
  it('needs a patient and a unit the code allows', () => {
    expect(thrown(() => wf.enterManual({ code: 'bodyTemperature', value: 37.2, unit: 'Cel' })).code).toBe('PATIENT_REQUIRED');
    wf.selectPatient(JANE);
    const e = thrown(() => wf.enterManual({ code: 'bodyTemperature', value: 37.2, unit: 'mg/dL' }));
    expect(e.code).toBe('INPUT_INVALID');
    expect(e.message).toBe('Body temperature is not measured in mg/dL: use Cel or [degF].');
    expect(thrown(() => wf.enterManual({ code: 'bpPanel', value: 120, unit: 'mm[Hg]' })).message).toMatch(/enter its parts/);
  });

  // safety: SR-EDIT-2
  it('is stored as a pending manual reading of the current patient, confirmed like any other, and replaces a rejected one', () => {
    wf.selectPatient(JANE);
    const wrong = arrive();
    expect(thrown(() => wf.enterManual({ code: 'bpSystolic', value: 128, unit: 'mm[Hg]', replacesReadingId: wrong.id })).message).toMatch(/only a rejected reading/);
    wf.rejectReading({ readingId: wrong.id, reason: 'measurement-error' });
    now += 60_000;
    const manual = wf.enterManual({ code: 'bpSystolic', value: 128, unit: 'mm[Hg]', replacesReadingId: wrong.id });
    expect(manual).toMatchObject({ state: 'pending', manual: true, replaces: wrong.id, patient: JANE, deviceKey: 'manual' });
    expect(manual.decidedBy).toBeUndefined();
    expect(stateInSql(manual.id)).toBe('pending');
    expect(store.db.prepare('SELECT count(*) AS n FROM outbox').get()).toEqual({ n: 0 }); // never straight to the EHR
    expect(wf.confirmReading({ readingId: manual.id })).toMatchObject({ state: 'confirmed', decidedBy: { id: 'op-ana', name: 'Ana' } });
    expect(manual.reading).toMatchObject({
      driver: 'manual',
      device: { manufacturer: 'POC Hub', model: 'manual entry' },
      kind: 'patient',
      flags: ['manual'],
      deviceTime: '2025-03-03T09:01:00',
      receivedAt: '2025-03-03T09:01:00+00:00',
      effectiveTime: '2025-03-03T09:01:00+00:00',
      observations: [{ code: '8480-6', value: { kind: 'quantity', value: 128, unit: 'mm[Hg]' } }],
    });
    expect(stateInSql(manual.id)).toBe('confirmed');
    expect(wf.getHistory({ mrn: JANE.mrn }).map((i) => [i.id, i.state, i.manual])).toEqual([
      [manual.id, 'confirmed', true],
      [wrong.id, 'rejected', false],
    ]);
    expect(thrown(() => wf.enterManual({ code: 'bpSystolic', value: 129, unit: 'mm[Hg]', replacesReadingId: wrong.id })).message).toMatch(/already replaced/);
  });

  it('replaces only a rejected reading of the current patient', () => {
    wf.selectPatient({ mrn: '999', name: 'Other Person' });
    const other = arrive();
    wf.rejectReading({ readingId: other.id, reason: 'wrong-patient' });
    wf.selectPatient(JANE);
    const e = thrown(() => wf.enterManual({ code: 'bpSystolic', value: 128, unit: 'mm[Hg]', replacesReadingId: other.id }));
    expect(e.code).toBe('CONFLICT');
    expect(e.message).toMatch(/belongs to MRN 999/);
  });

  it('keeps two equal values typed in the same second as two entries', () => {
    wf.selectPatient(JANE);
    const a = wf.enterManual({ code: 'bodyWeight', value: 70.5, unit: 'kg' });
    const b = wf.enterManual({ code: 'bodyWeight', value: 70.5, unit: 'kg' });
    expect(a.id).not.toBe(b.id);
  });
});
