import { onBeat } from '../../families/oximetry/capture.ts';

/** The oximeter sends one line a second (PROTOCOL.md §2). */
export const LINE_PERIOD_MS = 1000;

/**
 * The time a line stands for, on the session clock (PROTOCOL.md §5): kept to the one-second
 * beat (a line within 400 ms of it is placed on it; one off the beat takes its arrival time).
 * Pure.
 */
export function lineTime(previous: number | undefined, arrival: number): number {
  return onBeat(previous, arrival, LINE_PERIOD_MS);
}
