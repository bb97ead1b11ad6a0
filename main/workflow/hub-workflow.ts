import { z } from 'zod';
import { METHODS, type MethodInput, type MethodName, type MethodOutput } from '../../shared/api/contract.ts';
import type { AuditEntry, Operator, Patient, ReviewItem } from '../../shared/api/model.ts';
import { HubError } from '../../shared/errors.ts';
import { issueSentence } from '../../shared/api/issue-words.ts';
import type { Reading } from '../../shared/reading.ts';
import type { HubDatabase } from '../store/hub-database.ts';
import { AuditLog } from './audit-log.ts';
import { OperatorDirectory } from './operators.ts';
import { identify, toPatient, type Identification } from './patient-identity.ts';
import type { PatientRecord } from '../store/patients-repo.ts';
import { ReviewActions } from './review-actions.ts';
import type { ReviewRecord } from '../store/reviews-repo.ts';
import { describePatient, toReviewItem } from './review-items.ts';
import { bugLine } from '../bug-report.ts';
import type { ArrivalDevice, Workflow } from './workflow.ts';

/** History and QC lists return at most this many items, newest first. */
const HISTORY_LIMIT = 1000;

/**
 * The repositories the workflow works on, and the transaction that groups a change with its audit
 * row. The composition root hands them in; the workflow never opens the store itself.
 */
type WorkflowRepos = Pick<HubDatabase, 'readings' | 'operators' | 'patients' | 'reviews' | 'audit' | 'targets' | 'outbox' | 'transaction' | 'snapshot'>;

const DeviceSchema = z.object({ key: z.string().min(1), label: z.string().min(1), fromMemory: z.boolean().optional() });

/**
 * The workflow of one workstation over the store (see {@link Workflow}). Holds the context — who
 * is signed in, which patient is selected — in memory: a restart signs everyone out, and the
 * pending readings wait in the store. Every change is one transaction with its audit row, and
 * listeners hear of it only after it committed.
 */
export class HubWorkflow implements Workflow {
  readonly auditLog: AuditLog;
  /** The operator list: `pochub operators add` and demo mode add operators through it. */
  readonly operators: OperatorDirectory;
  private readonly reviews: ReviewActions;
  private operator: Operator | undefined;
  private patient: Patient | undefined;
  private readonly reviewListeners = new Set<(item: ReviewItem) => void>();
  private readonly contextListeners = new Set<() => void>();

  /**
   * @param tables the repositories of an open store (see {@link WorkflowRepos}).
   * @param workstation this workstation's name, written in every audit row.
   * @param now the clock (epoch ms); tests pass a fake one.
   */
  constructor(
    private readonly tables: WorkflowRepos,
    readonly workstation: string,
    private readonly now: () => number = Date.now,
  ) {
    this.auditLog = new AuditLog(this.tables, workstation, now);
    this.operators = new OperatorDirectory(this.tables, this.auditLog, now);
    this.reviews = new ReviewActions(this.tables, this.auditLog, now);
  }

  currentOperator(): Operator | undefined {
    return this.operator;
  }

  currentPatient(): Patient | undefined {
    return this.patient;
  }

  signIn(input: MethodInput<'signIn'>): Operator {
    const { badgeId, pin } = parse('signIn', input);
    const operator = this.operators.authenticate(badgeId, pin);
    this.tables.transaction(() => {
      if (this.operator !== undefined) this.auditSignOut(this.operator, this.operator.id === operator.id ? 'signed in again' : 'another operator signed in');
      this.auditLog.append({ operatorId: operator.id, action: 'operator.sign-in', subject: operator.badgeId, details: { name: operator.name, role: operator.role } });
    });
    this.operator = operator;
    this.patient = undefined; // the next person identifies the patient again
    this.emitContext();
    return operator;
  }

  /** Sign out; the patient context goes too (pending readings stay with their patient). */
  signOut(): { ok: true } {
    const operator = this.requireOperator();
    this.tables.transaction(() => this.auditSignOut(operator, 'signed out'));
    this.operator = undefined;
    this.patient = undefined;
    this.emitContext();
    return { ok: true };
  }

  private auditSignOut(operator: Operator, reason: string): void {
    const pending = this.patient === undefined ? 0 : this.tables.reviews.pendingIdsOf(this.patient.mrn).length;
    this.auditLog.append({
      operatorId: operator.id,
      action: 'operator.sign-out',
      subject: operator.badgeId,
      details: { reason, patient: this.patient?.mrn ?? null, pendingKeptWithPatient: pending },
    });
  }

  selectPatient(input: MethodInput<'selectPatient'>): Patient {
    const operator = this.requireOperator();
    const p = parse('selectPatient', input);
    if (p.name === undefined && p.birthDate === undefined) {
      throw new HubError('INPUT_INVALID', 'A patient needs a second identifier: date of birth or name.', { details: { field: 'birthDate' } });
    }
    const { patient, unassigned } = this.tables.transaction(() => {
      const onFile = this.tables.patients.get(p.mrn);
      const seen = new Date(this.now()).toISOString();
      const found = identify(p, onFile, new Date(this.now()));
      const left = this.leavePatient(operator, p.pending, p.mrn);
      const stored = toPatient(this.recordIdentified(operator, found, seen));
      this.auditLog.append({
        operatorId: operator.id,
        action: 'patient.select',
        subject: p.mrn,
        details: {
          identifiedBy: ['mrn', ...(p.birthDate === undefined ? [] : ['birthDate']), ...(p.name === undefined ? [] : ['name'])],
          newPatient: onFile === undefined,
          verified: stored.verified ?? false,
          previous: left.previous ?? null,
          ...(left.count > 0 ? { previousPending: left.count, pendingAction: p.pending } : {}),
        },
      });
      return { patient: stored, unassigned: left.unassigned };
    });
    this.patient = patient;
    this.emitReviews(unassigned.map((id) => this.toItem(this.reviews.get(id))));
    this.emitContext();
    return patient;
  }

  /**
   * Store what selection identified (inside the caller's transaction): a new local patient or a
   * name added to one on file, each with its own audit row (docs/architecture.md §8 rule 2).
   */
  private recordIdentified(operator: Operator, found: Identification, seen: string): PatientRecord {
    if (found.kind === 'create-local') {
      const created = this.tables.patients.createLocal(found.patient, seen);
      this.auditLog.append({ operatorId: operator.id, action: 'patient.create-local', subject: created.mrn, details: { identifiedBy: ['mrn', 'birthDate', 'name'], verified: false } });
      return created;
    }
    if (found.add.name !== undefined) {
      this.auditLog.append({ operatorId: operator.id, action: 'patient.add-name', subject: found.onFile.mrn, details: { confirmedBy: 'birthDate' } });
    }
    return this.tables.patients.touch(found.onFile.mrn, seen, found.add);
  }

  clearPatient(input: MethodInput<'clearPatient'>): { ok: true } {
    const operator = this.requireOperator();
    const { pending } = parse('clearPatient', input);
    const previous = this.patient;
    if (previous === undefined) return { ok: true };
    const { unassigned } = this.tables.transaction(() => {
      const left = this.leavePatient(operator, pending, undefined);
      this.auditLog.append({
        operatorId: operator.id,
        action: 'patient.clear',
        subject: previous.mrn,
        details: left.count > 0 ? { previousPending: left.count, pendingAction: pending } : {},
      });
      return left;
    });
    this.patient = undefined;
    this.emitReviews(unassigned.map((id) => this.toItem(this.reviews.get(id))));
    this.emitContext();
    return { ok: true };
  }

  /**
   * Leave the current patient (inside the caller's transaction). Their pending readings need a
   * decision: kept with them (still pending, under their name) or returned to unassigned.
   */
  private leavePatient(
    operator: Operator,
    action: 'keep-with-previous' | 'unassign' | undefined,
    next: string | undefined,
  ): { previous?: string; count: number; unassigned: string[] } {
    const previous = this.patient;
    if (previous === undefined || previous.mrn === next) return { count: 0, unassigned: [] };
    const pending = this.tables.reviews.pendingIdsOf(previous.mrn);
    if (pending.length === 0) return { previous: previous.mrn, count: 0, unassigned: [] };
    if (action === undefined) {
      const n = pending.length;
      throw new HubError(
        'PENDING_DECISION_REQUIRED',
        `${n} reading${n === 1 ? '' : 's'} of ${describePatient(previous)} ${n === 1 ? 'is' : 'are'} still pending: keep ${n === 1 ? 'it' : 'them'} with that patient, or return ${n === 1 ? 'it' : 'them'} to unassigned?`,
        { details: { count: n, previous, readingIds: pending } },
      );
    }
    if (action === 'keep-with-previous') return { previous: previous.mrn, count: pending.length, unassigned: [] };
    for (const id of pending) {
      this.tables.reviews.unassign(id);
      this.auditLog.append({ operatorId: operator.id, action: 'reading.unassign', subject: id, details: { from: previous.mrn } });
    }
    return { previous: previous.mrn, count: pending.length, unassigned: pending };
  }

  readingArrived(readingId: string, _reading: Reading, device: ArrivalDevice): ReviewItem {
    const dev = DeviceSchema.safeParse(device);
    if (!dev.success) throw new HubError('INPUT_INVALID', 'A reading needs the key and label of its device.');
    // The stored reading is used, not the argument: what is reviewed is what was persisted.
    const before = this.tables.reviews.get(readingId);
    // A meter's memory may hold several patients' results: never assign those on arrival.
    const patient = dev.data.fromMemory ? undefined : this.patient;
    const rec = this.reviews.arrive(readingId, { key: dev.data.key, label: dev.data.label }, { operator: this.operator, patient });
    const item = this.toItem(rec);
    if (before === undefined) this.emitReview(item);
    return item;
  }

  listReview(): ReviewItem[] {
    this.requireOperator();
    return this.tables.reviews.listPending().map(this.toItem);
  }

  getReview(readingId: string): ReviewItem | undefined {
    this.requireOperator();
    const rec = this.tables.reviews.get(readingId);
    return rec === undefined ? undefined : this.toItem(rec);
  }

  getHistory(input: MethodInput<'getHistory'>): ReviewItem[] {
    this.requireOperator();
    const p = parse('getHistory', input);
    return this.tables.reviews.listOfPatient(p.mrn, HISTORY_LIMIT).map(this.toItem);
  }

  listQc(): ReviewItem[] {
    this.requireOperator();
    return this.tables.reviews.listQc(HISTORY_LIMIT).map(this.toItem);
  }

  assignReadings(input: MethodInput<'assignReadings'>): ReviewItem[] {
    const operator = this.requireOperator();
    const { readingIds } = parse('assignReadings', input);
    const patient = this.requirePatient('Select the patient first, then assign the readings to them.');
    return this.emitReviews(this.reviews.assign(readingIds, operator, patient).map(this.toItem));
  }

  confirmReading(input: MethodInput<'confirmReading'>): ReviewItem {
    const operator = this.requireOperator();
    const { readingId } = parse('confirmReading', input);
    return this.emitReview(this.toItem(this.reviews.confirm(readingId, operator, this.patient)));
  }

  confirmDevice(input: MethodInput<'confirmDevice'>): ReviewItem[] {
    const operator = this.requireOperator();
    const { deviceKey } = parse('confirmDevice', input);
    const patient = this.requirePatient('Select the patient first.');
    return this.emitReviews(this.reviews.confirmDevice(deviceKey, operator, patient).map(this.toItem));
  }

  rejectReading(input: MethodInput<'rejectReading'>): ReviewItem {
    const operator = this.requireOperator();
    return this.emitReview(this.toItem(this.reviews.reject(parse('rejectReading', input), operator)));
  }

  enterManual(input: MethodInput<'enterManual'>): ReviewItem {
    const operator = this.requireOperator();
    const parsed = parse('enterManual', input);
    const patient = this.requirePatient('Select the patient first: a manual value is always entered for one patient.');
    return this.emitReview(this.toItem(this.reviews.enterManual(parsed, operator, patient)));
  }

  listAudit(input: MethodInput<'listAudit'>): AuditEntry[] {
    this.requireOperator();
    const p = parse('listAudit', input);
    return this.auditLog.list(p.limit);
  }

  verifyAudit(): MethodOutput<'verifyAudit'> {
    const operator = this.requireOperator();
    const roles: readonly string[] = METHODS.verifyAudit.roles ?? [];
    if (!roles.includes(operator.role)) throw new HubError('FORBIDDEN', `Only ${roles.join(' and ')} staff may verify the audit log.`);
    return this.auditLog.verify();
  }

  audit(action: string, subject: string | undefined, details: Record<string, unknown>): void {
    if (action.trim() === '') throw new HubError('INPUT_INVALID', 'An audit row needs an action.');
    this.auditLog.append({ operatorId: this.operator?.id ?? null, action, ...(subject === undefined ? {} : { subject }), details });
  }

  onReviewChange(listener: (item: ReviewItem) => void): () => void {
    this.reviewListeners.add(listener);
    return () => this.reviewListeners.delete(listener);
  }

  onContextChange(listener: () => void): () => void {
    this.contextListeners.add(listener);
    return () => this.contextListeners.delete(listener);
  }

  private requireOperator(): Operator {
    if (this.operator === undefined) throw new HubError('AUTH_REQUIRED', 'Sign in first: scan your badge or type your badge id and PIN.');
    return this.operator;
  }

  private requirePatient(message: string): Patient {
    if (this.patient === undefined) throw new HubError('PATIENT_REQUIRED', message);
    return this.patient;
  }

  /** A review item with, once confirmed, where it stands with each export target. */
  private readonly toItem = (rec: ReviewRecord): ReviewItem => {
    const item = toReviewItem(rec);
    if (rec.state === 'confirmed') item.export = this.tables.outbox.exportsOf(rec.readingId);
    return item;
  };

  /** The review item of one reading, e.g. to tell the UI its export state changed. */
  reviewItem(readingId: string): ReviewItem {
    return this.toItem(this.reviews.get(readingId));
  }

  /** Tell listeners a reading changed outside a review action (its export state moved on). */
  announce(readingId: string): void {
    this.emitReview(this.reviewItem(readingId));
  }

  private emitReview(item: ReviewItem): ReviewItem {
    for (const listener of this.reviewListeners) notify(() => listener(item));
    return item;
  }

  private emitReviews(items: ReviewItem[]): ReviewItem[] {
    for (const item of items) this.emitReview(item);
    return items;
  }

  private emitContext(): void {
    for (const listener of this.contextListeners) notify(listener);
  }
}

/** A listener's failure is a bug in the listener: logged loudly, never undoing a committed change. */
function notify(fn: () => void): void {
  try {
    fn();
  } catch (e) {
    console.error(bugLine('a workflow listener', e));
  }
}

/** Check input at the workflow's boundary with the contract's own schema. */
function parse<M extends MethodName>(method: M, input: unknown): z.output<(typeof METHODS)[M]['input']> {
  const parsed = METHODS[method].input.safeParse(input);
  if (!parsed.success) {
    // In words for a person, as callMethod gives it (docs/architecture.md §14).
    throw new HubError('INPUT_INVALID', issueSentence(parsed.error.issues[0]), { details: { method } });
  }
  return parsed.data as z.output<(typeof METHODS)[M]['input']>;
}
