import { bloodPressurePanel, pulseRate } from '../../../shared/blood-pressure.ts';
import type { Observation } from '../../../shared/observation.ts';
import type { Reading } from '../../../shared/reading.ts';
import type { MeasurementRecord } from './decode.ts';

/** The reading flag for format 5's body-movement field (PROTOCOL.md §3). */
export const BODY_MOVEMENT_FLAG = 'body-movement';

export interface NormalizedMeasurement {
  readonly observations: Observation[];
  readonly flags: string[];
  readonly context?: NonNullable<Reading['context']>;
}

/**
 * A valid measurement as our observations (PROTOCOL.md §3): one BP panel (systolic, diastolic,
 * and mean when the 9020 line gives it) in mm[Hg], and the pulse with its source, the cuff
 * (`nibp`). The patient ID goes to the reading's context as the sample id — shown to the assistant
 * beside the selected patient, never used to pick one. Undefined for a record without values.
 */
export function normalizeMeasurement(record: MeasurementRecord): NormalizedMeasurement | undefined {
  const { systolic, diastolic, pulse, mean } = record;
  if (record.errorCode !== 0 || systolic === undefined || diastolic === undefined || pulse === undefined) return undefined;
  const panel = bloodPressurePanel({ systolic, diastolic, unit: 'mmHg', ...(mean !== undefined ? { mean } : {}) });
  const flags = record.bodyMovement ? [BODY_MOVEMENT_FLAG] : [];
  const normalized: NormalizedMeasurement = { observations: [panel, pulseRate(pulse, 'nibp')], flags };
  return record.patientId === '' ? normalized : { ...normalized, context: { sampleId: record.patientId } };
}

/**
 * A measurement error in plain words for the assistant. Omron's meaning of each code is not in
 * any public source we found (PROTOCOL.md §3), so the message says what is certain: no result,
 * which code, what to do.
 */
export function errorMessage(record: MeasurementRecord): string {
  const who = record.patientId === '' ? '' : ` for patient ID ${record.patientId}`;
  return (
    `The blood-pressure monitor could not finish the measurement at ${record.deviceTime.replace('T', ' ')}${who} ` +
    `(Omron error code ${record.errorCode}); no result was recorded. Check the cuff and the patient's position, then measure again.`
  );
}
