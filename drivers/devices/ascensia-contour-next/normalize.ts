import { printedDecimals, unmapped, type Observation } from '../../../shared/observation.ts';
import type { Reading, ReadingKind } from '../../../shared/reading.ts';
import { GLUCOSE_FLAGS, glucoseObservation, type GlucoseUnit, type RangeLimit } from '../../families/glucose/observations.ts';
import type { ContourHeader, ContourResult } from './decode.ts';

/**
 * Contour results → observations, flags, kind (pure). The unit is the one the record states;
 * nothing is converted. A HI/LO result is the meter's own bound with a comparator.
 */

/** PROTOCOL.md §5: documented bounds when the header states none in the result's unit (V = 10600). */
export const DEFAULT_BOUNDS: Readonly<Record<GlucoseUnit, { low: number; high: number }>> = {
  'mg/dL': { low: 10, high: 600 },
  'mmol/L': { low: 0.6, high: 33.3 },
};

/**
 * V on a meter set to mmol/L (U = 1) is [inferred]: it may still hold mg/dL (`10600`) or tenths
 * of mmol/L (`06333` = 0.6–33.3). No meter measures 40 mmol/L, so a high part of 400 or more
 * can only be mg/dL; below that it is read as tenths of mmol/L.
 */
const MMOL_RANGE_MGDL_FROM = 400;

/** PROTOCOL.md §5 markers that have a meaning of their own; any other token becomes `marker:<token>`. */
const MARKER_FLAGS: Readonly<Record<string, string>> = {
  C: GLUCOSE_FLAGS.control,
  B: GLUCOSE_FLAGS.beforeMeal,
  A: GLUCOSE_FLAGS.afterMeal,
  D: 'logbook',
};

/** PROTOCOL.md §5 reference method letters (Tidepool's table). */
const METHODS: Readonly<Record<string, string>> = { P: 'plasma', B: 'whole blood', C: 'capillary' };

/** The meter's range from V, in the unit it is stated in, or undefined when V is absent. */
export function headerRange(header: Pick<ContourHeader, 'range' | 'displayUnit'>): { unit: GlucoseUnit; low: number; high: number } | undefined {
  const { range } = header;
  if (!range) return undefined;
  if (header.displayUnit === 'mmol/L' && range.high < MMOL_RANGE_MGDL_FROM) {
    return { unit: 'mmol/L', low: range.low / 10, high: range.high / 10 };
  }
  return { unit: 'mg/dL', low: range.low, high: range.high };
}

/**
 * The bound of an out-of-range result, in the result's unit: V when V is in that unit; else the
 * number the record carries (the meter prints its bound there); else the documented bound.
 */
export function outOfRangeBound(limit: RangeLimit, unit: GlucoseUnit, header: Pick<ContourHeader, 'range' | 'displayUnit'>, value: number | undefined): number {
  const range = headerRange(header);
  if (range && range.unit === unit) return limit === '>' ? range.high : range.low;
  if (value !== undefined) return value;
  return limit === '>' ? DEFAULT_BOUNDS[unit].high : DEFAULT_BOUNDS[unit].low;
}

function glucoseUnit(text: string): GlucoseUnit | undefined {
  const t = text.trim().toLowerCase();
  return t === 'mg/dl' ? 'mg/dL' : t === 'mmol/l' ? 'mmol/L' : undefined;
}

interface ContourNormalizedResult {
  kind: ReadingKind;
  observations: Observation[];
  flags: string[];
  context?: Reading['context'];
}

/** One R record → what a reading carries. */
export function normalizeResult(result: ContourResult, header: Pick<ContourHeader, 'range' | 'displayUnit'>): ContourNormalizedResult {
  const flags: string[] = [];
  let limit: RangeLimit | undefined;
  let control = false;
  for (const marker of result.markers) {
    if (marker === '>' || marker === '<') {
      limit = marker;
      flags.push(marker === '>' ? GLUCOSE_FLAGS.aboveRange : GLUCOSE_FLAGS.belowRange);
      continue;
    }
    if (marker === 'C') control = true;
    flags.push(MARKER_FLAGS[marker] ?? `marker:${marker}`);
  }

  const label = result.test || 'Glucose';
  const text = `${result.valueText} ${result.unit}`.trim();
  const unit = glucoseUnit(result.unit);
  let observation: Observation;
  if (result.test.toLowerCase() !== 'glucose' || !unit) {
    observation = unmapped(label, text);
  } else if (limit) {
    observation = glucoseObservation(outOfRangeBound(limit, unit, header, result.value), unit, limit);
  } else if (result.value !== undefined) {
    // `5.0` mmol/L: the printed decimals go with the value (the number alone would say `5`).
    observation = glucoseObservation(result.value, unit, undefined, printedDecimals(result.valueText));
  } else {
    observation = unmapped(label, text, unit === 'mg/dL' ? 'glucoseMassMeter' : 'glucoseMolarMeter');
  }

  const out: ContourNormalizedResult = { kind: control ? 'control' : 'patient', observations: [observation], flags: [...new Set(flags)] };
  if (result.method) out.context = { method: METHODS[result.method] ?? result.method };
  return out;
}
