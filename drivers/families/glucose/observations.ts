import { observe, quantity, type Interpretation, type Observation } from '../../../shared/observation.ts';

/**
 * What every glucometer driver makes of its results, so all meters map them the same way:
 * the code follows the unit the meter reports (mg/dL → 41653-7, mmol/L → 14743-9), nothing is
 * converted, and a result beyond the meter's range (HI/LO) is a quantity with a comparator at
 * the meter's own bound and interpretation HH/LL.
 */
export type GlucoseUnit = 'mg/dL' | 'mmol/L';

/** Beyond the meter's measuring range: `>` above the high bound (HI), `<` below the low one (LO). */
export type RangeLimit = '>' | '<';

const LIMIT_INTERPRETATION: Record<RangeLimit, Interpretation> = { '>': 'HH', '<': 'LL' };

/**
 * A capillary glucose result, in the unit the meter reported. `decimals`: the digits the meter
 * printed after the point (`5.0` mmol/L → 1), so outputs keep them.
 */
export function glucoseObservation(value: number, unit: GlucoseUnit, limit?: RangeLimit, decimals?: number): Observation {
  const key = unit === 'mg/dL' ? 'glucoseMassMeter' : 'glucoseMolarMeter';
  if (!limit) return observe(key, quantity(value, unit, undefined, decimals));
  return observe(key, quantity(value, unit, limit, decimals), { interpretation: LIMIT_INTERPRETATION[limit] });
}

/** A blood β-ketone (β-hydroxybutyrate) result; meters report it in mmol/L (`decimals` as above). */
export function ketoneObservation(mmolPerL: number, limit?: RangeLimit, decimals?: number): Observation {
  if (!limit) return observe('bloodKetoneMeter', quantity(mmolPerL, 'mmol/L', undefined, decimals));
  return observe('bloodKetoneMeter', quantity(mmolPerL, 'mmol/L', limit, decimals), { interpretation: LIMIT_INTERPRETATION[limit] });
}

/** Flags every glucometer uses, in plain words (docs/trace-format.md §2). */
export const GLUCOSE_FLAGS = {
  control: 'control-solution',
  beforeMeal: 'meal:before',
  afterMeal: 'meal:after',
  fasting: 'meal:fasting',
  aboveRange: 'out-of-range:high',
  belowRange: 'out-of-range:low',
} as const;

/** A meter comment (exercise, illness, …) as a flag: `comment:<words>`. */
export function commentFlag(words: string): string {
  return `comment:${words.trim().toLowerCase().replace(/\s+/g, '-')}`;
}

/** Workstation minus meter clock, in ms, from the meter's local time read at session start. */
export function meterClockSkewMs(meterLocalMs: number, workstationMs: number): number {
  return workstationMs - meterLocalMs;
}
