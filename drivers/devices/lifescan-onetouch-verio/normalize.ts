import type { Observation } from '../../../shared/observation.ts';
import type { ReadingKind } from '../../../shared/reading.ts';
import { GLUCOSE_FLAGS } from '../../families/glucose/observations.ts';
import { LIFESCAN_DISPLAY_MMOL_FLAG, lifescanGlucose } from '../../families/lifescan/glucose-range.ts';
import type { VerioDisplayUnit, VerioRecord } from './decode.ts';

/**
 * One record → kind, observation, flags (pure). mg/dL whatever the display shows; outside
 * 20..600 mg/dL a HI/LO code (the LifeScan family rule, [INFERRED], PROTOCOL.md §6); a
 * control-solution test is kind `control`, never a patient result.
 */
export function normalizeRecord(record: Pick<VerioRecord, 'mgdl' | 'control' | 'meal'>, displayUnit: VerioDisplayUnit | undefined): { kind: ReadingKind; observations: Observation[]; flags: string[] } {
  const { observation, flags } = lifescanGlucose(record.mgdl);
  if (record.control) flags.push(GLUCOSE_FLAGS.control);
  if (record.meal === 'before') flags.push(GLUCOSE_FLAGS.beforeMeal);
  if (record.meal === 'after') flags.push(GLUCOSE_FLAGS.afterMeal);
  if (displayUnit === 'mmol/L') flags.push(LIFESCAN_DISPLAY_MMOL_FLAG);
  return { kind: record.control ? 'control' : 'patient', observations: [observation], flags };
}
