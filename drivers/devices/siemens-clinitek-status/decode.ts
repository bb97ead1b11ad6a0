import { localDateTime } from '../../../shared/time.ts';
import {
  ANALYTE_CODE,
  DATE,
  ERROR_CODE,
  FIELD,
  FLAG_ABNORMAL,
  SEQUENCE,
  TIME_12H,
  TIME_24H,
  cleanLine,
  hasControlBytes,
  type DateOrder,
} from './protocol.ts';

/** One result triplet in the analyzer's terms: code (trimmed), result as printed, flag. */
export interface ClinitekTriplet {
  /** `GLU`, `SG`, `CET`, `pH` … (the device pads short codes with spaces; trimmed here). */
  code: string;
  /** As printed: `Negative`, `500 mg/dL`, `>=1.030`, `Apr 200 Hem/uL`. */
  result: string;
  /** `*` when the analyzer flags the result abnormal, otherwise empty. */
  flag: '' | '*';
}

/** Fields 1–12, common to result and error records. */
interface ClinitekHeader {
  sequence: string;
  /** Date and time exactly as printed (time trimmed of its padding). */
  date: string;
  time: string;
  /** The same as a local date-time `YYYY-MM-DDTHH:MM:00`. */
  deviceTime: string;
  /** Empty when not entered. */
  operatorId: string;
  sampleId: string;
  /** Fields 6–9 as printed, or [] when all four are empty (they are in every capture). */
  otherIds: string[];
  /** Strip type, e.g. `Multistix 10 SG`. */
  strip: string;
  /** Operator-entered colour and clarity, e.g. `Amarillo`, or `Not Entered` / `No introducido`. */
  colour: string;
  clarity: string;
}

export interface ClinitekResultRecord extends ClinitekHeader {
  type: 'results';
  results: ClinitekTriplet[];
}

/** The analyzer could not read the strip and sent an error code instead of results. */
export interface ClinitekErrorRecord extends ClinitekHeader {
  type: 'error';
  /** As printed, e.g. `E58`. */
  errorCode: string;
}

export type ClinitekRecord = ClinitekResultRecord | ClinitekErrorRecord;

export type DecodeOutcome =
  /** `noise`: non-printable bytes skipped before the record (empty when none). */
  | { ok: true; record: ClinitekRecord; noise: Uint8Array }
  /** `silent`: the line held only XON/XOFF flow control, which is not an error. */
  | { ok: false; reason: string; silent?: true };

interface DecodeOptions {
  /** Layout of field 2. Default `dmy` (every capture). */
  dateOrder?: DateOrder;
}

/**
 * One framed line to one record. Never throws: a line that breaks the grammar comes back with
 * the reason, so that a truncated record glued to the next one is rejected, never half-read.
 */
export function decodeRecord(line: Uint8Array, options: DecodeOptions = {}): DecodeOutcome {
  const { text, leadingNoise, start } = cleanLine(line);
  const fail = (reason: string): DecodeOutcome => ({ ok: false, reason });
  if (text.length === 0 && leadingNoise === 0) return { ok: false, reason: 'flow control only', silent: true };
  if (text.length === 0) return fail('no printable characters');
  const noise = leadingNoise > 0 ? line.subarray(0, start) : new Uint8Array();
  if (hasControlBytes(text)) return fail('control bytes inside the line');
  const fields = text.split(',');
  if (fields.length <= FIELD.resultsFrom) return fail(`${fields.length} fields, a record has at least ${FIELD.resultsFrom + 1}`);

  const get = (i: number): string => (fields[i] ?? '').trim();
  const sequence = get(FIELD.sequence);
  if (!SEQUENCE.test(sequence)) return fail('the sequence number (field 1) is not a number');
  const date = get(FIELD.date);
  const time = get(FIELD.time);
  const deviceTime = parseDateTime(date, time, options.dateOrder ?? 'dmy');
  if (deviceTime === undefined) return fail(`"${date}" "${time}" (fields 2–3) is not a real date and time`);
  const otherIds = fields.slice(FIELD.otherIdsFrom, FIELD.otherIdsTo + 1).map((f) => f.trim());
  const header: ClinitekHeader = {
    sequence,
    date,
    time,
    deviceTime,
    operatorId: get(FIELD.operatorId),
    sampleId: get(FIELD.sampleId),
    otherIds: otherIds.some((f) => f !== '') ? otherIds : [],
    strip: get(FIELD.strip),
    colour: get(FIELD.colour),
    clarity: get(FIELD.clarity),
  };

  const rest = fields.slice(FIELD.resultsFrom);
  const error = errorCode(rest);
  if (error !== undefined) return { ok: true, record: { type: 'error', ...header, errorCode: error }, noise };

  // Triplets are `code,result,flag` joined by commas; the "trailing comma" of a record whose
  // last flag is empty is that empty flag. A record cut short leaves a partial triplet.
  if (rest.length % 3 !== 0) return fail('the results do not end with a complete code, result, flag triplet');
  const results: ClinitekTriplet[] = [];
  for (let i = 0; i < rest.length; i += 3) {
    const code = (rest[i] ?? '').trim();
    const result = (rest[i + 1] ?? '').trim();
    const flag = rest[i + 2] ?? '';
    const n = FIELD.resultsFrom + i + 1;
    if (!ANALYTE_CODE.test(code)) return fail(`field ${n} ("${shorten(code)}") is not an analyte code`);
    if (result === '') return fail(`field ${n + 1} (the ${code} result) is empty`);
    if (flag !== '' && flag !== FLAG_ABNORMAL) return fail(`field ${n + 2} ("${shorten(flag)}") is not an abnormal flag`);
    results.push({ code, result, flag });
  }
  return { ok: true, record: { type: 'results', ...header, results }, noise };
}

/** The error code when the results part is exactly one error code (a trailing comma tolerated). */
function errorCode(rest: readonly string[]): string | undefined {
  const [first, second, ...more] = rest;
  const code = (first ?? '').trim();
  if (!ERROR_CODE.test(code) || more.length > 0 || (second !== undefined && second.trim() !== '')) return undefined;
  return code;
}

/** Fields 2–3 to `YYYY-MM-DDTHH:MM:00`, or undefined unless they form a real date-time. */
export function parseDateTime(date: string, time: string, order: DateOrder): string | undefined {
  const d = DATE.exec(date);
  if (!d) return undefined;
  const first = Number(d[1]);
  const second = Number(d[3]);
  const year = Number(d[4]);
  const [day, month] = order === 'dmy' ? [first, second] : [second, first];
  const hm = parseTime(time);
  if (!hm) return undefined;
  return localDateTime(year, month, day, hm.hour, hm.minute);
}

/** ` 5:33PM` → 17:33, `12:05AM` → 00:05, `12:30PM` → 12:30, `15:25` → 15:25. */
export function parseTime(time: string): { hour: number; minute: number } | undefined {
  const t12 = TIME_12H.exec(time);
  if (t12) {
    const h = Number(t12[1]);
    const minute = Number(t12[2]);
    if (h < 1 || h > 12 || minute > 59) return undefined;
    const pm = t12[3]?.toUpperCase() === 'P';
    return { hour: (h % 12) + (pm ? 12 : 0), minute };
  }
  const t24 = TIME_24H.exec(time);
  if (t24) {
    const hour = Number(t24[1]);
    const minute = Number(t24[2]);
    if (hour > 23 || minute > 59) return undefined;
    return { hour, minute };
  }
  return undefined;
}

function shorten(text: string, max = 20): string {
  return text.length > max ? `${text.slice(0, max)}…` : text;
}
