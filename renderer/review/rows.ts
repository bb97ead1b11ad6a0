import type { Patient, ReviewItem } from '../../shared/api/model.ts';
import { shownValues } from '../format/blood-pressure.ts';
import { mrnText, patientShort } from '../format/words.ts';

/** How old a reading may be to stay in view: the last hour, since midnight, or any age. */
export type AgeFilter = 'hour' | 'today' | 'all';

/** What the assistant narrowed the list to; a device of undefined means every device. */
export interface ReviewFilters {
  readonly device: string | undefined;
  readonly age: AgeFilter;
}

/** Everything in view: the list as it opens. */
export const NO_FILTERS: ReviewFilters = { device: undefined, age: 'all' };

/** Whose readings a section holds: the selected patient's, nobody's, or another patient's. */
export type SectionKind = 'patient' | 'unassigned' | 'other';

/** One line of the virtual list: a section (whose readings), a device's heading, or a reading. */
export type ReviewListRow =
  | { kind: 'section'; key: string; section: string; sectionKind: SectionKind; label: string; count: number; collapsed: boolean }
  | { kind: 'group'; key: string; deviceKey: string; label: string; total: number; confirmable: number; testId: string }
  | { kind: 'reading'; key: string; item: ReviewItem; position: number };

export interface Rows {
  readonly rows: readonly ReviewListRow[];
  /** Reading ids in display order (what the arrow keys walk): collapsed and filtered ones left out. */
  readonly readingIds: readonly string[];
  /** Row index of each reading id in view. */
  readonly rowOf: ReadonlyMap<string, number>;
  /** Readings the filters hide (not counting collapsed sections, which say their count). */
  readonly hidden: number;
}

export interface RowOptions {
  readonly filters?: ReviewFilters;
  /** Sections the assistant opened or closed; the others follow {@link defaultCollapsed}. */
  readonly toggled?: ReadonlyMap<string, boolean>;
  /** Epoch ms the age filter counts from. */
  readonly now?: number;
}

/** Why a reading cannot be confirmed right now, in words; undefined when it can. */
export function confirmBlocked(item: ReviewItem, patient: Patient | undefined): string | undefined {
  // A value that cannot be real is never confirmed, whoever it belongs to (docs/architecture.md §8).
  const impossible = item.checks?.impossible ?? [];
  if (impossible.length > 0) return `Cannot be confirmed: ${impossible.join('; ')}. Reject it, and enter the right value by hand.`;
  if (item.patient === undefined) return patient ? 'Unassigned: assign it to the patient before confirming.' : 'Unassigned: select a patient and assign it before confirming.';
  if (!patient) return `Belongs to ${mrnText(item.patient.mrn)}: select that patient to confirm it.`;
  if (item.patient.mrn !== patient.mrn) return `Belongs to ${mrnText(item.patient.mrn)}, not the selected patient.`;
  // The hub refuses it too (docs/architecture.md §8 rule 11); the row says why before anyone tries.
  if (item.qcLock) return item.qcLock.message;
  return undefined;
}

/** "Assign to <patient>" for an unassigned reading while a patient is selected. */
export function assignLabel(item: ReviewItem, patient: Patient | undefined): string | undefined {
  if (item.patient !== undefined || !patient) return undefined;
  // A shared device that names another patient by its sample ID: the hub refuses assigning it to
  // anyone else, so the row offers only the proposal's Accept (docs/architecture.md §8 rule 4).
  if (item.proposedPatient !== undefined && item.proposedPatient.mrn !== patient.mrn) return undefined;
  return `Assign to ${patientShort(patient)}`;
}

/** The section a reading belongs in, by whom it is assigned to. */
export function sectionOf(item: ReviewItem, patient: Patient | undefined): { key: string; kind: SectionKind } {
  if (item.patient === undefined) return { key: 'unassigned', kind: 'unassigned' };
  if (patient !== undefined && item.patient.mrn === patient.mrn) return { key: 'patient', kind: 'patient' };
  return { key: `other:${item.patient.mrn}`, kind: 'other' };
}

/**
 * Other patients' readings (kept with a previous patient) start closed while someone is selected:
 * they cannot be confirmed for the patient in front of the assistant, only their count matters.
 */
export function defaultCollapsed(kind: SectionKind, patient: Patient | undefined): boolean {
  return kind === 'other' && patient !== undefined;
}

/** Epoch ms of the reading's measurement (the device's time, else when the hub received it). */
export function readingTime(item: ReviewItem): number {
  const t = Date.parse(item.reading.effectiveTime ?? item.reading.receivedAt);
  return Number.isNaN(t) ? Date.parse(item.reading.receivedAt) : t;
}

/** Whether the filters let a reading through at `now`. */
export function passesFilters(item: ReviewItem, filters: ReviewFilters, now: number): boolean {
  if (filters.device !== undefined && item.deviceKey !== filters.device) return false;
  if (filters.age === 'all') return true;
  const t = readingTime(item);
  if (filters.age === 'hour') return t >= now - 3_600_000;
  const midnight = new Date(now);
  midnight.setHours(0, 0, 0, 0);
  return t >= midnight.getTime();
}

/** The devices of the pending readings, for the device filter, by label. */
export function deviceChoices(items: readonly ReviewItem[]): { key: string; label: string }[] {
  const seen = new Map<string, string>();
  for (const i of items) if (!seen.has(i.deviceKey)) seen.set(i.deviceKey, i.deviceLabel);
  return [...seen].map(([key, label]) => ({ key, label })).sort((a, b) => a.label.localeCompare(b.label));
}

function sectionLabel(kind: SectionKind, list: readonly ReviewItem[], patient: Patient | undefined): string {
  if (kind === 'unassigned') return 'Unassigned';
  const owner = kind === 'patient' ? patient : list[0]?.patient;
  if (!owner) return 'Unknown patient';
  return owner.name ? `${mrnText(owner.mrn)} · ${owner.name}` : mrnText(owner.mrn);
}

function bucket<K>(items: readonly ReviewItem[], keyOf: (i: ReviewItem) => K): Map<K, ReviewItem[]> {
  const out = new Map<K, ReviewItem[]>();
  for (const item of items) {
    const k = keyOf(item);
    const list = out.get(k);
    if (list) list.push(item);
    else out.set(k, [item]);
  }
  return out;
}

const SECTION_ORDER: Readonly<Record<SectionKind, number>> = { patient: 0, unassigned: 1, other: 2 };

/**
 * Pending readings in sections — the selected patient's first, then the unassigned ones, then
 * each other patient's — and inside a section by device, in order of arrival. "Confirm all" of a
 * device counts every confirmable reading of that device, filtered out or not, because the hub
 * confirms them all (docs/architecture.md §8): the button must never promise fewer than it does.
 */
export function buildRows(items: readonly ReviewItem[], patient: Patient | undefined, options: RowOptions = {}): Rows {
  const filters = options.filters ?? NO_FILTERS;
  const now = options.now ?? Date.now();
  const confirmable = new Map<string, number>();
  for (const item of items) {
    if (confirmBlocked(item, patient) === undefined) confirmable.set(item.deviceKey, (confirmable.get(item.deviceKey) ?? 0) + 1);
  }
  const shown = items.filter((i) => passesFilters(i, filters, now));
  const sections = [...bucket(shown, (i) => sectionOf(i, patient).key)].sort(
    ([, a], [, b]) => SECTION_ORDER[sectionOf(a[0] as ReviewItem, patient).kind] - SECTION_ORDER[sectionOf(b[0] as ReviewItem, patient).kind],
  );
  const rows: ReviewListRow[] = [];
  const readingIds: string[] = [];
  const rowOf = new Map<string, number>();
  let position = 0;
  for (const [section, list] of sections) {
    const kind = sectionOf(list[0] as ReviewItem, patient).kind;
    const collapsed = options.toggled?.get(section) ?? defaultCollapsed(kind, patient);
    rows.push({ kind: 'section', key: `section:${section}`, section, sectionKind: kind, label: sectionLabel(kind, list, patient), count: list.length, collapsed });
    if (collapsed) continue;
    for (const [deviceKey, readings] of bucket(list, (i) => i.deviceKey)) {
      // The selected patient's device heads keep the plain test id: that is where "Confirm all" lives.
      const testId = kind === 'patient' || sections.length === 1 ? deviceKey : `${section}|${deviceKey}`;
      const n = kind === 'patient' ? (confirmable.get(deviceKey) ?? 0) : 0;
      rows.push({ kind: 'group', key: `group:${section}|${deviceKey}`, deviceKey, label: readings[0]?.deviceLabel ?? deviceKey, total: readings.length, confirmable: n, testId });
      for (const item of readings) {
        rowOf.set(item.id, rows.length);
        readingIds.push(item.id);
        rows.push({ kind: 'reading', key: item.id, item, position: ++position });
      }
    }
  }
  return { rows, readingIds, rowOf, hidden: items.length - shown.length };
}

/** Height guess before a row is measured: close to the real one, so little moves on measuring. */
export function estimateRowSize(row: ReviewListRow | undefined): number {
  if (!row) return 72;
  if (row.kind === 'section') return 40;
  if (row.kind === 'group') return 72;
  const values = shownValues(row.item.reading.observations).length;
  // Matches reading-row.tsx: up to six values four to a line, more in two compact columns.
  if (values > 6) return 120 + 26 * Math.ceil(values / 2);
  return 190 + 56 * Math.max(0, Math.ceil(values / 4) - 1);
}
