import { localDateTime } from '../../../shared/time.ts';

/**
 * The FreeStyle HID meters' clock and one-line replies (abbott-freestyle-neo/PROTOCOL.md §4):
 * shared by every meter of the family. No decoder throws.
 */

/** Two-digit years are 2000 + YY (abbott-freestyle-neo/PROTOCOL.md §4, clock). */
const CENTURY = 2000;
/** A meter whose real-time clock was lost reads this in every date field (abbott-freestyle-neo/PROTOCOL.md §4, clock). */
export const LOST_RTC_FIELD = 255;

/** A record's or the meter's local time: `local` is undefined when the fields are no real time. */
export interface MeterTime {
  local: string | undefined;
  /** The fields as sent, for messages. */
  text: string;
}

/** A record or clock time from its fields (two-digit year); `local` undefined when no real time. */
export function timeOf(year2: string, month: string, day: string, hour: string, minute: string, second = '0'): MeterTime {
  const [y, mo, d, h, mi, s] = [year2, month, day, hour, minute, second].map(Number) as [number, number, number, number, number, number];
  // localDateTime refuses anything that is not a real calendar time (a lost clock's 255s too).
  const local = y < 100 ? localDateTime(CENTURY + y, mo, d, h, mi, s) : undefined;
  return { local, text: `${month}/${day}/${year2} ${hour}:${minute.padStart(2, '0')}` };
}

/** `$date?` → `M,D,YY`; a lost RTC reads `255,255,255`. */
export function parseMeterDate(message: string): { month: string; day: string; year2: string; lost: boolean } | undefined {
  const m = /^(\d{1,3}),(\d{1,3}),(\d{1,3})\r\n$/.exec(message);
  if (!m) return undefined;
  const [, month = '', day = '', year2 = ''] = m;
  return { month, day, year2, lost: [month, day, year2].every((f) => Number(f) === LOST_RTC_FIELD) };
}

/** `$time?` → `H,M` (no seconds). */
function parseMeterTime(message: string): { hour: string; minute: string } | undefined {
  const m = /^(\d{1,3}),(\d{1,3})\r\n$/.exec(message);
  return m ? { hour: m[1] ?? '', minute: m[2] ?? '' } : undefined;
}

/** The meter clock from the `$date?` and `$time?` messages. */
export function meterClock(dateMessage: string, timeMessage: string): { time: MeterTime; lost: boolean } | undefined {
  const date = parseMeterDate(dateMessage);
  const time = parseMeterTime(timeMessage);
  if (!date || !time) return undefined;
  return { time: timeOf(date.year2, date.month, date.day, time.hour, time.minute), lost: date.lost };
}

/** One line of a text reply without its CR LF (serial number, version, unit code). */
export function singleLine(message: string): string | undefined {
  const m = /^([^\r\n]*)\r\n$/.exec(message);
  return m ? m[1] : undefined;
}

