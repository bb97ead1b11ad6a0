import { localDateTime } from '../../../shared/time.ts';
import { latin1 } from '../../kit/index.ts';
import { ABNORMAL_MARK, DATE_TIME, ETX, GRADE, HEADER, LABEL, NUMBER, STX, UNIT, WORD } from './protocol.ts';

/** One analyte line in the analyzer's terms (PROTOCOL.md §4). */
export interface U120Result {
  /** `LEU`, `pH`, `SG`, `ASC` … as printed. */
  label: string;
  /** The grade column (`-`, `+-`, `1+`, `+`), absent for pH and SG. */
  grade?: string;
  /** The number or word as printed (`0.2`, `1.010`, `neg`), empty when only a grade was printed. */
  value: string;
  /** The unit after a number (`mg/dL`, `Leu/uL`), absent for words, pH and SG. */
  unit?: string;
  /** The line began with `*`: the analyzer calls the result abnormal. */
  abnormal: boolean;
}

/** One report in the analyzer's terms (PROTOCOL.md §3–§4). Header fields are absent when not printed or empty. */
export interface U120Report {
  /** `ID:` — the sample or patient id keyed on the analyzer. */
  sampleId?: string;
  /** `Date:` as printed, and as a local date-time `YYYY-MM-DDTHH:MM:00`. */
  date?: { printed: string; deviceTime: string };
  /** `Operator:`. */
  operatorId?: string;
  /** `No.`: the analyzer's test sequence number. */
  sequence?: string;
  /** The analyte lines in report order. */
  results: U120Result[];
}

export type DecodeOutcome = { ok: true; report: U120Report } | { ok: false; reason: string };

/**
 * One framed report (STX … ETX included) to a report, or why it is not one. Never throws. The
 * grammar is strict on purpose (PROTOCOL.md §5): a byte that is not printable text, a line that is
 * neither a header nor an analyte line, a header or analyte printed twice, or a date that is not a
 * real date make the whole report unread, never half-read.
 */
export function decodeReport(frame: Uint8Array): DecodeOutcome {
  const fail = (reason: string): DecodeOutcome => ({ ok: false, reason });
  if (frame[0] !== STX || frame[frame.length - 1] !== ETX) return fail('not a whole STX … ETX report');
  const body = frame.subarray(1, frame.length - 1);
  for (const b of body) {
    if ((b < 0x20 || b > 0x7e) && b !== 0x0d && b !== 0x0a && b !== 0x09) return fail(`byte 0x${b.toString(16).padStart(2, '0')} inside the report is not text`);
  }
  const report: U120Report = { results: [] };
  const seen = new Set<string>();
  const once = (what: string): boolean => {
    if (seen.has(what)) return false;
    seen.add(what);
    return true;
  };
  for (const raw of latin1(body).split(/\r\n|\r|\n/)) {
    const line = raw.trim();
    if (line === '') continue;
    const header = headerOf(line);
    if (header) {
      if (!once(header.tag)) return fail(`the ${HEADER_NAMES[header.tag]} line is printed twice`);
      const problem = applyHeader(report, header.tag, header.text);
      if (problem) return fail(problem);
      continue;
    }
    const result = decodeResultLine(line);
    if (typeof result === 'string') return fail(result);
    if (!once(`result ${result.label.toUpperCase()}`)) return fail(`${result.label} is printed twice`);
    report.results.push(result);
  }
  if (report.results.length === 0) return fail('no analyte lines');
  return { ok: true, report };
}

type HeaderTag = keyof typeof HEADER;

/** The tags as printed, for messages. */
const HEADER_NAMES: Readonly<Record<HeaderTag, string>> = { sampleId: 'ID:', date: 'Date:', operator: 'Operator:', sequence: 'No.' };

function headerOf(line: string): { tag: HeaderTag; text: string } | undefined {
  for (const tag of Object.keys(HEADER) as HeaderTag[]) {
    const m = HEADER[tag].exec(line);
    if (m) return { tag, text: (m[1] ?? '').trim() };
  }
  return undefined;
}

/** Put one header field on the report; a reason when its text cannot be right. */
function applyHeader(report: U120Report, tag: HeaderTag, text: string): string | undefined {
  if (text === '') return undefined;
  switch (tag) {
    case 'sampleId':
      report.sampleId = text;
      return undefined;
    case 'operator':
      report.operatorId = text;
      return undefined;
    case 'sequence':
      if (!/^\d+$/.test(text)) return `"No. ${text}" is not a sequence number`;
      report.sequence = text;
      return undefined;
    case 'date': {
      const deviceTime = parseDateTime(text);
      if (deviceTime === undefined) return `"Date:${text}" is not a real date and time`;
      report.date = { printed: text, deviceTime };
      return undefined;
    }
    default: {
      const never: never = tag;
      return never;
    }
  }
}

/**
 * `dd-mm-yyyy HH:MM` (24 h) or `dd-mm-yyyy hh:MM am|pm` (12 h) to `YYYY-MM-DDTHH:MM:00`, or
 * undefined unless it is a real date-time. 12 h: `12:42 pm` is 12:42, `12:05 am` is 00:05.
 */
export function parseDateTime(text: string): string | undefined {
  const m = DATE_TIME.exec(text);
  if (!m) return undefined;
  const [day, month, year, hour, minute] = [m[1], m[2], m[3], m[4], m[5]].map(Number) as [number, number, number, number, number];
  const half = m[6]?.toLowerCase();
  if (half === undefined) return hour > 23 ? undefined : localDateTime(year, month, day, hour, minute);
  if (hour < 1 || hour > 12) return undefined;
  return localDateTime(year, month, day, (hour % 12) + (half === 'p' ? 12 : 0), minute);
}

/**
 * `[*]LABEL [grade] value [unit]` split on whitespace (PROTOCOL.md §4), or why the line is not one.
 * The value is a number (with a unit, or bare for pH and SG) or a word; a grade alone is kept.
 */
export function decodeResultLine(line: string): U120Result | string {
  const abnormal = line.startsWith(ABNORMAL_MARK);
  const tokens = (abnormal ? line.slice(1) : line).trim().split(/\s+/);
  const label = tokens.shift() ?? '';
  if (!LABEL.test(label)) return `"${shorten(line)}" is neither a header nor an analyte line`;
  const grade = tokens[0] !== undefined && GRADE.test(tokens[0]) ? tokens.shift() : undefined;
  const [value, unit, ...more] = tokens;
  const base = { label, abnormal, ...(grade === undefined ? {} : { grade }) };
  if (more.length > 0) return `the ${label} line has more than a grade, a value and a unit`;
  if (value === undefined) return grade === undefined ? `the ${label} line has no result` : { ...base, value: '' };
  if (unit === undefined) {
    if (NUMBER.test(value) || WORD.test(value)) return { ...base, value };
    return `the ${label} result "${shorten(value)}" is neither a number nor a word`;
  }
  if (!NUMBER.test(value) || !UNIT.test(unit)) return `the ${label} result "${shorten(`${value} ${unit}`)}" is not a number and a unit`;
  return { ...base, value, unit };
}

function shorten(text: string, max = 30): string {
  return text.length > max ? `${text.slice(0, max)}…` : text;
}
