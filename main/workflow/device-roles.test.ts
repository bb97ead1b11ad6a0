import { describe, expect, it } from 'vitest';
import type { ReviewItem } from '../../shared/api/model.ts';
import type { DeviceRole } from '../../shared/device-role.ts';
import type { Reading } from '../../shared/reading.ts';
import type { HubDatabase } from '../store/hub-database.ts';
import { bpReading, putPatientsOnFile, useTempStore } from '../../test/helpers/store-fixtures.ts';
import { thrown } from '../../test/helpers/thrown.ts';
import { measuredAt, proposalFor } from './arrival-rules.ts';
import { HubWorkflow } from './hub-workflow.ts';
import { hashPin } from './pin-hash.ts';

/**
 * Device roles without the UI (docs/architecture.md §8, "Device roles"): where a result may go
 * when it arrives — bedside, shared, memory — and the memory import, through the workflow's API.
 */
const PIN_HASH = hashPin('1234');
const CART = { key: 'masimo-rad8:77', label: 'Masimo Rad-8' };
const ANALYZER = { key: 'clinitek:9', label: 'Clinitek Status+' };
const METER = { key: 'ultra2:SIM', label: 'OneTouch Ultra 2' };
const JANE = { mrn: '12345', birthDate: '1980-01-15' };
const OMAR = { mrn: '777', name: 'Omar Diallo' };
const MINUTE = 60_000;

let store: HubDatabase;
let wf: HubWorkflow;
let now: number;
useTempStore((opened) => {
  store = opened.store;
  putPatientsOnFile(store, JANE, OMAR);
  now = Date.parse('2025-03-03T09:00:00Z');
  // Hours pass in these tests: the screen's inactivity lock is not what they are about.
  wf = new HubWorkflow(store, 'room-1', () => now, 11 * 60 * MINUTE);
  store.operators.insert({ id: 'op-ana', name: 'Ana', badgeId: 'B-1', role: 'assistant', pinHash: PIN_HASH, createdAt: '2025-01-01T00:00:00Z' });
  wf.signIn({ badgeId: 'B-1', pin: '1234' });
});

let sequence = 0;
/** A result measured `minutesAgo` before the clock, received now, from a device of `role`. */
function arrive(role: DeviceRole, minutesAgo: number, more: Partial<Reading> = {}): ReviewItem {
  const device = role === 'bedside' ? CART : role === 'shared' ? ANALYZER : METER;
  const reading = bpReading({
    context: { sequence: String((sequence += 1)), ...more.context },
    effectiveTime: new Date(now - minutesAgo * MINUTE).toISOString(),
    receivedAt: new Date(now).toISOString(),
    ...(more.kind ? { kind: more.kind } : {}),
  });
  const { id } = store.readings.ingest(reading, []);
  return wf.readingArrived(id, reading, { ...device, role });
}
const reviewIds = (): string[] => wf.listReview().map((i) => i.id);
const auditActions = (): string[] => wf.listAudit({}).map((e) => e.action);

describe('arrival rules', () => {
  it('takes the measurement time from the device, never later than the time it was received', () => {
    expect(measuredAt({ effectiveTime: '2025-03-03T08:00:00Z', receivedAt: '2025-03-03T09:00:00Z' })).toBe(Date.parse('2025-03-03T08:00:00Z'));
    // A device clock running ahead does not make an old measurement look recent.
    expect(measuredAt({ effectiveTime: '2025-03-03T10:00:00Z', receivedAt: '2025-03-03T09:00:00Z' })).toBe(Date.parse('2025-03-03T09:00:00Z'));
    expect(measuredAt({ effectiveTime: 'no time', receivedAt: '2025-03-03T09:00:00Z' })).toBe(Date.parse('2025-03-03T09:00:00Z'));
    expect(proposalFor('bedside', 5, {})).toEqual({ kind: 'unassigned' });
  });
});

describe('bedside', () => {
  // safety: SR-ROLE-1
  it('gives the selected patient a result measured after the selection, and leaves one measured before unassigned', () => {
    now -= 10 * MINUTE;
    wf.selectPatient(JANE);
    now += 10 * MINUTE;
    const before = arrive('bedside', 15); // measured 5 minutes before Jane was selected
    const after = arrive('bedside', 2);
    expect(before.patient).toBeUndefined();
    expect(after.patient).toEqual(JANE);
    expect(reviewIds()).toEqual([before.id, after.id]);
  });

  it('selecting the same patient again keeps the moment of the first selection', () => {
    wf.selectPatient(JANE);
    now += 10 * MINUTE;
    wf.selectPatient(JANE);
    expect(arrive('bedside', 5).patient).toEqual(JANE);
  });

  // safety: SR-ROLE-1
  it('assigns nothing when no patient is selected', () => {
    expect(arrive('bedside', 0).patient).toBeUndefined();
  });
});

describe('shared', () => {
  // safety: SR-ROLE-2
  it('never assigns on arrival, even with a patient selected and a fresh result', () => {
    wf.selectPatient(JANE);
    const item = arrive('shared', 0);
    expect(item.patient).toBeUndefined();
    expect(item.proposedPatient).toBeUndefined();
    expect(item.deviceRole).toBe('shared');
  });

  // safety: SR-ROLE-2
  it('proposes the patient whose MRN the sample id carries; the assistant accepts it for that patient only, audited', () => {
    wf.selectPatient(OMAR);
    wf.selectPatient(JANE);
    const item = arrive('shared', 1, { context: { sampleId: ' 777 ' } });
    expect(item.patient).toBeUndefined();
    expect(item.proposedPatient).toMatchObject(OMAR);
    // Jane is selected: the proposal is not hers, and a hand assignment to her is refused too.
    expect(thrown(() => wf.acceptProposal({ readingId: item.id }))).toMatchObject({ code: 'PATIENT_REQUIRED', message: expect.stringContaining('select that patient first') });
    expect(thrown(() => wf.assignReadings({ readingIds: [item.id] }))).toMatchObject({ code: 'CONFLICT', message: expect.stringContaining('names MRN 777') });
    wf.selectPatient({ ...OMAR, pending: 'keep-with-previous' });
    const accepted = wf.acceptProposal({ readingId: item.id });
    expect(accepted.patient).toMatchObject(OMAR);
    expect(accepted.proposedPatient).toBeUndefined();
    expect(auditActions()[0]).toBe('reading.accept-proposal');
    expect(wf.listAudit({})[0]?.details).toMatchObject({ mrn: '777', sampleId: ' 777 ' });
    wf.confirmReading({ readingId: item.id, acknowledge: ['critical'] }); // the fixture reads >600 mg/dL
  });

  it('without a matching patient it waits unassigned, showing the device id, and is assigned by hand', () => {
    wf.selectPatient(JANE);
    const item = arrive('shared', 1, { context: { sampleId: 'DEMO-4' } });
    expect(item.proposedPatient).toBeUndefined();
    expect(item.reading.context?.sampleId).toBe('DEMO-4');
    expect(thrown(() => wf.acceptProposal({ readingId: item.id }))).toMatchObject({ code: 'CONFLICT' });
    expect(wf.assignReadings({ readingIds: [item.id] })[0]?.patient).toEqual(JANE);
  });
});

describe('memory', () => {
  // safety: SR-ROLE-3
  it('keeps downloaded results out of the review list, counted and listed per device with their ages', () => {
    wf.selectPatient(JANE);
    const recent = arrive('memory', 30);
    const old = arrive('memory', 15 * 24 * 60);
    const qc = arrive('memory', 40, { kind: 'control' });
    expect(recent.patient).toBeUndefined();
    expect(reviewIds()).toEqual([]);
    expect(wf.listQc().map((i) => i.id)).toEqual([qc.id]);
    const memory = wf.listMemory({ deviceKey: METER.key });
    expect(memory.recentWindowMinutes).toBe(120);
    expect(memory.devices).toEqual([{ deviceKey: METER.key, deviceLabel: METER.label, count: 2 }]);
    expect(memory.results.map((r) => [r.item.id, r.ageMinutes, r.recent])).toEqual([
      [recent.id, 30, true],
      [old.id, 15 * 24 * 60, false],
    ]);
    expect(wf.listMemory({ deviceKey: 'another' }).results).toEqual([]);
  });

  // safety: SR-ROLE-3
  it('imports for the selected patient only; a result older than the 2-hour window needs an acknowledgement', () => {
    const recent = arrive('memory', 119);
    const old = arrive('memory', 121);
    expect(thrown(() => wf.importReadings({ readingIds: [recent.id] }))).toMatchObject({ code: 'PATIENT_REQUIRED' });
    wf.selectPatient(JANE);
    const refused = thrown(() => wf.importReadings({ readingIds: [recent.id, old.id] }));
    expect(refused).toMatchObject({ code: 'CONFLICT', details: { old: [old.id] } });
    expect(refused.message).toBe('1 of these results was measured more than 2 hours ago: confirm that it belongs to MRN 12345 (born 1980-01-15) before importing.');
    // All or none: the recent one was not imported by the refused call.
    expect(reviewIds()).toEqual([]);
    expect(wf.importReadings({ readingIds: [recent.id] }).map((i) => i.patient)).toEqual([JANE]);
    expect(reviewIds()).toEqual([recent.id]);
    expect(wf.importReadings({ readingIds: [old.id], acknowledgeOld: true })[0]).toMatchObject({ state: 'pending', patient: JANE });
    expect(reviewIds()).toEqual([recent.id, old.id]);
    expect(wf.listAudit({})[0]).toMatchObject({ action: 'reading.import', details: { ageMinutes: 121, acknowledgedOld: true } });
    expect(wf.listMemory({}).devices).toEqual([]);
    // Imported once: never again, and confirmed like any other result.
    expect(thrown(() => wf.importReadings({ readingIds: [old.id], acknowledgeOld: true }))).toMatchObject({ code: 'CONFLICT' });
    // A meter's memory result is older than the review's age limit, and this one reads >600 mg/dL.
    wf.confirmReading({ readingId: recent.id, acknowledge: ['critical', 'old'] });
  });

  it('uses the window of the workstation configuration', () => {
    store.memoryImport.setRecentWindowMinutes(30, new Date(now).toISOString());
    const item = arrive('memory', 45);
    expect(wf.listMemory({}).results[0]).toMatchObject({ recent: false, ageMinutes: 45 });
    wf.selectPatient(JANE);
    expect(thrown(() => wf.importReadings({ readingIds: [item.id] })).message).toContain('more than 30 minutes ago');
  });
});
