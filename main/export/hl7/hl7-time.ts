/**
 * HL7 v2 date/time (DTM) formatting. Times keep the offset they were recorded with, because the
 * EHR must know the wall-clock time at the bedside, not only the instant.
 */

const OFFSET_DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

/** `2026-11-27T09:15:00+01:00` → `20261127091500+0100` (fractions dropped, `Z` → `+0000`). */
export function hl7DateTime(iso: string): string {
  const m = OFFSET_DATE_TIME.exec(iso);
  if (!m) throw new RangeError(`not an ISO 8601 date-time with an offset: ${iso}`);
  const [, y, mo, d, h, mi, s, zone] = m;
  const offset = zone === 'Z' || zone === undefined ? '+0000' : zone.replace(':', '');
  return `${y}${mo}${d}${h}${mi}${s}${offset}`;
}

const pad = (n: number, width = 2): string => String(Math.abs(n)).padStart(width, '0');

/** A clock instant in this machine's zone with its offset: MSH-7, the time the message was built. */
export function hl7Now(now: Date): string {
  const offsetMin = -now.getTimezoneOffset();
  const sign = offsetMin < 0 ? '-' : '+';
  return (
    `${now.getFullYear()}${pad(now.getMonth() + 1)}${pad(now.getDate())}` +
    `${pad(now.getHours())}${pad(now.getMinutes())}${pad(now.getSeconds())}` +
    `${sign}${pad(Math.trunc(offsetMin / 60))}${pad(offsetMin % 60)}`
  );
}

/** `1961-04-23` → `19610423`; anything else is not a birth date the EHR can match on. */
export function hl7Date(isoDate: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(isoDate);
  if (!m) throw new RangeError(`not an ISO 8601 date: ${isoDate}`);
  return `${m[1]}${m[2]}${m[3]}`;
}
