/**
 * ReliOn Prime replies → the meter's terms (PROTOCOL.md §3–4), pure and never throwing.
 */

const pad = (n: number, w = 2): string => String(n).padStart(w, '0');

/** `YYYY-MM-DDTHH:MM:00`, or undefined when the fields are no calendar time. */
export function localTime(year: number, month: number, day: number, hour: number, minute: number): string | undefined {
  if (month < 1 || month > 12 || day < 1 || hour > 23 || minute > 59) return undefined;
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  const days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1] ?? 0;
  if (day > days) return undefined;
  return `${pad(year, 4)}-${pad(month)}-${pad(day)}T${pad(hour)}:${pad(minute)}:00`;
}

/** Model and serial from the header line `1H|\^&|||model^version^serial|…` (field 5 split on `^`). */
export function decodeHeader(content: string): { model: string; serial?: string; version?: string } | undefined {
  if (!/^\dH\|/.test(content)) return undefined;
  const field = content.split('|')[4];
  if (field === undefined) return undefined;
  const [model, version, serial] = field.split('^').map((s) => s.trim());
  if (!model) return undefined;
  return { model, ...(serial ? { serial } : {}), ...(version ? { version } : {}) };
}

/** The record count of an `M|<count>|…` reply. */
export function decodeCount(content: string): number | undefined {
  const m = /^M\|(\d{1,4})\|/.exec(content);
  return m ? Number(m[1]) : undefined;
}

/** The meter clock from `T|HHmm|` and `D|YYMMDD|`. */
export function decodeClock(time: string, date: string): { local?: string; text: string } | undefined {
  const t = /^T\|(\d{2})(\d{2})\|/.exec(time);
  const d = /^D\|(\d{2})(\d{2})(\d{2})\|/.exec(date);
  if (!t || !d) return undefined;
  const local = localTime(2000 + Number(d[1]), Number(d[2]), Number(d[3]), Number(t[1]), Number(t[2]));
  return { text: `${d[1]}${d[2]}${d[3]} ${t[1]}${t[2]}`, ...(local ? { local } : {}) };
}

/** Record flags (PROTOCOL.md §4). */
export const RECORD_FLAG = { high: 0x01, low: 0x02, control: 0x04 } as const;

export interface PrimeRecord {
  /** The 16 characters as sent. */
  text: string;
  value: number;
  time: { local?: string; text: string };
  flags: number;
}

/**
 * A record reply: the 16 characters after the first `|`: value (4 hex digits, byte-swapped),
 * `mmHHDDMMYY`, flags (2 hex digits).
 */
export function decodeRecord(content: string): { ok: true; record: PrimeRecord } | { ok: false; reason: string } {
  const bar = content.indexOf('|');
  const text = bar < 0 ? '' : content.slice(bar + 1, bar + 17);
  if (!/^[0-9A-Fa-f]{4}\d{10}[0-9A-Fa-f]{2}$/.test(text)) return { ok: false, reason: 'no 16-character record after the first "|"' };
  const value = parseInt(text.slice(2, 4) + text.slice(0, 2), 16);
  const n = (i: number): number => Number(text.slice(i, i + 2));
  const [mm, hh, dd, mo, yy] = [n(4), n(6), n(8), n(10), n(12)];
  const local = localTime(2000 + yy, mo, dd, hh, mm);
  return { ok: true, record: { text, value, flags: parseInt(text.slice(14, 16), 16), time: { text: text.slice(4, 14), ...(local ? { local } : {}) } } };
}

/** The 16 characters of a record (simulator and tests). */
export function encodeRecord(r: { value: number; minute: number; hour: number; day: number; month: number; year: number; flags?: number }): string {
  const h = (n: number, w: number): string => n.toString(16).toUpperCase().padStart(w, '0');
  return `${h(r.value & 0xff, 2)}${h((r.value >> 8) & 0xff, 2)}${pad(r.minute)}${pad(r.hour)}${pad(r.day)}${pad(r.month)}${pad(r.year % 100)}${h(r.flags ?? 0, 2)}`;
}
