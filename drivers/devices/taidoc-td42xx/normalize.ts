import type { Observation } from '../../../shared/observation.ts';
import type { ReadingKind } from '../../../shared/reading.ts';
import { GLUCOSE_FLAGS, glucoseObservation } from '../../families/glucose/observations.ts';
import type { RecordValue } from './decode.ts';

/** The measuring range the meters' manuals give (PROTOCOL.md §6, [INFERRED]): beyond it a value is HI/LO. */
export const HIGH_MG_DL = 600;
export const LOW_MG_DL = 20;

/**
 * A glucose record → kind, observation and flags (pure). mg/dL always: the display unit is
 * fixed at the factory and the meter sends mg/dL. Control solution is kind `control`, never a
 * patient result. Returns undefined for another measurement type: the notes give no unit or
 * scale for those, so nothing is guessed (the driver reports and skips them).
 */
export function normalizeRecord(record: Pick<RecordValue, 'value' | 'type' | 'meal' | 'control'>): { kind: ReadingKind; observations: Observation[]; flags: string[] } | undefined {
  if (record.type !== 0) return undefined;
  const flags: string[] = [];
  let observation: Observation;
  if (record.value > HIGH_MG_DL) {
    observation = glucoseObservation(HIGH_MG_DL, 'mg/dL', '>');
    flags.push(GLUCOSE_FLAGS.aboveRange);
  } else if (record.value < LOW_MG_DL) {
    observation = glucoseObservation(LOW_MG_DL, 'mg/dL', '<');
    flags.push(GLUCOSE_FLAGS.belowRange);
  } else {
    observation = glucoseObservation(record.value, 'mg/dL');
  }
  if (record.control) flags.push(GLUCOSE_FLAGS.control);
  if (record.meal === 'before') flags.push(GLUCOSE_FLAGS.beforeMeal);
  if (record.meal === 'after') flags.push(GLUCOSE_FLAGS.afterMeal);
  return { kind: record.control ? 'control' : 'patient', observations: [observation], flags };
}
