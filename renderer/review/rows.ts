import type { Patient, ReviewItem } from '../../shared/api/model.ts';
import { flattenObservations } from '../format/observations.ts';
import { patientShort } from '../format/words.ts';

/** One line of the virtual list: a device's heading, or a reading under it. */
type ReviewListRow =
  | { kind: 'group'; key: string; deviceKey: string; label: string; total: number; confirmable: number }
  | { kind: 'reading'; key: string; item: ReviewItem; position: number };

interface Rows {
  readonly rows: readonly ReviewListRow[];
  /** Reading ids in display order (what the arrow keys walk). */
  readonly readingIds: readonly string[];
  /** Row index of each reading id. */
  readonly rowOf: ReadonlyMap<string, number>;
}

/** Why a reading cannot be confirmed right now, in words; undefined when it can. */
export function confirmBlocked(item: ReviewItem, patient: Patient | undefined): string | undefined {
  // A value that cannot be real is never confirmed, whoever it belongs to (docs/architecture.md §8).
  const impossible = item.checks?.impossible ?? [];
  if (impossible.length > 0) return `Cannot be confirmed: ${impossible.join('; ')}. Reject it, and enter the right value by hand.`;
  if (item.patient === undefined) return patient ? 'Unassigned: assign it to the patient before confirming.' : 'Unassigned: select a patient and assign it before confirming.';
  if (!patient) return `Belongs to MRN ${item.patient.mrn}: select that patient to confirm it.`;
  if (item.patient.mrn !== patient.mrn) return `Belongs to MRN ${item.patient.mrn}, not the selected patient.`;
  // The hub refuses it too (docs/architecture.md §8 rule 11); the row says why before anyone tries.
  if (item.qcLock) return item.qcLock.message;
  return undefined;
}

/** "Assign to <patient>" for an unassigned reading while a patient is selected. */
export function assignLabel(item: ReviewItem, patient: Patient | undefined): string | undefined {
  return item.patient === undefined && patient ? `Assign to ${patientShort(patient)}` : undefined;
}

/** Pending readings grouped by device, groups in order of their oldest reading. */
export function buildRows(items: readonly ReviewItem[], patient: Patient | undefined): Rows {
  const groups = new Map<string, ReviewItem[]>();
  for (const item of items) {
    const list = groups.get(item.deviceKey);
    if (list) list.push(item);
    else groups.set(item.deviceKey, [item]);
  }
  const rows: ReviewListRow[] = [];
  const readingIds: string[] = [];
  const rowOf = new Map<string, number>();
  let position = 0;
  for (const [deviceKey, list] of groups) {
    const first = list[0];
    const confirmable = list.filter((i) => confirmBlocked(i, patient) === undefined).length;
    rows.push({ kind: 'group', key: `group:${deviceKey}`, deviceKey, label: first?.deviceLabel ?? deviceKey, total: list.length, confirmable });
    for (const item of list) {
      rowOf.set(item.id, rows.length);
      readingIds.push(item.id);
      rows.push({ kind: 'reading', key: item.id, item, position: ++position });
    }
  }
  return { rows, readingIds, rowOf };
}

/** Height guess before a row is measured: close to the real one, so little moves on measuring. */
export function estimateRowSize(row: ReviewListRow | undefined): number {
  if (!row || row.kind === 'group') return 72;
  const values = flattenObservations(row.item.reading.observations).length;
  return 190 + 56 * Math.max(0, Math.ceil(values / 4) - 1);
}
