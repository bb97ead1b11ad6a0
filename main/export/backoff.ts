/**
 * Exponential back-off with jitter: the n-th failure in a row (n ≥ 1) waits base·2^(n−1),
 * capped at max, then scaled by a random factor in [0.5, 1). The jitter keeps a room full of
 * workstations from hammering an EHR that just came back, all in the same second.
 */
export function backoffMs(failures: number, retry: { baseMs: number; maxMs: number }, random: () => number = Math.random): number {
  const exp = Math.min(retry.maxMs, retry.baseMs * 2 ** Math.max(0, Math.min(failures - 1, 40)));
  return Math.round(exp * (0.5 + 0.5 * random()));
}
