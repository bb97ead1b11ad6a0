import type { Patient } from '../../shared/api/model.ts';
import type { DeviceRole } from '../../shared/device-role.ts';
import type { Reading } from '../../shared/reading.ts';

/**
 * Where a result may go when it arrives, by its device's role (docs/architecture.md §8, "Device
 * roles"). Pure functions over one patient context, so the same rules serve whichever context
 * (workstation or browser session) the caller holds.
 */

/** The patient context a result arrives into: who is selected, and since when (epoch ms). */
export interface ArrivalContext {
  patient?: Patient;
  selectedAt?: number;
}

/** What arrival does with a patient result. */
export type Arrival =
  /** Proposed for (assigned to) the selected patient; still to be confirmed. */
  | { kind: 'assign'; patient: Patient }
  /** Waits unassigned in the review list. */
  | { kind: 'unassigned' }
  /** Kept out of the review list until an assistant imports it. */
  | { kind: 'memory' };

/**
 * When the measurement was made (epoch ms): the reading's effective time (the device's clock,
 * corrected where the driver knows the skew), or the received time when that is unusable. Never
 * later than the received time: a device clock running ahead must not make an old measurement
 * look as if it followed the patient's selection.
 */
export function measuredAt(reading: Pick<Reading, 'effectiveTime' | 'receivedAt'>): number {
  const received = Date.parse(reading.receivedAt);
  const effective = Date.parse(reading.effectiveTime);
  if (!Number.isFinite(effective)) return received;
  return Number.isFinite(received) ? Math.min(effective, received) : effective;
}

/**
 * The rule itself. A bedside result goes to the selected patient only when it was measured at or
 * after the moment that patient was selected: a value measured before belongs to whoever was on
 * the cart then. A shared device's result is never assigned on arrival (its sample id may propose
 * a patient, see {@link proposedMrn}); a memory download waits for an import.
 */
export function proposalFor(role: DeviceRole, measuredAtMs: number, context: ArrivalContext): Arrival {
  if (role === 'memory') return { kind: 'memory' };
  if (role === 'shared') return { kind: 'unassigned' };
  const { patient, selectedAt } = context;
  if (patient === undefined || selectedAt === undefined) return { kind: 'unassigned' };
  return measuredAtMs >= selectedAt ? { kind: 'assign', patient } : { kind: 'unassigned' };
}

/**
 * The MRN a shared device's result names: its sample id (the Clinitek's sample/patient id field),
 * trimmed. Undefined when the device gave none or the result is not from a shared device.
 */
export function proposedMrn(role: DeviceRole | undefined, reading: Pick<Reading, 'context'>): string | undefined {
  if (role !== 'shared') return undefined;
  const id = reading.context?.sampleId?.trim();
  return id === undefined || id === '' ? undefined : id;
}
