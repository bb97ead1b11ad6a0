/**
 * Reading HL7 v2 date and time values as an ADT sender writes them (v2.5.1 ch. 2A: DT, DTM/TS)
 * into the forms the hub stores: a birth date as `YYYY-MM-DD`, a visit start as ISO 8601 with
 * its offset. A value that is present but not a real date is an error the sender must fix (AE),
 * never guessed at.
 */

const DTM = /^(\d{4})(\d{2})(\d{2})(?:(\d{2})(\d{2})?(\d{2})?(?:\.\d{1,4})?)?([+-]\d{4})?$/;

const pad = (n: number, width = 2): string => String(Math.abs(n)).padStart(width, '0');

function isCalendarDate(y: number, m: number, d: number): boolean {
  const date = new Date(Date.UTC(y, m - 1, d));
  return date.getUTCFullYear() === y && date.getUTCMonth() === m - 1 && date.getUTCDate() === d;
}

/**
 * PID-7 (`19800102`, or a TS with a time that a birth date does not need) → `1980-01-02`;
 * undefined when it is not a whole calendar date (a year alone cannot be matched at selection).
 */
export function birthDateOf(value: string): string | undefined {
  const m = DTM.exec(value.trim());
  if (!m) return undefined;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (!isCalendarDate(y, mo, d)) return undefined;
  return `${m[1]}-${m[2]}-${m[3]}`;
}

/**
 * A TS/DTM (`20261207101500+0100`) → `2026-12-07T10:15:00+01:00`. The sender's offset is kept
 * (the visit's wall-clock time matters at the bedside); without one, the time is the
 * workstation's local time, as HL7 says (the sender's zone), stated with this machine's offset.
 * Undefined when it is not a real date and time.
 */
export function instantOf(value: string): string | undefined {
  const m = DTM.exec(value.trim());
  if (!m) return undefined;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const [h, mi, s] = [Number(m[4] ?? 0), Number(m[5] ?? 0), Number(m[6] ?? 0)];
  if (!isCalendarDate(y, mo, d) || h > 23 || mi > 59 || s > 59) return undefined;
  let offset = m[7];
  if (offset === undefined) {
    const minutes = -new Date(y, mo - 1, d, h, mi, s).getTimezoneOffset();
    offset = `${minutes < 0 ? '-' : '+'}${pad(Math.trunc(minutes / 60))}${pad(minutes % 60)}`;
  } else if (Number(offset.slice(1, 3)) > 14 || Number(offset.slice(3)) > 59) {
    return undefined;
  }
  return `${m[1]}-${m[2]}-${m[3]}T${pad(h)}:${pad(mi)}:${pad(s)}${offset.slice(0, 3)}:${offset.slice(3)}`;
}
