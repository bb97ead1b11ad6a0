import type { Observation } from '../../../shared/observation.ts';
import type { ReadingKind } from '../../../shared/reading.ts';
import { GLUCOSE_FLAGS, glucoseObservation, type GlucoseUnit } from '../../families/glucose/observations.ts';
import { GLUCOSE } from '../../families/ieee11073/index.ts';
import type { RocheEntry } from './decode.ts';
import { HIGH_MG_DL } from './models.ts';

/** MeasurementStatus bits of IEEE 11073-20601 (PROTOCOL.md §6). */
export const MEASUREMENT_STATUS = {
  invalid: 0x8000,
  questionable: 0x4000,
  notAvailable: 0x2000,
  calibrationOngoing: 0x1000,
  testData: 0x0800,
  demoData: 0x0400,
} as const;

/** Flag on a result the meter marked questionable (status bit 0x4000). */
export const QUESTIONABLE_FLAG = 'status:questionable';

export type NormalizeResult =
  | { ok: true; kind: ReadingKind; observations: Observation[]; flags: string[] }
  | { ok: false; message: string };

/**
 * A stored entry → a reading's kind, observations and flags (pure; PROTOCOL.md §6). The value
 * stays in the unit the configuration names (mg/dL unless it says mmol/L); +INF is HI (above
 * 600 mg/dL), −INF is LO (below the model's low bound). A control-solution metric or the
 * standard's test-data bit makes a control result [UNVERIFIED for Roche]. An invalid or
 * not-available entry carries no result.
 */
export function normalizeEntry(entry: RocheEntry, unit: GlucoseUnit, lowMgDl: number): NormalizeResult {
  if (entry.status & (MEASUREMENT_STATUS.invalid | MEASUREMENT_STATUS.notAvailable)) {
    return { ok: false, message: `entry ${entry.index} (${entry.deviceTime}) is marked ${entry.status & MEASUREMENT_STATUS.invalid ? 'invalid' : 'not available'} (status 0x${entry.status.toString(16).padStart(4, '0')})` };
  }
  const flags: string[] = [];
  const control = entry.metric === GLUCOSE.control || (entry.status & MEASUREMENT_STATUS.testData) !== 0;
  if (control) flags.push(GLUCOSE_FLAGS.control);
  if (entry.status & MEASUREMENT_STATUS.questionable) flags.push(QUESTIONABLE_FLAG);
  let observation: Observation;
  const v = entry.value;
  // The bounds are in mg/dL; a meter set to mmol/L states them in its own unit (÷ 18.016, one decimal).
  const bound = (mgdl: number): number => (unit === 'mg/dL' ? mgdl : Number((mgdl / 18.016).toFixed(1)));
  if (v.kind === '+inf') {
    observation = glucoseObservation(bound(HIGH_MG_DL), unit, '>');
    flags.push(GLUCOSE_FLAGS.aboveRange);
  } else if (v.kind === '-inf') {
    observation = glucoseObservation(bound(lowMgDl), unit, '<');
    flags.push(GLUCOSE_FLAGS.belowRange);
  } else if (v.kind === 'number') {
    observation = glucoseObservation(v.value, unit, undefined, v.decimals > 0 ? v.decimals : undefined);
  } else {
    return { ok: false, message: `entry ${entry.index} (${entry.deviceTime}) has no value (SFLOAT ${v.kind})` };
  }
  return { ok: true, kind: control ? 'control' : 'patient', observations: [observation], flags };
}

/** The unit a configuration's glucose unit code names; mg/dL when absent (PROTOCOL.md §6). */
export function glucoseUnit(unitCode: number | undefined): GlucoseUnit | undefined {
  if (unitCode === undefined || unitCode === GLUCOSE.mgPerDl) return 'mg/dL';
  if (unitCode === GLUCOSE.mmolPerL) return 'mmol/L';
  return undefined;
}
