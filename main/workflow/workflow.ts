import type { MethodInput, MethodName } from '../../shared/api/contract.ts';
import type { LookupResult } from '../../shared/patients/patient-lookup.ts';
import type { MethodHandlers } from '../../shared/api/handlers.ts';
import type { Operator, Patient, ReviewItem } from '../../shared/api/model.ts';
import type { QcLock } from '../../shared/api/qc-model.ts';
import type { Reading } from '../../shared/reading.ts';
import type { ArrivalContext, SessionView } from './session-control.ts';
import type { SessionRef } from './work-sessions.ts';
import type { DeviceRole } from '../../shared/device-role.ts';

/**
 * The assistant's workflow on one workstation (docs/architecture.md §8): operators, patient context,
 * review (confirm / reject / manual entry), QC routing and the audit log, over the store. Every
 * state change is one store transaction together with its audit row. Expected failures throw a
 * HubError with a code from shared/errors.ts (AUTH_REQUIRED, AUTH_FAILED, FORBIDDEN, NOT_FOUND,
 * CONFLICT, PATIENT_REQUIRED, PENDING_DECISION_REQUIRED, INPUT_INVALID).
 *
 * This interface is the seam between main/workflow (the implementation) and main/api (the
 * handlers of the contract).
 */
/** The device a reading came from, as the review shows it. */
export interface ArrivalDevice {
  key: string;
  label: string;
  /** Where its results may go (docs/architecture.md §8, "Device roles"); absent: bedside. */
  role?: DeviceRole;
}

/**
 * The contract methods the workflow implements; main/api binds exactly these to it. Each takes
 * the method's input (and checks it again with the contract's schema) and answers its output.
 */
export const WORKFLOW_METHODS = [
  'signIn',
  'signOut',
  'unlock',
  'keepAlive',
  'selectPatient',
  'clearPatient',
  'listReview',
  'getHistory',
  'listQc',
  'assignReadings',
  'confirmReading',
  'confirmDevice',
  'rejectReading',
  'enterManual',
  'listAudit',
  'verifyAudit',
  // QC (docs/architecture.md §8 rule 11).
  'listQcLots',
  'saveQcLot',
  'retireQcLot',
  'evaluateQc',
  'listQcPolicies',
  'setQcPolicy',
  'listMemory',
  'importReadings',
  'acceptProposal',
] as const satisfies readonly MethodName[];

/** One of {@link WORKFLOW_METHODS}. */
export type WorkflowMethod = (typeof WORKFLOW_METHODS)[number];

export interface Workflow extends MethodHandlers<WorkflowMethod> {
  /**
   * Select a patient; `ehr` is what the patient sources said about the MRN (asked by main/api
   * before the call, as it is a network call), applied by the identification rules.
   */
  selectPatient(input: MethodInput<'selectPatient'>, ref?: SessionRef, ehr?: LookupResult): Patient;
  /** The operator signed in in a session (the hub's own session when none is given). */
  currentOperator(ref?: SessionRef): Operator | undefined;
  /** The patient selected in a session (none while it is locked). */
  currentPatient(ref?: SessionRef): Patient | undefined;
  /** A session as the header shows it: operator, patient, locked, the lock time. */
  session(ref?: SessionRef): SessionView;
  /**
   * The gate of every non-public method: the caller's operator, or undefined when nobody is
   * signed in there; `activity` postpones the lock. Throws HubError LOCKED on a locked session.
   */
  admit(ref: SessionRef, activity: boolean): Operator | undefined;
  /** Run one API call as its session's (audit rows written inside name that session's operator). */
  within<T>(ref: SessionRef, fn: () => T): T;
  /** Who a bedside reading arriving now belongs with (nobody when sessions disagree). */
  arrivalContext(): ArrivalContext;

  /**
   * A reading arrived from a device (already stored by ingest as `readingId`). Control/QC
   * readings go to the QC log; a patient reading follows its device's role (arrival-rules.ts):
   * bedside — to the selected patient only when measured after that patient was selected;
   * shared — unassigned (its sample id may propose a patient); memory — kept out of the review
   * list until imported. Returns the review item to show.
   */
  readingArrived(readingId: string, reading: Reading, device: ArrivalDevice): ReviewItem;

  /** The device's QC lock right now (failed or overdue QC), for the device list; undefined when unlocked. */
  qcLockOf(deviceKey: string, label: string): QcLock | undefined;

  /** One reading's review item (any state); undefined when it was never offered for review. */
  getReview(readingId: string, ref?: SessionRef): ReviewItem | undefined;
  /** Record an event that is not a review decision (configuration changes, device events). */
  audit(action: string, subject: string | undefined, details: Record<string, unknown>): void;

  onReviewChange(listener: (item: ReviewItem) => void): () => void;
  /** Called when the operator or patient changes (for the `state` event). */
  onContextChange(listener: () => void): () => void;
}
