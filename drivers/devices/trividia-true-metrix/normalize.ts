import type { Observation } from '../../../shared/observation.ts';
import { GLUCOSE_FLAGS, glucoseObservation } from '../../families/glucose/observations.ts';
import type { TrueMetrixRecord } from './decode.ts';

/** The meter's measuring range in mg/dL: HI above, LO below (PROTOCOL.md §4, user manual). */
export const TRUE_METRIX_HIGH_MG_DL = 600;
export const TRUE_METRIX_LOW_MG_DL = 20;

/** Flags of this driver beyond the glucose family's. */
export const TRUE_METRIX_FLAGS = {
  /** The meter clock read as no date and time: record times kept as stored, uncorrected. */
  clockUnset: 'meter-clock-unset',
  /** The record's date and time fields are no calendar time. */
  timeInvalid: 'record-time-invalid',
} as const;

export interface TrueMetrixNormalized {
  kind: 'patient' | 'control';
  observations: Observation[];
  flags: string[];
  /** The record as sent and what in it is not decoded (PROTOCOL.md §4), for `context.notes`. */
  note: string;
}

/**
 * A record → one mg/dL glucose observation. The protocol carries no HI/LO flag: a value above
 * 600 or below 20 (beyond what the meter shows) becomes `> 600` / `< 20` with HH/LL, as the meter
 * displays HI/LO (PROTOCOL.md §4). mg/dL is the only unit the record encodes; nothing is converted.
 */
export function normalizeRecord(record: TrueMetrixRecord): TrueMetrixNormalized {
  const flags: string[] = [];
  let observation: Observation;
  if (record.value > TRUE_METRIX_HIGH_MG_DL) {
    flags.push(GLUCOSE_FLAGS.aboveRange);
    observation = glucoseObservation(TRUE_METRIX_HIGH_MG_DL, 'mg/dL', '>');
  } else if (record.value < TRUE_METRIX_LOW_MG_DL) {
    flags.push(GLUCOSE_FLAGS.belowRange);
    observation = glucoseObservation(TRUE_METRIX_LOW_MG_DL, 'mg/dL', '<');
  } else observation = glucoseObservation(record.value, 'mg/dL');
  if (record.control) flags.unshift(GLUCOSE_FLAGS.control);
  const { char7HighBit, char10, tail } = record.opaque;
  const note = `TRUE Metrix record g5${record.body}; not decoded: character 7 high bit ${char7HighBit}, character 10 "${char10}", characters 12+ "${tail}"`;
  return { kind: record.control ? 'control' : 'patient', observations: [observation], flags, note };
}
