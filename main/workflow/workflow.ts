import type { MethodInput, MethodOutput } from '../../shared/api/contract.ts';
import type { AuditEntry, Operator, Patient, ReviewItem } from '../../shared/api/model.ts';
import type { Reading } from '../../shared/reading.ts';

/**
 * The assistant's workflow on one workstation (DESIGN.md §4, §8): operators, patient context,
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
  fromMemory?: boolean;
}

export interface Workflow {
  currentOperator(): Operator | undefined;
  currentPatient(): Patient | undefined;

  signIn(input: MethodInput<'signIn'>): Operator;
  signOut(): void;
  selectPatient(input: MethodInput<'selectPatient'>): Patient;
  clearPatient(input: MethodInput<'clearPatient'>): void;

  /**
   * A reading arrived from a device (already stored by ingest as `readingId`). Control/QC
   * readings go to the QC log; a patient reading just measured is assigned to the current patient
   * when one is selected, otherwise it waits unassigned. `fromMemory`: the result comes from a
   * device's memory (a glucometer download) — such results may belong to several patients, so
   * they always wait unassigned. Returns the review item to show.
   */
  readingArrived(readingId: string, reading: Reading, device: ArrivalDevice): ReviewItem;

  listReview(): ReviewItem[];
  /** One reading's review item (any state); undefined when it was never offered for review. */
  getReview(readingId: string): ReviewItem | undefined;
  getHistory(mrn: string): ReviewItem[];
  listQc(): ReviewItem[];
  assignReadings(input: MethodInput<'assignReadings'>): ReviewItem[];
  confirmReading(input: MethodInput<'confirmReading'>): ReviewItem;
  confirmDevice(input: MethodInput<'confirmDevice'>): ReviewItem[];
  rejectReading(input: MethodInput<'rejectReading'>): ReviewItem;
  enterManual(input: MethodInput<'enterManual'>): ReviewItem;

  listAudit(limit?: number): AuditEntry[];
  verifyAudit(): MethodOutput<'verifyAudit'>;
  /** Record an event that is not a review decision (configuration changes, device events). */
  audit(action: string, subject: string | undefined, details: Record<string, unknown>): void;

  /** Called after every change of a review item (for the `review` event). */
  onReviewChange(listener: (item: ReviewItem) => void): () => void;
  /** Called when the operator or patient changes (for the `state` event). */
  onContextChange(listener: () => void): () => void;
}
