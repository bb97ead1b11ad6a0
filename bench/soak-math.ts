/** Pure arithmetic of the soak run (bench/soak.ts): kept apart so a unit test can check it. */

/** One sample of the hub, taken every `--sample-seconds`. */
export interface SoakSample {
  /** Minutes since the devices started sending. */
  minute: number;
  rssMb: number;
  heapUsedMb: number;
  /** Memory outside the JS heap that V8 knows of (Buffers, typed arrays). */
  externalMb: number;
  /** Event-loop delay of the interval that ended with this sample (perf_hooks monitorEventLoopDelay). */
  eventLoopP99Ms: number;
  eventLoopMaxMs: number;
  /** The store's files (database, WAL, shared memory) in MB. */
  storeMb: number;
  /** Readings that reached the event-socket client in the interval, per second. */
  readingsPerS: number;
  /** Readings received since the start. */
  readings: number;
}

/** A least-squares line: `slope` per x unit, and how well it fits (r², NaN for a flat series). */
export interface LineFit {
  slope: number;
  intercept: number;
  r2: number;
  points: number;
}

/** Ordinary least squares through (x, y) points; NaN slope for fewer than two distinct x. */
export function leastSquares(points: readonly (readonly [number, number])[]): LineFit {
  const n = points.length;
  const nan = { slope: Number.NaN, intercept: Number.NaN, r2: Number.NaN, points: n };
  if (n < 2) return nan;
  let sx = 0;
  let sy = 0;
  for (const [x, y] of points) {
    sx += x;
    sy += y;
  }
  const mx = sx / n;
  const my = sy / n;
  let sxx = 0;
  let sxy = 0;
  let syy = 0;
  for (const [x, y] of points) {
    sxx += (x - mx) ** 2;
    sxy += (x - mx) * (y - my);
    syy += (y - my) ** 2;
  }
  if (sxx === 0) return nan;
  const slope = sxy / sxx;
  return { slope, intercept: my - slope * mx, r2: syy === 0 ? Number.NaN : (sxy * sxy) / (sxx * syy), points: n };
}

/**
 * The slope of `field` in units per minute over the samples taken at or after `warmupMinutes`
 * (the caches, JIT and SQLite page cache fill during warm-up; after it a flat hub has slope ≈ 0).
 */
export function slopeAfterWarmup(samples: readonly SoakSample[], field: 'rssMb' | 'heapUsedMb' | 'storeMb', warmupMinutes: number): LineFit {
  return leastSquares(samples.filter((s) => s.minute >= warmupMinutes).map((s) => [s.minute, s[field]] as const));
}
