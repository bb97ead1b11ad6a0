import { bloodPressurePanel, pulseRate } from '../../../shared/blood-pressure.ts';
import type { Observation } from '../../../shared/observation.ts';
import type { StoredMeasurement } from './decode.ts';

/** Reading flags this driver sets (PROTOCOL.md §5). */
export const HEM_FLAGS = {
  irregularHeartbeat: 'irregular-heartbeat',
  bodyMovement: 'body-movement',
  /** The stored date is no date: the reading keeps no device time. */
  timeInvalid: 'device-time-invalid',
} as const;

export interface NormalizedMeasurement {
  observations: Observation[];
  flags: string[];
}

/** A stored measurement as one BP panel (systolic, diastolic, mm[Hg]) and the pulse, source the cuff. */
export function normalizeMeasurement(record: StoredMeasurement): NormalizedMeasurement {
  const flags: string[] = [];
  if (record.irregularHeartbeat) flags.push(HEM_FLAGS.irregularHeartbeat);
  if (record.bodyMovement) flags.push(HEM_FLAGS.bodyMovement);
  if (record.deviceTime === undefined) flags.push(HEM_FLAGS.timeInvalid);
  return {
    observations: [bloodPressurePanel({ systolic: record.systolic, diastolic: record.diastolic, unit: 'mmHg' }), pulseRate(record.pulse, 'nibp')],
    flags,
  };
}
