import { localDateTime } from '../../../shared/time.ts';
import { codeKey } from '../../families/urine/index.ts';
import { latin1 } from '../../kit/index.ts';
import { ANALYTE_LINE, DATE_VALUE, ETX, LABEL, MONTHS, STX, WIDTH, hasDamage, reportLines } from './protocol.ts';

/** One analyte line in the analyzer's terms (PROTOCOL.md §3.3). */
export interface UriscanResult {
  /** The code as printed: `BLD`, `p.H`, `S.G`. */
  code: string;
  /** Everything after the code, trimmed, runs of spaces as one: `+++ 250 RBC/ul`, `++++2000 mg/dl`, `- neg`, `>=1.030`. */
  result: string;
}

/** One report (one strip) in the analyzer's terms (PROTOCOL.md §3). */
export interface UriscanReport {
  /** The `Date :` value as printed, when there is a Date line. */
  date?: string;
  /** The same as a local date-time `YYYY-MM-DDTHH:MM:SS`, only when it is a real date. */
  deviceTime?: string;
  /** Why a printed date was not read (an unknown month, an impossible day): never guessed. */
  dateProblem?: string;
  /** The `ID_NO:` value as printed, trimmed (`0037-`). */
  idNo?: string;
  /** The sub-ID line, trimmed, when not blank. */
  subId?: string;
  /** The sample ID for the reading's context: ID_NO without the trailing dash, joined to the sub-ID (§3.2). */
  sampleId?: string;
  /** `Ward :` value, trimmed, when not blank. */
  ward?: string;
  /** `NAME :` value, trimmed, when not blank: the analyzer's patient name, never used as identity (§4). */
  name?: string;
  results: UriscanResult[];
  /** Lines wider than their documented width that were still read (PROTOCOL.md §3.4). */
  wideLines: number;
}

export type DecodeOutcome =
  | { ok: true; report: UriscanReport }
  | { ok: false; code: 'PROTOCOL_GARBAGE' | 'PROTOCOL_UNEXPECTED'; reason: string };

type Header = 'date' | 'id' | 'ward' | 'name';
const HEADERS: readonly Header[] = ['date', 'id', 'ward', 'name'];
const HEADER_WIDTH: Readonly<Record<Header, number>> = { date: WIDTH.date, id: WIDTH.id, ward: WIDTH.ward, name: WIDTH.name };

/**
 * One framed report (STX … ETX included) to a report, or why it is none. Never throws. The
 * report is read whole or not at all: a control byte inside it, a line that is neither a header
 * nor an analyte line, a header printed twice or an analyte printed twice makes no report, so a
 * damaged printout is never half-read (PROTOCOL.md §3.4).
 */
export function decodeReport(frame: Uint8Array): DecodeOutcome {
  const fail = (reason: string, code: 'PROTOCOL_GARBAGE' | 'PROTOCOL_UNEXPECTED' = 'PROTOCOL_GARBAGE'): DecodeOutcome => ({ ok: false, code, reason });
  if (frame[0] !== STX || frame.at(-1) !== ETX) return fail('not an STX … ETX report');
  const body = latin1(frame.subarray(1, -1));
  if (hasDamage(body)) return fail('control bytes inside the report');

  const report: UriscanReport = { results: [], wideLines: 0 };
  const seen = new Set<Header>();
  const codes = new Set<string>();
  let afterId = false;
  const lines = reportLines(body);
  for (let i = 0; i < lines.length; i++) {
    const line = (lines[i] ?? '').trimEnd();
    const n = i + 1;
    const justAfterId = afterId;
    afterId = false;
    const text = line.trim();
    if (text === '') continue;

    const header = HEADERS.find((h) => LABEL[h].test(text));
    if (header !== undefined) {
      if (seen.has(header)) return fail(`line ${n}: a second ${labelOf(header)} line (two reports run together?)`);
      seen.add(header);
      if (line.length > HEADER_WIDTH[header]) report.wideLines++;
      const value = (LABEL[header].exec(text)?.[1] ?? '').trim();
      applyHeader(report, header, value);
      afterId = header === 'id';
      continue;
    }
    // The sub-ID line has no label: it is the line right after ID_NO, at most 6 wide (§3.2).
    if (justAfterId && line.length <= WIDTH.subId) {
      report.subId = text;
      continue;
    }
    const analyte = ANALYTE_LINE.exec(text);
    const code = analyte?.[1];
    // Column padding carries no meaning once the line is split: `+++  250 RBC/ul` is `+++ 250 RBC/ul`.
    const result = (analyte?.[2] ?? '').trim().replace(/\s+/g, ' ');
    if (code === undefined || result === '') return fail(`line ${n} ("${shorten(text)}") is neither a header nor an analyte result`);
    const key = codeKey(code);
    if (codes.has(key)) return fail(`line ${n}: ${code} printed twice in one report`);
    codes.add(key);
    if (line.length > WIDTH.analyte) report.wideLines++;
    report.results.push({ code, result });
  }
  if (report.results.length === 0) return fail('a report without any analyte result', 'PROTOCOL_UNEXPECTED');
  const sampleId = sampleIdOf(report.idNo, report.subId);
  if (sampleId !== undefined) report.sampleId = sampleId;
  return { ok: true, report };
}

function applyHeader(report: UriscanReport, header: Header, value: string): void {
  switch (header) {
    case 'date': {
      report.date = value;
      const parsed = parseDate(value);
      if (parsed.ok) report.deviceTime = parsed.deviceTime;
      else report.dateProblem = parsed.reason;
      return;
    }
    case 'id':
      if (value !== '') report.idNo = value;
      return;
    case 'ward':
      if (value !== '') report.ward = value;
      return;
    case 'name':
      if (value !== '') report.name = value;
      return;
  }
}

/**
 * `OCT-01-2000 15:15:06` to `2000-10-01T15:15:06`, strictly: the month must be one of the twelve
 * English names in capitals and the day, month and time a real date-time (PROTOCOL.md §3.1).
 */
export function parseDate(value: string): { ok: true; deviceTime: string } | { ok: false; reason: string } {
  const m = DATE_VALUE.exec(value);
  if (!m) return { ok: false, reason: `"${shorten(value)}" is not laid out as MMM-DD-YYYY HH:MM:SS` };
  const month = (MONTHS as readonly string[]).indexOf(m[1] ?? '') + 1;
  if (month === 0) return { ok: false, reason: `"${m[1]}" is not a month the analyzer prints (JAN … DEC)` };
  const deviceTime = localDateTime(Number(m[3]), month, Number(m[2]), Number(m[4]), Number(m[5]), Number(m[6]));
  if (deviceTime === undefined) return { ok: false, reason: `"${value}" is not a real date and time` };
  return { ok: true, deviceTime };
}

/**
 * The sample ID: ID_NO with trailing dashes and spaces trimmed (the dash is the separator the
 * analyzer prints before the sub-ID, PROTOCOL.md §3.2 [INFERRED]), then `-sub-ID` when a sub-ID
 * is printed. Undefined when neither is printed.
 */
export function sampleIdOf(idNo: string | undefined, subId: string | undefined): string | undefined {
  const id = (idNo ?? '').replace(/[-\s]+$/, '');
  if (subId === undefined || subId === '') return id === '' ? undefined : id;
  return id === '' ? subId : `${id}-${subId}`;
}

function labelOf(header: Header): string {
  return { date: 'Date', id: 'ID_NO', ward: 'Ward', name: 'NAME' }[header];
}

function shorten(text: string, max = 30): string {
  return text.length > max ? `${text.slice(0, max)}…` : text;
}
