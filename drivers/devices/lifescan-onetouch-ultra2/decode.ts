import { localDateTime } from '../../../shared/time.ts';

/**
 * The Ultra 2's reply texts in the meter's own terms (PROTOCOL.md §3–6).
 * Input is the text of a line whose checksum already matched; nothing here throws.
 */

/** PROTOCOL.md §3: the year has two digits and means 20YY (the meter is not Y2K-safe, nor are we). */
const CENTURY = 2000;

/** `"SAT","03/21/15","16:45:24   "`: weekday, date MM/DD/YY, time with trailing spaces (PROTOCOL.md §3). */
const WHEN = String.raw`"([A-Za-z]{3})","(\d\d)\/(\d\d)\/(\d\d)","(\d\d):(\d\d):(\d\d) *"`;
const CLOCK_REPLY = new RegExp(String.raw`^([FT]) ${WHEN}$`);
const SERIAL_REPLY = /^@ "([^"]{1,20})"$/;
const VERSION_REPLY = /^\?(.+)$/;
/** PROTOCOL.md §6 header: `P nnn,"SERIAL","MG/DL "`. The count is 3 digits; up to 4 are accepted. */
const HEADER = /^P (\d{1,4}),"([^"]*)","([^"]*)"$/;
/** PROTOCOL.md §6 record; the last field is the constant `00` of unknown meaning (any 1–4 characters kept). */
const RECORD = new RegExp(String.raw`^P ${WHEN},"([^"]{1,8})","([^"]?)","([^"]{0,3})", ?(\w{1,4})$`);

/** A clock as the meter printed it: `F …` (DMF) or its echo `T …` after DMT. */
export interface MeterClock {
  tag: 'F' | 'T';
  weekday: string;
  /** Meter local time `YYYY-MM-DDTHH:MM:SS`. */
  deviceTime: string;
}

/** Display unit of the dump header. The values are mg/dL whatever it says (PROTOCOL.md §3). */
export type Ultra2DisplayUnit = 'mg/dL' | 'mmol/L' | 'unknown';

export interface DumpHeader {
  count: number;
  serial: string;
  displayUnit: Ultra2DisplayUnit;
  /** The unit text as printed, for a unit we do not know. */
  unitText: string;
}

/**
 * Field 5, the result: `C` in char 1 for control solution, the value in mg/dL, `?` in char 6
 * when the meter flags a parity error (PROTOCOL.md §6). How the meter writes HI/LO is not documented
 * [inferred], so a word (`HI`, `HIGH`, `LO`, `LOW`) is read as one, and so is any number.
 */
export type ResultValue =
  | { kind: 'number'; mgdl: number }
  | { kind: 'word'; limit: 'HI' | 'LO' }
  | { kind: 'unreadable' };

export interface UltraRecord {
  weekday: string;
  deviceTime: string;
  control: boolean;
  parityError: boolean;
  value: ResultValue;
  /** Field 5 as printed (between the quotes). */
  resultText: string;
  /** Field 6: `N`, `B`, `A` (or whatever else the meter printed). */
  meal: string;
  /** Field 7: `00`–`11`, as printed. */
  comment: string;
}

export type Ultra2Decoded<T> = { ok: true; value: T } | { ok: false; reason: string };

const fail = <T>(reason: string): Ultra2Decoded<T> => ({ ok: false, reason });

function when(m: RegExpExecArray, from: number): string | undefined {
  const n = (i: number): number => Number(m[from + i]);
  return localDateTime(CENTURY + n(2), n(0), n(1), n(3), n(4), n(5));
}

/** `@ "GMF600DCY"` (DM@) → the serial number. */
export function decodeSerial(text: string): Ultra2Decoded<string> {
  const serial = SERIAL_REPLY.exec(text)?.[1]?.trim();
  return serial ? { ok: true, value: serial } : fail('not a serial-number reply (@ "…")');
}

/** `?P02.00.00 30/08/06` (DM?) → the software version text. */
export function decodeVersion(text: string): Ultra2Decoded<string> {
  const version = VERSION_REPLY.exec(text)?.[1]?.trim();
  return version ? { ok: true, value: version } : fail('not a version reply (?…)');
}

/** `F "SAT","03/21/15","16:47:02   "` (DMF), or the `T …` echo of DMT. */
export function decodeClock(text: string): Ultra2Decoded<MeterClock> {
  const m = CLOCK_REPLY.exec(text);
  if (!m) return fail('not a clock reply (F/T "DDD","MM/DD/YY","HH:MM:SS")');
  const deviceTime = when(m, 3);
  if (!deviceTime) return fail('the meter clock is not a real date and time');
  return { ok: true, value: { tag: m[1] as 'F' | 'T', weekday: (m[2] ?? '').toUpperCase(), deviceTime } };
}

/** `P 003,"GMF600DCY","MG/DL "` → count, serial and display unit. */
export function decodeHeader(text: string): Ultra2Decoded<DumpHeader> {
  const m = HEADER.exec(text);
  if (!m) return fail('not a dump header (P nnn,"SERIAL","UNIT")');
  const unitText = (m[3] ?? '').trim();
  const upper = unitText.toUpperCase();
  const displayUnit: Ultra2DisplayUnit = upper === 'MG/DL' ? 'mg/dL' : upper === 'MMOL/L' ? 'mmol/L' : 'unknown';
  return { ok: true, value: { count: Number(m[1]), serial: (m[2] ?? '').trim(), displayUnit, unitText } };
}

/** Field 5 without its quotes → control, parity and the value (see ResultValue). */
export function decodeResult(field: string): { control: boolean; parityError: boolean; value: ResultValue } {
  const control = field.startsWith('C');
  let core = control ? field.slice(1) : field;
  const parityError = core.endsWith('?');
  if (parityError) core = core.slice(0, -1);
  core = core.trim().toUpperCase();
  let value: ResultValue = { kind: 'unreadable' };
  if (/^\d{1,4}$/.test(core)) value = { kind: 'number', mgdl: Number(core) };
  else if (core === 'HI' || core === 'HIGH') value = { kind: 'word', limit: 'HI' };
  else if (core === 'LO' || core === 'LOW') value = { kind: 'word', limit: 'LO' };
  return { control, parityError, value };
}

/** One dump record line `P "SAT","03/21/15","16:45:24   ","  081 ","N","03", 00`. */
export function decodeRecord(text: string): Ultra2Decoded<UltraRecord> {
  const m = RECORD.exec(text);
  if (!m) return fail('not a dump record (P "DDD","MM/DD/YY","HH:MM:SS","result","meal","comment", 00)');
  const deviceTime = when(m, 2);
  if (!deviceTime) return fail('the record time is not a real date and time');
  const resultText = m[8] ?? '';
  return {
    ok: true,
    value: { weekday: (m[1] ?? '').toUpperCase(), deviceTime, resultText, ...decodeResult(resultText), meal: m[9] ?? '', comment: m[10] ?? '' },
  };
}
