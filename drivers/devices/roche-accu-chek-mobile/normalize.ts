import { unmapped, type Observation } from '../../../shared/observation.ts';
import type { ReadingKind } from '../../../shared/reading.ts';
import { GLUCOSE_FLAGS, commentFlag, glucoseObservation } from '../../families/glucose/observations.ts';
import type { MobileResult } from './decode.ts';

/** Flags of this driver beyond the glucose family's (docs/trace-format.md §2: plain words). */
export const MOBILE_FLAGS = {
  temperatureWarning: 'temperature-warning',
  outOfTarget: 'out-of-target-range',
} as const;

/**
 * A report row → observation, kind and flags (pure). The value keeps the unit and the decimals
 * the report prints (never converted); a value that is no number stays unmapped, as printed.
 */
export function normalizeMobile(r: MobileResult): { kind: ReadingKind; observations: Observation[]; flags: string[] } {
  const observation = r.value.kind === 'number' ? glucoseObservation(r.value.value, r.unit, undefined, r.value.decimals) : unmapped('glucose', `${r.value.text} ${r.unit}`, r.unit === 'mg/dL' ? 'glucoseMassMeter' : 'glucoseMolarMeter');
  const flags: string[] = [];
  if (r.control) flags.push(GLUCOSE_FLAGS.control);
  if (r.beforeMeal) flags.push(GLUCOSE_FLAGS.beforeMeal);
  if (r.afterMeal) flags.push(GLUCOSE_FLAGS.afterMeal);
  if (r.temperatureWarning) flags.push(MOBILE_FLAGS.temperatureWarning);
  if (r.outOfTarget) flags.push(MOBILE_FLAGS.outOfTarget);
  if (r.other) flags.push(commentFlag('other'));
  return { kind: r.control ? 'control' : 'patient', observations: [observation], flags };
}
