import { unmapped, type Observation } from '../../../shared/observation.ts';
import type { ReadingKind } from '../../../shared/reading.ts';
import { GLUCOSE_FLAGS, glucoseObservation, ketoneObservation } from '../glucose/observations.ts';
import type { FreestyleRecord } from './dump.ts';

/**
 * A FreeStyle record → a reading's kind, observations and flags (PROTOCOL.md §4–§5). Glucose
 * values are mg/dL as sent; `HI`/`LO` are beyond the 20–500 mg/dL range Tidepool cites for every
 * FreeStyle meter [inferred]. β-ketone (Optium `K`) is raw units ≈ mmol/L × 18 [inferred], shown
 * with one decimal; its `HI` means above 8.0 mmol/L.
 */
export const GLUCOSE_RANGE_MG_DL = { low: 20, high: 500 } as const;
export const KETONE_HIGH_MMOL_L = 8;
/** Raw ketone units per mmol/L (display 0.2 mmol/L ↔ raw 003 in the notes' reading) [inferred]. */
export const KETONE_RAW_PER_MMOL = 18;

/** Status bit 1: the meter lost its time before this test (Tidepool's comment) [inferred]. */
export const LOST_TIME_FLAG = 'meter-clock-lost';
/** The meter displays mmol/L; its glucose values on the wire are still mg/dL. */
export const MMOL_DISPLAY_FLAG = 'display-unit:mmol/L';

const CONTROL_BIT = 0x01;
const LOST_TIME_BIT = 0x02;

export interface FreestyleNormalized {
  kind: ReadingKind;
  observations: Observation[];
  flags: string[];
  /** Something a person should know that is not a flag (an unknown status bit or type). */
  oddity?: string;
}

function glucose(record: FreestyleRecord, flags: string[]): Observation {
  const { value } = record;
  if (value.kind === 'limit') {
    flags.push(value.limit === 'HI' ? GLUCOSE_FLAGS.aboveRange : GLUCOSE_FLAGS.belowRange);
    return value.limit === 'HI' ? glucoseObservation(GLUCOSE_RANGE_MG_DL.high, 'mg/dL', '>') : glucoseObservation(GLUCOSE_RANGE_MG_DL.low, 'mg/dL', '<');
  }
  return glucoseObservation(value.raw, 'mg/dL');
}

function ketone(record: FreestyleRecord, flags: string[]): Observation {
  const { value } = record;
  if (value.kind === 'limit') {
    if (value.limit === 'HI') {
      flags.push(GLUCOSE_FLAGS.aboveRange);
      return ketoneObservation(KETONE_HIGH_MMOL_L, '>', 1);
    }
    // No source says what a ketone LO means: kept as the meter printed it.
    return unmapped('ketone', 'LO', 'bloodKetoneMeter');
  }
  return ketoneObservation(Math.round((value.raw / KETONE_RAW_PER_MMOL) * 10) / 10, undefined, 1);
}

/** `type`: how the record's type field reads ('00' Lite; 'G'/'K' Optium). */
export function normalizeRecord(record: FreestyleRecord, displayMmol = false): FreestyleNormalized {
  const flags: string[] = [];
  const control = (record.status & CONTROL_BIT) !== 0;
  if (control) flags.push(GLUCOSE_FLAGS.control);
  if (record.status & LOST_TIME_BIT) flags.push(LOST_TIME_FLAG);
  const unknownBits = record.status & ~(CONTROL_BIT | LOST_TIME_BIT);
  let oddity = unknownBits ? `status byte 0x${record.status.toString(16).padStart(2, '0')} has bits no source explains` : undefined;
  let observation: Observation;
  if (record.type === 'K') observation = ketone(record, flags);
  else {
    if (record.type !== 'G' && record.type !== '00') oddity = `record type "${record.type}" is not documented; read as glucose`;
    observation = glucose(record, flags);
    if (displayMmol) flags.push(MMOL_DISPLAY_FLAG);
  }
  return { kind: control ? 'control' : 'patient', observations: [observation], flags, ...(oddity ? { oddity } : {}) };
}
