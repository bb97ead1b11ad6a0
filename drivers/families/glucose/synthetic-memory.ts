/** Minutes in an hour, for the spacing below. */
const HOUR_MIN = 60;

/** One result of a synthetic meter memory, before a model gives it its own record layout. */
export interface SyntheticResult {
  /** Minutes before the meter's clock at power-up: 4–8 h after the one before, newest first. */
  minutesAgo: number;
  /** 70–239 mg/dL. */
  value: number;
  /** 0 none, 1 every 5th from the 2nd (a before-meal or fasting marker), 2 every 7th from the 4th (after a meal). */
  meal: 0 | 1 | 2;
}

/**
 * `count` results newest first, the schedule the i-SENS, TaiDoc and SD CodeFree simulators share: deterministic,
 * so traces and tests can be checked; each simulator maps them to its stored record.
 */
export function syntheticResults(count: number): SyntheticResult[] {
  const results: SyntheticResult[] = [];
  let ago = 0;
  for (let i = 0; i < count; i++) {
    ago += 4 * HOUR_MIN + ((i * 53) % 240);
    results.push({ minutesAgo: ago, value: 70 + ((i * 37 + 11) % 170), meal: i % 5 === 1 ? 1 : i % 7 === 3 ? 2 : 0 });
  }
  return results;
}
