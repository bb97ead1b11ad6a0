/**
 * Date-time helpers without Node: device local times (no zone) and instants with an offset.
 * "Local" means the workstation's zone as the JavaScript runtime knows it.
 */
const pad = (n: number, w = 2): string => String(Math.trunc(Math.abs(n))).padStart(w, '0');

/** `YYYY-MM-DDTHH:MM:SS` from parts, after checking that they form a real calendar date-time. */
export function localDateTime(y: number, mo: number, d: number, h: number, mi: number, s = 0): string | undefined {
  const probe = new Date(Date.UTC(y, mo - 1, d, h, mi, s));
  if (
    !Number.isInteger(y) || probe.getUTCFullYear() !== y || probe.getUTCMonth() !== mo - 1 || probe.getUTCDate() !== d ||
    probe.getUTCHours() !== h || probe.getUTCMinutes() !== mi || probe.getUTCSeconds() !== s
  ) return undefined;
  return `${pad(y, 4)}-${pad(mo)}-${pad(d)}T${pad(h)}:${pad(mi)}:${pad(s)}`;
}

/** Epoch milliseconds of a device local time read in the workstation's zone. */
export function localToEpochMs(local: string): number {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?/.exec(local);
  if (!m) return Number.NaN;
  const [, y, mo, d, h, mi, s] = m;
  return new Date(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s ?? 0)).getTime();
}

/** An instant as `YYYY-MM-DDTHH:MM:SS(.mmm)±HH:MM` in the workstation's zone. */
export function toOffsetDateTime(epochMs: number, withMillis = false): string {
  const d = new Date(epochMs);
  const offsetMin = -d.getTimezoneOffset();
  const sign = offsetMin >= 0 ? '+' : '-';
  const base = `${pad(d.getFullYear(), 4)}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
  const ms = withMillis ? `.${pad(d.getMilliseconds(), 3)}` : '';
  return `${base}${ms}${sign}${pad(offsetMin / 60)}:${pad(offsetMin % 60)}`;
}

/** Epoch milliseconds of an offset date-time. */
export function offsetToEpochMs(value: string): number {
  return Date.parse(value);
}

/** `[start, end)` of the local calendar day holding `at`, as epoch ms (DST days are 23 or 25 hours). */
export function localDay(at: number): { start: number; end: number; day: string } {
  const d = new Date(at);
  const start = new Date(d.getFullYear(), d.getMonth(), d.getDate()).getTime();
  const end = new Date(d.getFullYear(), d.getMonth(), d.getDate() + 1).getTime();
  const day = `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
  return { start, end, day };
}
