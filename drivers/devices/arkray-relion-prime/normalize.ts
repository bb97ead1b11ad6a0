import type { Observation } from '../../../shared/observation.ts';
import { GLUCOSE_FLAGS, glucoseObservation } from '../../families/glucose/observations.ts';
import { RECORD_FLAG, type PrimeRecord } from './decode.ts';

export const PRIME_FLAGS = {
  clockUnset: 'meter-clock-unset',
  timeInvalid: 'record-time-invalid',
} as const;

/**
 * The meter's measuring range in mg/dL. A HI or LO result says only that the glucose lay beyond
 * it; what number the meter stores beside the flag is not known (PROTOCOL.md §7), so the result
 * is the bound the meter displays ("HI" above 600, "LO" below 20), never the stored number.
 */
export const PRIME_RANGE_MGDL = { low: 20, high: 600 } as const;

/**
 * A record → one mg/dL glucose observation (the unit Tidepool hard-codes). HI/LO come from the
 * record's own flags (01 HI, 02 LO): `> 600` / `< 20`; control (04) is kept apart (PROTOCOL.md §4).
 */
export function normalizeRecord(record: PrimeRecord): { kind: 'patient' | 'control'; observations: Observation[]; flags: string[] } {
  const control = (record.flags & RECORD_FLAG.control) !== 0;
  const flags: string[] = control ? [GLUCOSE_FLAGS.control] : [];
  let observation: Observation;
  if (record.flags & RECORD_FLAG.high) {
    flags.push(GLUCOSE_FLAGS.aboveRange);
    observation = glucoseObservation(PRIME_RANGE_MGDL.high, 'mg/dL', '>');
  } else if (record.flags & RECORD_FLAG.low) {
    flags.push(GLUCOSE_FLAGS.belowRange);
    observation = glucoseObservation(PRIME_RANGE_MGDL.low, 'mg/dL', '<');
  } else observation = glucoseObservation(record.value, 'mg/dL');
  return { kind: control ? 'control' : 'patient', observations: [observation], flags };
}
