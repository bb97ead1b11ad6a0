import { describe, expect, it } from 'vitest';
import { leastSquares, slopeAfterWarmup, type SoakSample } from './soak-math.ts';

const sample = (minute: number, rssMb: number): SoakSample => ({ minute, rssMb, heapUsedMb: 10, externalMb: 1, eventLoopP99Ms: 1, eventLoopMaxMs: 2, storeMb: minute, readingsPerS: 5, readings: minute * 300 });

describe('soak arithmetic', () => {
  it('fits a straight line exactly', () => {
    const fit = leastSquares([
      [0, 1],
      [1, 3],
      [2, 5],
      [3, 7],
    ]);
    expect(fit.slope).toBeCloseTo(2, 12);
    expect(fit.intercept).toBeCloseTo(1, 12);
    expect(fit.r2).toBeCloseTo(1, 12);
  });

  it('gives slope 0 for a flat series, and NaN when there is too little to fit', () => {
    expect(leastSquares([[0, 5], [1, 5], [2, 5]]).slope).toBe(0);
    expect(leastSquares([[0, 5]]).slope).toBeNaN();
    expect(leastSquares([[1, 5], [1, 6]]).slope).toBeNaN();
  });

  it('leaves the warm-up out: a hub that grows while warming up and then stays flat has slope 0', () => {
    const samples = [sample(0, 50), sample(1, 80), sample(2, 100), sample(3, 100), sample(4, 100), sample(5, 100)];
    expect(slopeAfterWarmup(samples, 'rssMb', 2).slope).toBe(0);
    expect(slopeAfterWarmup(samples, 'rssMb', 0).slope).toBeGreaterThan(5);
  });

  it('reports a leak after warm-up as MB per minute', () => {
    const samples = [0, 1, 2, 3, 4, 5, 6].map((m) => sample(m, 100 + 0.5 * m + (m % 2 === 0 ? 0.1 : -0.1)));
    expect(slopeAfterWarmup(samples, 'rssMb', 1).slope).toBeCloseTo(0.5, 1);
  });
});
