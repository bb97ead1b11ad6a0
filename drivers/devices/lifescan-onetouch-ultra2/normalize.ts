import { unmapped, type Observation } from '../../../shared/observation.ts';
import type { ReadingKind } from '../../../shared/reading.ts';
import { GLUCOSE_FLAGS, commentFlag, glucoseObservation } from '../../families/glucose/observations.ts';
import type { Ultra2DisplayUnit, UltraRecord } from './decode.ts';

/**
 * Measuring range of the Ultra 2 in mg/dL. Tidepool clamps below 20 and above 600 (PROTOCOL.md §6);
 * the meter's own HI/LO encoding is undocumented [inferred], so a number beyond these bounds is
 * read as HI/LO too.
 */
const RANGE_LOW_MG_DL = 20;
const RANGE_HIGH_MG_DL = 600;

/** PROTOCOL.md §6 field 7: comment codes, in LifeScan's order (glucometerutils took them from LifeScan). */
export const COMMENTS: Readonly<Record<string, string>> = {
  '01': 'not enough food',
  '02': 'too much food',
  '03': 'mild exercise',
  '04': 'hard exercise',
  '05': 'medication',
  '06': 'stress',
  '07': 'illness',
  '08': 'feel hypo',
  '09': 'menses',
  '10': 'vacation',
  '11': 'other',
};
const NO_COMMENT = '00';

/** PROTOCOL.md §6 field 6. */
const MEALS: Readonly<Record<string, string | undefined>> = { N: undefined, B: GLUCOSE_FLAGS.beforeMeal, A: GLUCOSE_FLAGS.afterMeal };

/** The meter marked the result with `?` (parity error): the value is kept, a person must see it. */
export const PARITY_FLAG = 'meter-error:parity';
/** The meter displays mmol/L; its values on the wire are still mg/dL (PROTOCOL.md §3), and so are ours. */
export const MMOL_DISPLAY_FLAG = 'display-unit:mmol/L';

interface Ultra2NormalizedRecord {
  kind: ReadingKind;
  observations: Observation[];
  flags: string[];
}

function resultObservation(record: UltraRecord, flags: string[]): Observation {
  const { value } = record;
  const high = (value.kind === 'word' && value.limit === 'HI') || (value.kind === 'number' && value.mgdl > RANGE_HIGH_MG_DL);
  const low = (value.kind === 'word' && value.limit === 'LO') || (value.kind === 'number' && value.mgdl < RANGE_LOW_MG_DL);
  if (high) {
    flags.push(GLUCOSE_FLAGS.aboveRange);
    return glucoseObservation(RANGE_HIGH_MG_DL, 'mg/dL', '>');
  }
  if (low) {
    flags.push(GLUCOSE_FLAGS.belowRange);
    return glucoseObservation(RANGE_LOW_MG_DL, 'mg/dL', '<');
  }
  if (value.kind === 'number') return glucoseObservation(value.mgdl, 'mg/dL');
  // A result we cannot read is kept as the meter printed it, under the glucose code.
  return unmapped('result', record.resultText, 'glucoseMassMeter');
}

/**
 * One dump record → a reading's kind, observations and flags. Values stay in mg/dL, the unit
 * the meter sends (41653-7); a meter set to display mmol/L only gets a flag saying so.
 */
export function normalizeRecord(record: UltraRecord, displayUnit: Ultra2DisplayUnit): Ultra2NormalizedRecord {
  const flags: string[] = [];
  if (record.control) flags.push(GLUCOSE_FLAGS.control);
  const observation = resultObservation(record, flags);
  const meal = MEALS[record.meal];
  if (meal) flags.push(meal);
  else if (!Object.hasOwn(MEALS, record.meal)) flags.push(`meal-marker:${record.meal || 'none'}`);
  if (record.comment !== NO_COMMENT) {
    const words = COMMENTS[record.comment];
    flags.push(commentFlag(words ?? `code ${record.comment || 'none'}`));
  }
  if (record.parityError) flags.push(PARITY_FLAG);
  if (displayUnit === 'mmol/L') flags.push(MMOL_DISPLAY_FLAG);
  return { kind: record.control ? 'control' : 'patient', observations: [observation], flags };
}
