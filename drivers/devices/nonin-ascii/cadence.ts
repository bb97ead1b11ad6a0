/** The oximeter sends one line a second (PROTOCOL.md §2). */
export const LINE_PERIOD_MS = 1000;
/** How far a line may arrive from its expected second and still be taken as on time. */
const SNAP_MS = 400;

/**
 * The time a line stands for, on the session clock (PROTOCOL.md §5): a line that arrives within
 * 400 ms of one period after the previous line is placed exactly one period after it, so that
 * serial buffering, a busy host or a replay's delivery jitter never make ten seconds of lines
 * measure 9.99 s; a line off the beat (a gap, a restart) takes its arrival time. Pure.
 */
export function lineTime(previous: number | undefined, arrival: number): number {
  if (previous === undefined) return arrival;
  const expected = previous + LINE_PERIOD_MS;
  return Math.abs(arrival - expected) <= SNAP_MS ? expected : arrival;
}
