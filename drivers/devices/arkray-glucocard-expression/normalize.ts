import { type Observation, unmapped } from '../../../shared/observation.ts';
import { GLUCOSE_FLAGS, glucoseObservation } from '../../families/glucose/observations.ts';
import type { ExpressionRecord } from './decode.ts';

/** HI and LO as stored (PROTOCOL.md §4: HI ≥ 600, LO ≤ 20 mg/dL, "according to spec" per Tidepool). */
export const EXPRESSION_HIGH_MG_DL = 600;
export const EXPRESSION_LOW_MG_DL = 20;

export const EXPRESSION_FLAGS = {
  clockUnset: 'meter-clock-unset',
  timeInvalid: 'record-time-invalid',
} as const;

/**
 * A record → observation, kind and flags. mg/dL records map to 41653-7, HI/LO as `> 600` /
 * `< 20`. A record of a meter set to mmol/L keeps its raw number unmapped: the value's scale for
 * such meters is not known (PROTOCOL.md §4), so it is never guessed or converted.
 */
export function normalizeRecord(record: ExpressionRecord): { kind: 'patient' | 'control'; observations: Observation[]; flags: string[] } {
  const flags: string[] = record.control ? [GLUCOSE_FLAGS.control] : [];
  let observation: Observation;
  if (record.unit === 'mmol/L') observation = unmapped('glucose (meter set to mmol/L)', `raw value ${record.value}`, 'glucoseMolarMeter');
  else if (record.value >= EXPRESSION_HIGH_MG_DL) {
    flags.push(GLUCOSE_FLAGS.aboveRange);
    observation = glucoseObservation(EXPRESSION_HIGH_MG_DL, 'mg/dL', '>');
  } else if (record.value <= EXPRESSION_LOW_MG_DL) {
    flags.push(GLUCOSE_FLAGS.belowRange);
    observation = glucoseObservation(EXPRESSION_LOW_MG_DL, 'mg/dL', '<');
  } else observation = glucoseObservation(record.value, 'mg/dL');
  return { kind: record.control ? 'control' : 'patient', observations: [observation], flags };
}
