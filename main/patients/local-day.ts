import { localDay as calendarDay } from '../../shared/time.ts';

/**
 * The workstation's local day around `nowMs`, as UTC instants [from, to): what "today" means for
 * the schedule (a clinic's day starts at its own midnight, not UTC's). Instants in UTC, because
 * the visits cache compares start times as text (main/store/visits-repo.ts `between`).
 */
export function localDay(nowMs: number): { from: string; to: string; date: string } {
  const { start, end, day } = calendarDay(nowMs);
  return { from: new Date(start).toISOString(), to: new Date(end).toISOString(), date: day };
}

/** An ISO time from a source as a UTC instant (the cache's form), or undefined when it is not a time. */
export function utcInstant(text: string | undefined): string | undefined {
  if (text === undefined) return undefined;
  const ms = Date.parse(text);
  return Number.isNaN(ms) ? undefined : new Date(ms).toISOString();
}
