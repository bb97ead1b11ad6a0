import type { ReviewItem } from '../../shared/api/model.ts';
import type { CatalogKey } from '../../shared/catalog.ts';
import type { Observation } from '../../shared/observation.ts';
import { bloodPressureText, splitBloodPressure } from '../format/blood-pressure.ts';
import { convertedText } from '../format/converted.ts';
import { catalogKeyOf, flattenObservations, observationName, SHORT_NAMES, valueParts } from '../format/observations.ts';
import { formatInstant } from '../format/words.ts';
import { markOf, worse, type Mark } from './value-marks.ts';

/**
 * The History flowsheet as data (docs/architecture.md §8, History): time columns, newest first
 * (left), one per minute of measurement time; one row per vital sign or analyte, grouped; each
 * cell the values measured in that minute, the unit once in the row heading. Pure, so the grid's
 * rules are tested without a page.
 */

/** One value in a cell. */
export interface FlowsheetEntry {
  readonly readingId: string;
  readonly state: ReviewItem['state'];
  /** The value as shown: "97", "128/84 (99)", "NEG", "≥600". */
  readonly text: string;
  /** The value in the other unit ("78.2 kg" in a row in lb), converted for reading only. */
  readonly converted?: string;
  readonly mark: Mark;
  /** Measurement time with seconds, shown when the column holds readings of several seconds. */
  readonly time: string;
  /** Where it came from and who decided, for the cell's tooltip. */
  readonly detail: string;
}

export interface FlowsheetColumn {
  /** The minute (ISO, UTC) the column stands for. */
  readonly key: string;
  /** Local date and time of the minute: "7 Dec 2026", "10:03". */
  readonly date: string;
  readonly time: string;
  /** Readings in this minute were measured at different seconds: each value shows its own time. */
  readonly seconds: boolean;
}

export interface FlowsheetRow {
  readonly id: string;
  readonly label: string;
  /** The unit as people write it, once for the row ('' for grades and text). */
  readonly unit: string;
  /** Values per column key, newest first. */
  readonly cells: Readonly<Record<string, readonly FlowsheetEntry[]>>;
}

export interface FlowsheetGroup {
  readonly title: string;
  readonly rows: readonly FlowsheetRow[];
}

export interface Flowsheet {
  readonly columns: readonly FlowsheetColumn[];
  readonly groups: readonly FlowsheetGroup[];
  /** Rejected readings left out (shown struck through when asked for). */
  readonly hiddenRejected: number;
}

const VITALS: readonly (CatalogKey | 'bp')[] = [
  'bp', 'bpMean', 'heartRate', 'spo2', 'respiratoryRate', 'bodyTemperature', 'bodyWeight', 'bodyHeight', 'bmi', 'headCircumference',
];
const BLOOD: readonly CatalogKey[] = ['glucoseMassMeter', 'glucoseMolarMeter', 'bloodKetoneMeter'];
const URINE: readonly CatalogKey[] = [
  'urineColor', 'urineClarity', 'urineSpecificGravity', 'urinePh', 'urineGlucosePresence', 'urineGlucoseMass', 'urineBilirubinPresence',
  'urineKetonesPresence', 'urineKetonesMass', 'urineBloodPresence', 'urineProteinPresence', 'urineProteinMass', 'urineUrobilinogenMass',
  'urineNitritePresence', 'urineLeukocytesPresence',
];
const GROUPS: readonly { title: string; keys: readonly string[] }[] = [
  { title: 'Vital signs', keys: VITALS },
  { title: 'Blood', keys: BLOOD },
  { title: 'Urinalysis', keys: URINE },
];
const OTHER = 'Other values';

const STATE_WORD: Readonly<Record<ReviewItem['state'], string>> = { pending: 'pending', confirmed: 'confirmed', rejected: 'rejected' };

/** Where a value goes: its row key (catalog key, 'bp', or the device's label) and unit. */
interface Placed {
  readonly rowKey: string;
  readonly label: string;
  readonly unit: string;
  readonly text: string;
  readonly converted?: string;
  readonly mark: Mark;
}

function placeOne(obs: Observation, key: CatalogKey | undefined): Placed | undefined {
  if (obs.value === undefined) return undefined;
  const v = valueParts(obs.value);
  const rawUnit = obs.value.kind === 'quantity' ? obs.value.unit : '';
  const rowKey = key ?? `other:${observationName(obs)}`;
  const label = key ? SHORT_NAMES[key] : observationName(obs);
  const converted = convertedText(obs);
  // "pH (pH)" says the same thing twice: a unit that is the name is left out.
  return { rowKey: `${rowKey}|${rawUnit}`, label, unit: v.unit === label ? '' : v.unit, text: v.value, ...(converted ? { converted } : {}), mark: markOf(obs) };
}

/** The values of one reading; systolic, diastolic and mean joined into one blood pressure value, `128/84 (99)`. */
function place(item: ReviewItem): Placed[] {
  const { bp, rest } = splitBloodPressure(flattenObservations(item.reading.observations));
  const out = rest.flatMap((obs) => placeOne(obs, catalogKeyOf(obs.code)) ?? []);
  if (bp) {
    const { value, unit } = bloodPressureText(bp);
    const members = [bp.systolic, bp.diastolic, bp.mean].filter((o): o is Observation => o !== undefined);
    const rawUnit = members.map((o) => (o.value?.kind === 'quantity' ? o.value.unit : '')).find((u) => u !== '') ?? '';
    // The worst member marks the cell (members is never empty: a systolic or a diastolic is there).
    const mark = members.map(markOf).reduce((a, b) => worse(a, b));
    out.unshift({ rowKey: `bp|${rawUnit}`, label: 'Blood pressure', unit, text: value, mark });
  }
  return out;
}

function groupOf(rowKey: string): { title: string; order: number } {
  const key = rowKey.slice(0, rowKey.indexOf('|'));
  for (const g of GROUPS) {
    const i = g.keys.indexOf(key);
    if (i >= 0) return { title: g.title, order: i };
  }
  return { title: OTHER, order: Number.MAX_SAFE_INTEGER };
}

const minuteOf = (t: number): string => new Date(Math.floor(t / 60_000) * 60_000).toISOString();

function detailOf(item: ReviewItem): string {
  const parts = [item.deviceLabel || (item.manual ? 'Entered by hand' : ''), STATE_WORD[item.state]];
  if (item.decidedBy) parts.push(`by ${item.decidedBy.name}`);
  return parts.filter(Boolean).join(' · ');
}

/**
 * Build the flowsheet of a patient's history. Patient results only (controls belong to QC);
 * pending values are kept and marked as pending; rejected ones only when `showRejected`.
 */
export function buildFlowsheet(history: readonly ReviewItem[], opts: { showRejected: boolean }): Flowsheet {
  const rows = new Map<string, { label: string; unit: string; cells: Map<string, (FlowsheetEntry & { t: number })[]> }>();
  const times = new Map<string, Set<number>>();
  let hiddenRejected = 0;
  for (const item of history) {
    if (item.reading.kind !== 'patient') continue;
    const t = Date.parse(item.reading.effectiveTime);
    if (Number.isNaN(t)) continue;
    const placed = place(item);
    if (placed.length === 0) continue;
    if (item.state === 'rejected' && !opts.showRejected) {
      hiddenRejected += 1;
      continue;
    }
    const col = minuteOf(t);
    times.set(col, (times.get(col) ?? new Set()).add(t));
    const time = formatInstant(item.reading.effectiveTime, true).split(' ').at(-1) ?? '';
    for (const p of placed) {
      let row = rows.get(p.rowKey);
      if (!row) rows.set(p.rowKey, (row = { label: p.label, unit: p.unit, cells: new Map() }));
      const cell = row.cells.get(col) ?? [];
      cell.push({ readingId: item.id, state: item.state, text: p.text, ...(p.converted ? { converted: p.converted } : {}), mark: p.mark, time, detail: detailOf(item), t });
      row.cells.set(col, cell);
    }
  }
  const columns: FlowsheetColumn[] = [...times.keys()]
    .sort((a, b) => b.localeCompare(a))
    .map((key) => {
      const [date, time] = splitInstant(key);
      return { key, date, time, seconds: (times.get(key)?.size ?? 0) > 1 };
    });
  const groups = new Map<string, { order: number; row: FlowsheetRow }[]>();
  for (const [id, row] of rows) {
    const { title, order } = groupOf(id);
    const cells: Record<string, FlowsheetEntry[]> = {};
    for (const [col, entries] of row.cells) cells[col] = entries.sort((a, b) => b.t - a.t).map(({ t: _t, ...e }) => e);
    const list = groups.get(title) ?? [];
    list.push({ order, row: { id, label: row.label, unit: row.unit, cells } });
    groups.set(title, list);
  }
  const titles = [...GROUPS.map((g) => g.title), OTHER];
  return {
    columns,
    groups: titles.flatMap((title) => {
      const list = groups.get(title);
      if (!list) return [];
      list.sort((a, b) => a.order - b.order || a.row.label.localeCompare(b.row.label) || a.row.unit.localeCompare(b.row.unit));
      return [{ title, rows: list.map((r) => r.row) }];
    }),
    hiddenRejected,
  };
}

/** "7 Dec 2026 10:03" → ["7 Dec 2026", "10:03"], in local time. */
function splitInstant(iso: string): [string, string] {
  const text = formatInstant(iso);
  const cut = text.lastIndexOf(' ');
  return [text.slice(0, cut), text.slice(cut + 1)];
}
