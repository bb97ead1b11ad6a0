import { z } from 'zod';
import { METHODS, type MethodInput, type MethodName, type MethodOutput } from '../../shared/api/contract.ts';
import type { AuditEntry, Operator, Patient, ReviewItem } from '../../shared/api/model.ts';
import { HubError } from '../../shared/errors.ts';
import type { Reading } from '../../shared/reading.ts';
import type { HubDatabase } from '../store/hub-database.ts';
import { AuditLog } from './audit-log.ts';
import { OperatorDirectory } from './operators.ts';
import { checkAgainstFile, toPatient } from './patient-identity.ts';
import { ReviewActions } from './review-actions.ts';
import type { ReviewRecord } from '../store/reviews-repo.ts';
import { describePatient, toReviewItem } from './review-items.ts';
import { bugLine } from '../bug-report.ts';
import type { ArrivalDevice, Workflow } from './workflow.ts';
import { DEVICE_ROLES } from '../../shared/device-role.ts';
import { measuredAt, proposalFor } from './arrival-rules.ts';
import { DeviceRoleActions } from './device-role-actions.ts';

/** History and QC lists return at most this many items, newest first. */
const HISTORY_LIMIT = 1000;

/**
 * The repositories the workflow works on, and the transaction that groups a change with its audit
 * row. The composition root hands them in; the workflow never opens the store itself.
 */
type WorkflowRepos = Pick<HubDatabase, 'readings' | 'operators' | 'patients' | 'reviews' | 'audit' | 'targets' | 'outbox' | 'memoryImport' | 'transaction' | 'snapshot'>;

const DeviceSchema = z.object({ key: z.string().min(1), label: z.string().min(1), role: z.enum(DEVICE_ROLES).optional() });

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
  private readonly roles: DeviceRoleActions;
  private operator: Operator | undefined;
  private patient: Patient | undefined;
  /** When the selected patient was selected (epoch ms): a bedside result measured before is not theirs. */
  private selectedAt: number | undefined;
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
    this.roles = new DeviceRoleActions(this.tables, this.auditLog, now);
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
    this.selectedAt = undefined;
    this.emitContext();
    return operator;
  }

  /** Sign out; the patient context goes too (pending readings stay with their patient). */
  signOut(): { ok: true } {
    const operator = this.requireOperator();
    this.tables.transaction(() => this.auditSignOut(operator, 'signed out'));
    this.operator = undefined;
    this.patient = undefined;
    this.selectedAt = undefined;
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
      checkAgainstFile(p, onFile);
      const left = this.leavePatient(operator, p.pending, p.mrn);
      const stored = toPatient(this.tables.patients.upsert(p, new Date(this.now()).toISOString()));
      this.auditLog.append({
        operatorId: operator.id,
        action: 'patient.select',
        subject: p.mrn,
        details: {
          identifiedBy: ['mrn', ...(p.birthDate === undefined ? [] : ['birthDate']), ...(p.name === undefined ? [] : ['name'])],
          newPatient: onFile === undefined,
          previous: left.previous ?? null,
          ...(left.count > 0 ? { previousPending: left.count, pendingAction: p.pending } : {}),
        },
      });
      return { patient: stored, unassigned: left.unassigned };
    });
    // The same patient again keeps the moment they were first selected: results measured since are theirs.
    if (this.patient?.mrn !== patient.mrn || this.selectedAt === undefined) this.selectedAt = this.now();
    this.patient = patient;
    this.emitReviews(unassigned.map((id) => this.toItem(this.reviews.get(id))));
    this.emitContext();
    return patient;
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
    this.selectedAt = undefined;
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

  readingArrived(readingId: string, reading: Reading, device: ArrivalDevice): ReviewItem {
    const dev = DeviceSchema.safeParse(device);
    if (!dev.success) throw new HubError('INPUT_INVALID', 'A reading needs the key and label of its device.');
    const before = this.tables.reviews.get(readingId);
    // The stored reading's time, not the argument's: what is reviewed is what was persisted.
    const stored = this.tables.readings.getReading(readingId)?.reading ?? reading;
    const role = dev.data.role ?? 'bedside';
    const arrival = proposalFor(role, measuredAt(stored), { patient: this.patient, selectedAt: this.selectedAt });
    const rec = this.reviews.arrive(readingId, { key: dev.data.key, label: dev.data.label, role }, { operator: this.operator, arrival });
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
    const assigned = this.tables.transaction(() => {
      this.roles.checkAssign(readingIds, patient);
      return this.reviews.assign(readingIds, operator, patient);
    });
    return this.emitReviews(assigned.map(this.toItem));
  }

  listMemory(input: MethodInput<'listMemory'>): MethodOutput<'listMemory'> {
    this.requireOperator();
    const { deviceKey } = parse('listMemory', input);
    const list = this.roles.listMemory(deviceKey);
    return { ...list, results: list.results.map(({ rec, ...rest }) => ({ item: this.toItem(rec), ...rest })) };
  }

  importReadings(input: MethodInput<'importReadings'>): ReviewItem[] {
    const operator = this.requireOperator();
    const parsed = parse('importReadings', input);
    const patient = this.requirePatient('Select the patient first, then choose the results to import for them.');
    return this.emitReviews(this.roles.importReadings(parsed, operator, patient).map(this.toItem));
  }

  acceptProposal(input: MethodInput<'acceptProposal'>): ReviewItem {
    const operator = this.requireOperator();
    const { readingId } = parse('acceptProposal', input);
    return this.emitReview(this.toItem(this.roles.acceptProposal(readingId, operator, this.patient)));
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
    const proposed = this.roles.proposedPatientOf(rec);
    if (proposed !== undefined) item.proposedPatient = proposed;
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
    throw new HubError('INPUT_INVALID', `Invalid ${method} input: ${z.prettifyError(parsed.error)}`, { details: { method } });
  }
  return parsed.data as z.output<(typeof METHODS)[M]['input']>;
}
