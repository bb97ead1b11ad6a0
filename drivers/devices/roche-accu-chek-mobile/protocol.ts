import { HubError } from '../../../shared/errors.ts';

/**
 * The Accu-Chek Mobile "Reports" CSV file (PROTOCOL.md §2): UTF-8, CRLF line ends, `;` separated;
 * line 1 ignored, line 2 `serial;report-date;report-time;…`, line 3 the column headers, then one
 * row per entry. Parsed whole: a file that is not complete and consistent is refused, so nothing
 * of it is half-imported.
 */

/** The columns the driver uses, by their trimmed header names (PROTOCOL.md §2). */
export const COLUMNS = {
  date: 'Date',
  time: 'Time',
  result: 'Result',
  unit: 'Unit',
  temperatureWarning: 'Temperature warning',
  outOfTarget: 'Out of target range',
  other: 'Other',
  beforeMeal: 'Before meal',
  afterMeal: 'After meal',
  // Sent as `Control test` followed by 197 spaces: matched on the trimmed name.
  control: 'Control test',
} as const;
export type ColumnKey = keyof typeof COLUMNS;

/** A report is a few kB; anything far larger is not one (the meter keeps 2000 results). */
export const MAX_REPORT_BYTES = 4 * 1024 * 1024;

/** One data row: its line number (1-based, for messages), its text and its fields by column. */
export interface ReportRow {
  line: number;
  text: string;
  fields: Readonly<Record<ColumnKey, string>>;
}

/** A whole report: the meter serial of line 2 and the data rows. */
export interface Report {
  serial: string;
  rows: ReportRow[];
}

function refuse(message: string): never {
  throw new HubError('PROTOCOL_UNEXPECTED', `the Accu-Chek report is not a complete report file: ${message}; nothing was imported`);
}

/**
 * Parse a whole report file. Throws PROTOCOL_UNEXPECTED (nothing imported) when the text is not
 * one: fewer than three lines, a missing column, a row with another number of fields than the
 * header, or a last line without its CRLF (a file cut short).
 */
export function parseReport(text: string): Report {
  const body = text.startsWith('\ufeff') ? text.slice(1) : text;
  if (body.length === 0) refuse('the file is empty');
  if (!body.endsWith('\r\n')) refuse('the last line has no line end (the file was cut short)');
  const lines = body.slice(0, -2).split('\r\n');
  if (lines.length < 3) refuse(`it has ${lines.length} line(s), a report has at least 3`);
  const serial = (lines[1] ?? '').split(';')[0]?.trim() ?? '';
  if (!/^[A-Za-z0-9-]{1,32}$/.test(serial)) refuse(`line 2 does not start with a meter serial number ("${serial.slice(0, 40)}")`);
  const header = (lines[2] ?? '').split(';').map((h) => h.trim());
  const index = {} as Record<ColumnKey, number>;
  for (const key of Object.keys(COLUMNS) as ColumnKey[]) {
    const at = header.indexOf(COLUMNS[key]);
    if (at < 0) refuse(`line 3 has no "${COLUMNS[key]}" column`);
    index[key] = at;
  }
  const rows: ReportRow[] = [];
  for (let i = 3; i < lines.length; i++) {
    const line = lines[i] ?? '';
    if (line === '') continue;
    const f = line.split(';');
    if (f.length !== header.length) refuse(`line ${i + 1} has ${f.length} fields, the header ${header.length}`);
    const fields = {} as Record<ColumnKey, string>;
    for (const key of Object.keys(COLUMNS) as ColumnKey[]) fields[key] = (f[index[key]] ?? '').trim();
    rows.push({ line: i + 1, text: line, fields });
  }
  return { serial, rows };
}
