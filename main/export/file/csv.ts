import { ORDINAL_SNOMED } from '../../../shared/export/ordinal-codes.ts';
import type { Observation } from '../../../shared/observation.ts';
import { printedNumber } from '../../../shared/printed-number.ts';
import type { ExportItem } from '../exporter.ts';

/**
 * CSV export: a header and one row per observation (panel components flattened into their own
 * rows, the panel's code kept in `panel`). RFC 4180 quoting with CRLF line ends, plus a guard
 * against spreadsheet formula injection: a text cell starting with = + - @ (or tab/CR, which
 * some spreadsheets skip before evaluating) gets a leading apostrophe, since device labels,
 * operator names and free text reach this file unchecked.
 */

const CSV_COLUMNS = [
  'reading_id',
  'mrn',
  'effective_time',
  'panel',
  'loinc',
  'display',
  'value',
  'value_code',
  'unit',
  'comparator',
  'interpretation',
  'reference_range',
  'device',
  'serial',
  'manual',
  'flags',
  'confirmed_by',
  'confirmed_at',
] as const;
type Column = (typeof CSV_COLUMNS)[number];
type CsvRow = Record<Column, string>;

const FORMULA_START = /^[=+\-@\t\r]/;
/** A plain number such as -1.5 is data, not a formula: it stays a number. */
const PLAIN_NUMBER = /^-?\d+(\.\d+)?$/;

export function guardFormula(cell: string): string {
  return FORMULA_START.test(cell) && !PLAIN_NUMBER.test(cell) ? `'${cell}` : cell;
}

export function quoteCell(cell: string): string {
  const safe = guardFormula(cell);
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

function valueCells(obs: Observation): Pick<CsvRow, 'value' | 'value_code' | 'unit' | 'comparator'> {
  const v = obs.value;
  if (!v) return { value: '', value_code: '', unit: '', comparator: '' };
  switch (v.kind) {
    case 'quantity':
      // As the device printed it (`1.020`): a spreadsheet may reformat, the file must not.
      return { value: printedNumber(v.value, v.decimals), value_code: '', unit: v.unit, comparator: v.comparator ?? '' };
    case 'ordinal':
      return { value: v.text, value_code: `${ORDINAL_SNOMED[v.code].code} (${v.code})`, unit: '', comparator: '' };
    case 'text':
      return { value: v.text, value_code: '', unit: '', comparator: '' };
    case 'unmapped':
      return { value: v.text, value_code: '', unit: '', comparator: '' };
  }
}

function rangeText(obs: Observation): string {
  const r = obs.referenceRange;
  if (!r) return '';
  if (r.text) return r.text;
  return `${r.low ?? ''}-${r.high ?? ''}`;
}

function rowsFor(item: ExportItem, obs: Observation, panel: string): CsvRow[] {
  const base = {
    reading_id: item.readingId,
    mrn: item.patient.mrn,
    effective_time: item.reading.effectiveTime,
    device: `${item.reading.device.manufacturer} ${item.reading.device.model}`,
    serial: item.reading.device.serial ?? '',
    manual: item.manual ? 'yes' : 'no',
    flags: item.reading.flags.join(' '),
    confirmed_by: item.confirmedBy.name,
    confirmed_at: item.confirmedAt,
  };
  if (obs.components && obs.components.length > 0) return obs.components.flatMap((c) => rowsFor(item, c, obs.code ?? ''));
  const display = obs.value?.kind === 'unmapped' ? obs.value.label : (obs.display ?? '');
  return [{ ...base, panel, loinc: obs.code ?? '', display, ...valueCells(obs), interpretation: obs.interpretation ?? '', reference_range: rangeText(obs) }];
}

export function renderCsv(item: ExportItem): string {
  const rows = item.reading.observations.flatMap((o) => rowsFor(item, o, ''));
  const lines = [CSV_COLUMNS.join(','), ...rows.map((r) => CSV_COLUMNS.map((c) => quoteCell(r[c])).join(','))];
  return `${lines.join('\r\n')}\r\n`;
}

/** RFC 4180 parser (quoted fields, doubled quotes, CRLF or LF): reads back what renderCsv wrote. */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i += 1) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        cell += '"';
        i += 1;
      } else if (ch === '"') quoted = false;
      else cell += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      row.push(cell);
      cell = '';
    } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && text[i + 1] === '\n') i += 1;
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
    } else cell += ch;
  }
  if (cell !== '' || row.length > 0) {
    row.push(cell);
    rows.push(row);
  }
  return rows;
}
