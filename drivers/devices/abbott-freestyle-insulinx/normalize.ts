import { unmapped, type Observation } from '../../../shared/observation.ts';
import { glucoseObservation } from '../../families/glucose/observations.ts';
import type { InsulinxRecord } from './decode.ts';

/**
 * An InsuLinx glucose record → its observation (pure). The unit is assumed mg/dL [unverified,
 * PROTOCOL.md §3]; HI/LO and control markers are not known, so nothing is guessed: a value that is
 * no number is kept as printed, unmapped, and every result is a patient result.
 */
export function normalizeInsulinx(record: Extract<InsulinxRecord, { kind: 'glucose' }>): { observations: Observation[]; flags: string[] } {
  const observation = record.value.kind === 'number' ? glucoseObservation(record.value.value, 'mg/dL') : unmapped('glucose', record.value.text, 'glucoseMassMeter');
  return { observations: [observation], flags: [] };
}
