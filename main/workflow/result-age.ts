/**
 * Age of a result (docs/architecture.md §8): a result measured longer ago than the workstation's
 * limit (a meter's memory, a reading left waiting) shows its age, and confirming it needs an
 * explicit acknowledgement. Measured against the workflow's clock, never the page's.
 */

/** How old a result is, when older than the limit. */
export interface ResultAge {
  /** Whole minutes since the measurement. */
  minutes: number;
  /** In words: `15 days`, `3 hours`, `75 minutes`. */
  age: string;
}

/** `75 minutes`, `3 hours`, `15 days`: the largest unit that still reads naturally. */
export function describeAge(minutes: number): string {
  const plural = (n: number, unit: string): string => `${n} ${unit}${n === 1 ? '' : 's'}`;
  if (minutes < 120) return plural(minutes, 'minute');
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return plural(hours, 'hour');
  return plural(Math.floor(hours / 24), 'day');
}

/**
 * The age of a result measured at `effectiveTime`, or undefined when it is within `limitMinutes`
 * (or its time cannot be read: the row then shows its time as it is, and nothing is claimed).
 */
export function resultAge(effectiveTime: string, nowMs: number, limitMinutes: number): ResultAge | undefined {
  const at = Date.parse(effectiveTime);
  if (Number.isNaN(at)) return undefined;
  // Compared in milliseconds: 60 minutes and 30 seconds is past a 60-minute limit.
  if (nowMs - at <= limitMinutes * 60_000) return undefined;
  const minutes = Math.floor((nowMs - at) / 60_000);
  return { minutes, age: describeAge(minutes) };
}
