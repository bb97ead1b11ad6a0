import type { Range } from '../../shared/clinical-limits.ts';

/** A value axis: its bounds and the tick values between them. */
export interface Axis {
  readonly min: number;
  readonly max: number;
  readonly ticks: readonly number[];
}

/**
 * A value as drawn: inside the hard limits as it is; outside them (an impossible value, e.g. a
 * 40-digit number typed by hand) at the nearest limit, and marked so the chart says so.
 */
export function clipToHard(value: number, hard: Range | undefined): { shown: number; clipped: boolean } {
  if (hard?.low !== undefined && !(value >= hard.low)) return { shown: hard.low, clipped: true };
  if (hard?.high !== undefined && !(value <= hard.high)) return { shown: hard.high, clipped: true };
  return { shown: value, clipped: false };
}

/** 1, 2, 2.5 or 5 times a power of ten, at least `rough`: steps people read easily. */
function niceStep(rough: number): number {
  const power = 10 ** Math.floor(Math.log10(rough));
  const f = rough / power;
  const nice = f <= 1 ? 1 : f <= 2 ? 2 : f <= 2.5 ? 2.5 : f <= 5 ? 5 : 10;
  return nice * power;
}

/** Drops floating-point noise (0.30000000000000004) from a tick value. */
const clean = (n: number): number => Number(n.toPrecision(12));

/**
 * The value axis of a trend: from the values (already clipped to hard limits) and the reference
 * bands, so the band is always in view; a tenth of the span as padding; a single value (or
 * several equal ones) gets a range around it, never a zero-width one; bounds rounded to easy
 * steps, and never beyond the hard limits, so an impossible value cannot stretch the axis.
 */
export function trendAxis(values: readonly number[], bands: readonly Range[], hard: Range | undefined): Axis {
  const known = [...values, ...bands.flatMap((b) => [b.low, b.high].filter((v): v is number => v !== undefined))].filter(Number.isFinite);
  if (known.length === 0) return { min: 0, max: 1, ticks: [0, 0.5, 1] };
  let lo = Math.min(...known);
  let hi = Math.max(...known);
  const span = hi - lo;
  const pad = span > 0 ? span * 0.1 : Math.abs(lo) > 0 ? Math.abs(lo) * 0.05 : 1;
  lo -= pad;
  hi += pad;
  const step = niceStep((hi - lo) / 4);
  let min = clean(Math.floor(lo / step) * step);
  let max = clean(Math.ceil(hi / step) * step);
  if (hard?.low !== undefined && min < hard.low) min = hard.low;
  if (hard?.high !== undefined && max > hard.high) max = hard.high;
  const ticks: number[] = [];
  for (let t = Math.ceil(min / step) * step; t <= max + step * 1e-9; t += step) ticks.push(clean(t));
  return { min, max, ticks };
}
