import type { ExportTarget, ExportTargetInput } from '../../shared/export/targets.ts';
import { ExportTargetSchema } from '../../shared/export/targets.ts';
import type { Reading } from '../../shared/reading.ts';
import type { HubDatabase } from '../../main/store/hub-database.ts';
import { HubWorkflow } from '../../main/workflow/hub-workflow.ts';
import { hashPin } from '../../main/workflow/pin-hash.ts';
import { putPatientsOnFile } from './store-fixtures.ts';

/**
 * A workflow with an operator signed in and a patient selected, and the confirmations the
 * export tests start from. Confirmation goes through the real workflow, so the outbox rows are
 * written exactly as in the product (same transaction as the decision).
 */
let pinHash: string | undefined;

export const PATIENT = { mrn: 'MRN-20418', name: "Ruiz, Ana María O'Neil", birthDate: '1961-04-23' } as const;

export function exportWorkflow(store: HubDatabase, now: () => number = Date.now): HubWorkflow {
  pinHash ??= hashPin('1234'); // scrypt is slow on purpose: once per test file
  const wf = new HubWorkflow(store, 'ROOM-3', now);
  if (store.operators.list().length === 0) {
    store.operators.insert({ id: 'op-dana', name: 'Dana Whitfield', badgeId: 'B-1', role: 'admin', pinHash, createdAt: '2026-01-01T00:00:00Z' });
  }
  wf.signIn({ badgeId: 'B-1', pin: '1234' });
  if (store.patients.get(PATIENT.mrn) === undefined) putPatientsOnFile(store, PATIENT);
  wf.selectPatient({ mrn: PATIENT.mrn, name: PATIENT.name, birthDate: PATIENT.birthDate });
  return wf;
}

/** Save targets straight into the store (no worker is started). */
export function addTargets(store: Pick<HubDatabase, 'targets' | 'transaction'>, targets: readonly ExportTargetInput[]): ExportTarget[] {
  return store.transaction(() => targets.map((t) => store.targets.save(ExportTargetSchema.parse(t), false, '2026-11-27T08:00:00.000Z').target));
}

let seq = 0;
/** Store, offer and confirm each reading for the selected patient; returns the reading ids in order. */
export function confirmAll(wf: HubWorkflow, store: HubDatabase, readings: readonly Reading[]): string[] {
  return readings.map((r) => {
    seq += 1;
    const reading = { ...r, context: { ...r.context, sequence: `${Date.now()}-${seq}` } };
    const { id } = store.readings.ingest(reading, []);
    const item = wf.readingArrived(id, reading, { key: `${r.driver}:${r.device.serial ?? '-'}`, label: r.device.model });
    // Fixture readings were measured long ago, before the selection: the assistant assigns them
    // explicitly (a bedside result measured before the selection is never assigned on arrival).
    if (item.patient === undefined) wf.assignReadings({ readingIds: [id] });
    // Some are critical, all are old: the person confirming has seen both (the export tests are
    // about what happens after confirmation).
    wf.confirmReading({ readingId: id, acknowledge: ['critical', 'old'] });
    return id;
  });
}
