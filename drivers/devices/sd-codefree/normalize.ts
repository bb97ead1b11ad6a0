import type { Observation } from '../../../shared/observation.ts';
import { GLUCOSE_FLAGS, glucoseObservation } from '../../families/glucose/observations.ts';
import type { CodeFreeRecord } from './decode.ts';

/**
 * A record → observation and flags (pure): the value as stored, in mg/dL, on 41653-7, with its
 * meal marker. No source knows a control-solution, HI or LO marker (PROTOCOL.md §4), so every
 * record is a patient result and no value is turned into a range limit.
 */
export function normalizeRecord(record: Pick<CodeFreeRecord, 'mgdl' | 'meal'>): { observations: Observation[]; flags: string[] } {
  const flags: string[] = [];
  if (record.meal === 'before') flags.push(GLUCOSE_FLAGS.beforeMeal);
  if (record.meal === 'after') flags.push(GLUCOSE_FLAGS.afterMeal);
  return { observations: [glucoseObservation(record.mgdl, 'mg/dL')], flags };
}
