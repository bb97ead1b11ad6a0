import type { Observation } from '../../../shared/observation.ts';
import { unmapped } from '../../../shared/observation.ts';
import type { ReadingKind } from '../../../shared/reading.ts';
import { GLUCOSE_FLAGS, commentFlag, glucoseObservation, ketoneObservation } from '../../families/glucose/observations.ts';
import { LIBRE_READING_TYPE, LIBRE_TRENDS, type LibreRecord, type MeterValue, type NeoRecord } from './decode.ts';

/**
 * Meter records → observations and flags (pure). Glucose stays in mg/dL, the unit the records
 * carry whatever the meter displays (PROTOCOL.md §5, §6); β-ketone is raw/18 mmol/L.
 */

/**
 * Neo glucose range: HI above 500, LO below 20 mg/dL. PROTOCOL.md §5 [source]: a comment in
 * Tidepool's Neo driver (its shared constants file has 500/40, the Libre's values).
 */
export const NEO_GLUCOSE_HIGH_MG_DL = 500;
/** LO: below this, in mg/dL (same source). */
export const NEO_GLUCOSE_LOW_MG_DL = 20;
/** Ketone HI means above 8.0 mmol/L (PROTOCOL.md §5). */
export const KETONE_HIGH_MMOL_L = 8.0;
/** The meters send β-ketone as raw = mmol/L × 18 (PROTOCOL.md §5, §6). */
const KETONE_RAW_PER_MMOL_L = 18;

/** Flags of this driver, beyond the family's (docs/trace-format.md §2: plain words). */
export const FREESTYLE_FLAGS = {
  /** A Libre sensor scan: interstitial glucose from a CGM sensor, not capillary blood. */
  sensorScan: 'sensor-scan',
  /** The meter displays mmol/L; the record still carries mg/dL, kept as sent. */
  displaysMmol: 'meter-display:mmol/L',
  /** The meter's clock was lost (`255,255,255`): times are not corrected by it. */
  clockUnset: 'meter-clock-unset',
  /** The record's own date and time are no real time. */
  timeInvalid: 'time-invalid',
} as const;

/** What a measurement record becomes, before the driver adds identity, time and raw frames. */
export interface FreestyleNeoNormalizedRecord {
  kind: ReadingKind;
  observations: Observation[];
  flags: string[];
}

/** mmol/L from the raw ketone value, rounded to 0.1 as the meter shows it (no ties: raw is whole). */
export function ketoneMmolPerL(raw: number): number {
  return Math.round((raw * 10) / KETONE_RAW_PER_MMOL_L) / 10;
}

/** The meter shows β-ketone with one decimal (`1.0 mmol/L`): the value keeps that precision in every output. */
const KETONE_SHOWN_DECIMALS = 1;

function neoGlucose(value: MeterValue, flags: string[]): Observation {
  switch (value.kind) {
    case 'number':
      return glucoseObservation(value.value, 'mg/dL');
    case 'high':
      flags.push(GLUCOSE_FLAGS.aboveRange);
      return glucoseObservation(NEO_GLUCOSE_HIGH_MG_DL, 'mg/dL', '>');
    case 'low':
      flags.push(GLUCOSE_FLAGS.belowRange);
      return glucoseObservation(NEO_GLUCOSE_LOW_MG_DL, 'mg/dL', '<');
    case 'text':
      return unmapped('glucose', value.text, 'glucoseMassMeter');
  }
}

function neoKetone(value: MeterValue, flags: string[]): Observation {
  switch (value.kind) {
    case 'number':
      return ketoneObservation(ketoneMmolPerL(value.value), undefined, KETONE_SHOWN_DECIMALS);
    case 'high':
      flags.push(GLUCOSE_FLAGS.aboveRange);
      return ketoneObservation(KETONE_HIGH_MMOL_L, '>', KETONE_SHOWN_DECIMALS);
    case 'low':
      // No documented LO bound for ketone strips: keep what the meter printed.
      return unmapped('β-ketone', 'LO', 'bloodKetoneMeter');
    case 'text':
      return unmapped('β-ketone', value.text, 'bloodKetoneMeter');
  }
}

/** A Neo glucose or ketone record; control solution → kind `control` (docs/architecture.md §8 rule 4). */
export function normalizeNeo(record: Extract<NeoRecord, { kind: 'glucose' | 'ketone' }>, meterUnit?: 'mg/dL' | 'mmol/L'): FreestyleNeoNormalizedRecord {
  const flags: string[] = [];
  const observation = record.kind === 'glucose' ? neoGlucose(record.value, flags) : neoKetone(record.value, flags);
  if (record.kind === 'glucose' && meterUnit === 'mmol/L') flags.push(FREESTYLE_FLAGS.displaysMmol);
  if (record.control) flags.unshift(GLUCOSE_FLAGS.control);
  return { kind: record.control ? 'control' : 'patient', observations: [observation], flags };
}

/**
 * A Libre user reading (`$arresult?` type 2). A sensor scan is interstitial glucose with no
 * catalog code: kept unmapped and flagged, never filed as capillary glucose.
 */
export function normalizeLibre(record: Extract<LibreRecord, { kind: 'reading' }>, meterUnit?: 'mg/dL' | 'mmol/L'): FreestyleNeoNormalizedRecord {
  const flags: string[] = [];
  let observation: Observation;
  if (record.readingType === LIBRE_READING_TYPE.stripGlucose) {
    observation = glucoseObservation(record.value, 'mg/dL');
  } else if (record.readingType === LIBRE_READING_TYPE.stripKetone) {
    observation = ketoneObservation(ketoneMmolPerL(record.value), undefined, KETONE_SHOWN_DECIMALS);
  } else if (record.readingType === LIBRE_READING_TYPE.sensorScan) {
    observation = unmapped('sensor glucose', `${record.value} mg/dL`);
    flags.push(FREESTYLE_FLAGS.sensorScan);
    const trend = LIBRE_TRENDS[record.trend];
    if (trend !== undefined && trend !== 'none') flags.push(`trend:${trend}`);
  } else {
    observation = unmapped(`Libre reading type ${record.readingType}`, String(record.value));
  }
  if (record.readingType !== LIBRE_READING_TYPE.stripKetone && meterUnit === 'mmol/L') flags.push(FREESTYLE_FLAGS.displaysMmol);
  if (record.sport) flags.push(commentFlag('exercise'));
  if (record.medication) flags.push(commentFlag('medication'));
  if (record.food) flags.push(commentFlag('food'));
  if (record.rapidInsulin) flags.push(commentFlag('rapid-acting insulin'));
  if (record.longInsulin) flags.push(commentFlag('long-acting insulin'));
  for (const text of record.comments) flags.push(commentFlag(text));
  return { kind: 'patient', observations: [observation], flags };
}
