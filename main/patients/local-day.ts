/**
 * The workstation's local day around `nowMs`, as UTC instants [from, to): what "today" means for
 * the schedule (a clinic's day starts at its own midnight, not UTC's). Instants in UTC, because
 * the visits cache compares start times as text (main/store/visits-repo.ts `between`).
 */
export function localDay(nowMs: number): { from: string; to: string; date: string } {
  const now = new Date(nowMs);
  const start = new Date(now.getFullYear(), now.getMonth(), now.getDate());
  const end = new Date(now.getFullYear(), now.getMonth(), now.getDate() + 1);
  const pad = (n: number): string => String(n).padStart(2, '0');
  return { from: start.toISOString(), to: end.toISOString(), date: `${start.getFullYear()}-${pad(start.getMonth() + 1)}-${pad(start.getDate())}` };
}

/** An ISO time from a source as a UTC instant (the cache's form), or undefined when it is not a time. */
export function utcInstant(text: string | undefined): string | undefined {
  if (text === undefined) return undefined;
  const ms = Date.parse(text);
  return Number.isNaN(ms) ? undefined : new Date(ms).toISOString();
}
