/**
 * TRUE Metrix message payloads → the meter's own terms (PROTOCOL.md §3–4), pure and never
 * throwing: model code, serial, clock, `g5` glucose records, the download checksum.
 */

/** Model codes of the `i` reply (PROTOCOL.md §3). */
export const MODEL_CODES: Readonly<Record<string, string>> = { MR2: 'TRUE METRIX', RC2: 'TRUE METRIX GO', BLU: 'TRUE METRIX AIR' };

/** A local date-time as the meter keeps it; `local` is `YYYY-MM-DDTHH:MM:SS` when it is a real time. */
export interface MeterTime {
  local?: string;
  text: string;
}

/** One `g5` record in the meter's terms, with the characters nobody has decoded kept as sent. */
export interface TrueMetrixRecord {
  /** The hex-nibble body after `g5`, exactly as sent. */
  body: string;
  time: MeterTime;
  /** mg/dL, 0..2047 (11 bits). */
  value: number;
  control: boolean;
  /** What is not understood (PROTOCOL.md §4): kept, never guessed. */
  opaque: { char7HighBit: number; char10: string; tail: string };
}

const pad = (n: number, w = 2): string => String(n).padStart(w, '0');

/** `YYYY-MM-DDTHH:MM:SS` from fields, or undefined when they are no calendar time. */
export function localTime(year: number, month: number, day: number, hour: number, minute: number, second: number): string | undefined {
  if (month < 1 || month > 12 || day < 1 || hour > 23 || minute > 59 || second > 59) return undefined;
  // The last day of the month, without Date (a pure calendar rule).
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  const days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1] ?? 0;
  if (day > days) return undefined;
  return `${pad(year, 4)}-${pad(month)}-${pad(day)}T${pad(hour)}:${pad(minute)}:${pad(second)}`;
}

/** The model name of an `i` payload (`iMR2`), or undefined when it is not one. */
export function decodeModel(payload: string): { code: string; name: string } | undefined {
  if (!payload.startsWith('i') || payload.length < 2) return undefined;
  const code = payload.slice(1);
  return { code, name: MODEL_CODES[code] ?? `TRUE METRIX (model code ${code})` };
}

/** The serial of a `z1` payload. */
export function decodeSerial(payload: string): string | undefined {
  const serial = payload.startsWith('z1') ? payload.slice(2).trim() : '';
  return /^[\x21-\x7e]{1,40}$/.test(serial) ? serial : undefined;
}

/** The firmware of a `v` payload [UNVERIFIED reply type, PROTOCOL.md §3]. */
export function decodeFirmware(payload: string): string | undefined {
  const version = payload.startsWith('v') ? payload.slice(1).trim() : '';
  return /^[\x20-\x7e]{1,40}$/.test(version) ? version : undefined;
}

/** The meter clock of a `t` payload: 12 digits `ssmmHHDDMMYY` (PROTOCOL.md §3). */
export function decodeClock(payload: string): MeterTime | undefined {
  const m = /^t(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})$/.exec(payload);
  if (!m) return undefined;
  const [ss, mm, hh, dd, mo, yy] = m.slice(1).map(Number) as [number, number, number, number, number, number];
  const local = localTime(2000 + yy, mo, dd, hh, mm, ss);
  return { text: payload.slice(1), ...(local ? { local } : {}) };
}

/** A `g5` record, or why it cannot be read (PROTOCOL.md §4). */
export function decodeRecord(payload: string): { ok: true; record: TrueMetrixRecord } | { ok: false; reason: string } {
  if (!payload.startsWith('g5')) return { ok: false, reason: 'not a g5 record' };
  const body = payload.slice(2);
  if (body.length < 12) return { ok: false, reason: `the record has ${body.length} characters, fewer than 12` };
  if (!/^[0-9A-Fa-f]{12}/.test(body)) return { ok: false, reason: 'the first 12 characters are not all hex digits' };
  const n = (from: number, to: number): number => parseInt(body.slice(from, to), 16);
  const month = n(0, 1);
  const ddyy = n(1, 4);
  const hhmm = n(4, 7);
  const c7 = n(7, 8);
  const value = ((c7 & 0x07) << 8) | n(8, 10);
  const text = `${pad(ddyy, 4)} ${pad(hhmm, 4)} month ${month}`;
  const local = ddyy <= 9999 && hhmm <= 9999 ? localTime(2000 + (ddyy % 100), month, Math.floor(ddyy / 100), Math.floor(hhmm / 100), hhmm % 100, 0) : undefined;
  return {
    ok: true,
    record: {
      body,
      time: { text, ...(local ? { local } : {}) },
      value,
      control: body[11] !== '0',
      opaque: { char7HighBit: (c7 >> 3) & 1, char10: body[10] ?? '', tail: body.slice(12) },
    },
  };
}

/** Sum of the ASCII of record bodies, & 0xFFFF: what the `x` message states (PROTOCOL.md §2). */
export function downloadSum(bodies: readonly string[]): number {
  let sum = 0;
  for (const body of bodies) for (let i = 0; i < body.length; i++) sum = (sum + (body.charCodeAt(i) & 0xff)) & 0xffff;
  return sum;
}

/** The `x` payload: one unknown character, then 4 hex digits (PROTOCOL.md §2). */
export function decodeDownloadCheck(payload: string): { extra: string; sum: number } | undefined {
  const m = /^x([\s\S])([0-9A-F]{4})$/.exec(payload);
  return m ? { extra: m[1] ?? '', sum: parseInt(m[2] ?? '', 16) } : undefined;
}
