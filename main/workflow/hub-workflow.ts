import { z } from 'zod';
import { METHODS, type MethodInput, type MethodName, type MethodOutput } from '../../shared/api/contract.ts';
import type { AuditEntry, Operator, Patient, ReviewItem } from '../../shared/api/model.ts';
import type { QcLock, QcLot, QcPolicy } from '../../shared/api/qc-model.ts';
import { HubError } from '../../shared/errors.ts';
import { issueSentence } from '../../shared/api/issue-words.ts';
import type { Reading } from '../../shared/reading.ts';
import type { HubDatabase } from '../store/hub-database.ts';
import { AuditLog } from './audit-log.ts';
import { OperatorDirectory } from './operators.ts';
import { identify, toPatient, type Identification } from './patient-identity.ts';
import { applyLookup } from './patient-verification.ts';
import type { LookupResult } from '../../shared/patients/patient-lookup.ts';
import type { PatientRecord } from '../store/patients-repo.ts';
import { ReviewActions } from './review-actions.ts';
import { QcService } from './qc-service.ts';
import type { ReviewRecord } from '../store/reviews-repo.ts';
import { describePatient, toReviewItem } from './review-items.ts';
import { bugLine } from '../bug-report.ts';
import type { ArrivalDevice, Workflow } from './workflow.ts';
import { SessionControl, type ArrivalContext, type SessionView } from './session-control.ts';
import { DEFAULT_LOCK_AFTER_MS, WorkSessions, type SessionRef, type WorkContext } from './work-sessions.ts';
import { DEVICE_ROLES } from '../../shared/device-role.ts';
import { measuredAt, proposalFor } from './arrival-rules.ts';
import { DeviceRoleActions } from './device-role-actions.ts';
import { encounterFor } from './visit-rule.ts';

/** History and QC lists return at most this many items, newest first. */
const HISTORY_LIMIT = 1000;

/**
 * The repositories the workflow works on, and the transaction that groups a change with its audit
 * row. The composition root hands them in; the workflow never opens the store itself.
 */
type WorkflowRepos = Pick<HubDatabase, 'readings' | 'operators' | 'signInFailures' | 'patients' | 'visits' | 'reviews' | 'reviewSettings' | 'audit' | 'targets' | 'outbox' | 'qc' | 'memoryImport' | 'transaction' | 'snapshot'>;

const DeviceSchema = z.object({ key: z.string().min(1), label: z.string().min(1), role: z.enum(DEVICE_ROLES).optional() });

/**
 * The workflow of one workstation over the store (see {@link Workflow}). Holds the context of each
 * session — who is signed in, which patient is selected, whether it is locked — in memory
 * (docs/architecture.md §8): a restart signs everyone out, and the pending readings wait in the
 * store. Every change is one transaction with its audit row, and listeners hear of it only after
 * it committed.
 */
export class HubWorkflow implements Workflow {
  readonly auditLog: AuditLog;
  /** The operator list: `pochub operators add` and demo mode add operators through it. */
  readonly operators: OperatorDirectory;
  private readonly reviews: ReviewActions;
  /** Control lots, evaluations, intervals and the QC lock (docs/architecture.md §8 rule 11). */
  private readonly qc: QcService;
  /** Sign-in, sign-out and the inactivity lock of every session. */
  readonly sessions: SessionControl;
  /** Device roles: memory import and shared devices' proposals (docs/architecture.md §8 rule 4). */
  private readonly roles: DeviceRoleActions;
  private readonly reviewListeners = new Set<(item: ReviewItem) => void>();
  private readonly contextListeners = new Set<() => void>();

  /**
   * @param tables the repositories of an open store (see {@link WorkflowRepos}).
   * @param workstation this workstation's name, written in every audit row.
   * @param now the clock (epoch ms); tests pass a fake one.
   * @param lockAfterMs inactivity after which a signed-in session locks.
   */
  constructor(
    private readonly tables: WorkflowRepos,
    readonly workstation: string,
    private readonly now: () => number = Date.now,
    lockAfterMs: number = DEFAULT_LOCK_AFTER_MS,
  ) {
    this.auditLog = new AuditLog(this.tables, workstation, now);
    this.operators = new OperatorDirectory(this.tables, this.auditLog, now);
    this.sessions = new SessionControl(this.tables, this.auditLog, this.operators, new WorkSessions(now, lockAfterMs), now, () => this.emitContext());
    this.qc = new QcService(this.tables, this.auditLog, now, {
      requireOperator: () => this.requireOperator(undefined),
      reviewItem: (id) => this.reviewItem(id),
      emitReview: (item) => this.emitReview(item),
      qcChanged: (deviceKey) => this.qcChanged(deviceKey),
    });
    this.reviews = new ReviewActions(this.tables, this.auditLog, now, this.qc.holdOf);
    this.roles = new DeviceRoleActions(this.tables, this.auditLog, now);
  }

  currentOperator(ref?: SessionRef): Operator | undefined {
    return this.sessions.context(ref).operator;
  }

  currentPatient(ref?: SessionRef): Patient | undefined {
    return this.sessions.view(ref).patient;
  }

  session(ref?: SessionRef): SessionView {
    return this.sessions.view(ref);
  }

  admit(ref: SessionRef, activity: boolean): Operator | undefined {
    return this.sessions.admit(ref, activity);
  }

  within<T>(ref: SessionRef, fn: () => T): T {
    return this.sessions.within(ref, fn);
  }

  arrivalContext(): ArrivalContext {
    return this.sessions.arrivalContext();
  }

  signIn(input: MethodInput<'signIn'>, ref?: SessionRef): Operator {
    const { badgeId, pin } = parse('signIn', input);
    return this.sessions.signIn(ref, badgeId, pin);
  }

  /** Sign out; the patient context goes too (pending readings stay with their patient). */
  signOut(_input?: MethodInput<'signOut'>, ref?: SessionRef): { ok: true } {
    return this.sessions.signOut(ref);
  }

  unlock(input: MethodInput<'unlock'>, ref?: SessionRef): Operator {
    const { pin } = parse('unlock', input);
    return this.sessions.unlock(ref, pin);
  }

  keepAlive(_input?: MethodInput<'keepAlive'>, ref?: SessionRef): { ok: true } {
    return this.sessions.keepAlive(ref);
  }

  /**
   * `ehr`: what the patient sources said about the MRN, asked before this call (a network call;
   * main/api does it), applied by the identification rules (patient-verification.ts).
   */
  selectPatient(input: MethodInput<'selectPatient'>, ref?: SessionRef, ehr?: LookupResult): Patient {
    const c = this.sessions.context(ref);
    const operator = this.sessions.requireOperator(c);
    const parsed = parse('selectPatient', input);
    if (parsed.name === undefined && parsed.birthDate === undefined) {
      throw new HubError('INPUT_INVALID', 'A patient needs a second identifier: date of birth or name.', { details: { field: 'birthDate' } });
    }
    const select = (): { patient: Patient; unassigned: string[] } => this.tables.transaction(() => {
      const verified = applyLookup(parsed, ehr, this.tables);
      const p = { ...parsed, ...verified.given };
      const onFile = this.tables.patients.get(p.mrn);
      const seen = new Date(this.now()).toISOString();
      const found = identify(p, onFile, new Date(this.now()));
      // The visit is checked with the identifiers, before anything is written.
      const encounter = p.visitId === undefined ? undefined : encounterFor(this.tables.visits, p.mrn, p.visitId);
      const left = this.leavePatient(c, operator, p.pending, p.mrn);
      const stored: Patient = {
        ...toPatient(this.recordIdentified(operator, found, seen)),
        ...(verified.verification === undefined ? {} : { verification: verified.verification }),
        ...(encounter === undefined ? {} : { encounter }),
      };
      this.auditLog.append({
        operatorId: operator.id,
        action: 'patient.select',
        subject: p.mrn,
        details: {
          identifiedBy: ['mrn', ...(p.birthDate === undefined ? [] : ['birthDate']), ...(p.name === undefined ? [] : ['name'])],
          newPatient: onFile === undefined,
          verified: stored.verified ?? false,
          verification: verified.audit,
          previous: left.previous ?? null,
          session: c.shortId,
          ...(encounter === undefined ? {} : { visitId: encounter.visitId }),
          ...(left.count > 0 ? { previousPending: left.count, pendingAction: p.pending } : {}),
        },
      });
      return { patient: stored, unassigned: left.unassigned };
    });
    let selected: { patient: Patient; unassigned: string[] };
    try {
      selected = select();
    } catch (e) {
      this.auditRefusal(operator, parsed.mrn, ehr, e);
      throw e;
    }
    const { patient, unassigned } = selected;
    // The same patient again keeps the moment they were first selected: results measured since are theirs.
    if (c.patient?.mrn !== patient.mrn || c.selectedAt === undefined) c.selectedAt = this.now();
    c.patient = patient;
    this.emitReviews(unassigned.map((id) => this.toItem(this.reviews.get(id))));
    this.emitContext();
    return patient;
  }

  /**
   * A selection the EHR's record refused is audited on its own (the selection's transaction was
   * rolled back): who tried which MRN, against which source, and what differed.
   */
  private auditRefusal(operator: Operator, mrn: string, ehr: LookupResult | undefined, e: unknown): void {
    if (ehr?.state !== 'found' || !(e instanceof HubError) || e.code !== 'CONFLICT') return;
    const details = { source: ehr.sourceId, ...(e.details?.['differs'] === undefined ? {} : { differs: e.details['differs'] }), ...(e.details?.['needs'] === undefined ? {} : { needs: e.details['needs'] }) };
    this.tables.transaction(() => this.auditLog.append({ operatorId: operator.id, action: 'patient.verify-refused', subject: mrn, details }));
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

  clearPatient(input: MethodInput<'clearPatient'>, ref?: SessionRef): { ok: true } {
    const c = this.sessions.context(ref);
    const operator = this.sessions.requireOperator(c);
    const { pending } = parse('clearPatient', input);
    const previous = c.patient;
    if (previous === undefined) return { ok: true };
    const { unassigned } = this.tables.transaction(() => {
      const left = this.leavePatient(c, operator, pending, undefined);
      this.auditLog.append({
        operatorId: operator.id,
        action: 'patient.clear',
        subject: previous.mrn,
        details: { session: c.shortId, ...(left.count > 0 ? { previousPending: left.count, pendingAction: pending } : {}) },
      });
      return left;
    });
    delete c.patient;
    delete c.selectedAt;
    this.emitReviews(unassigned.map((id) => this.toItem(this.reviews.get(id))));
    this.emitContext();
    return { ok: true };
  }

  /**
   * Leave the current patient (inside the caller's transaction). Their pending readings need a
   * decision: kept with them (still pending, under their name) or returned to unassigned.
   */
  private leavePatient(
    c: WorkContext,
    operator: Operator,
    action: 'keep-with-previous' | 'unassign' | undefined,
    next: string | undefined,
  ): { previous?: string; count: number; unassigned: string[] } {
    const previous = c.patient;
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
    // The patient context is the one session that has a patient selected (never a guess between two).
    const context = this.arrivalContext();
    const arrival = proposalFor(role, measuredAt(stored), { patient: context.patient, selectedAt: context.selectedAt });
    const rec = this.reviews.arrive(readingId, { key: dev.data.key, label: dev.data.label, role }, { operator: context.operator, arrival });
    const judged = before === undefined && this.qc.arrived(rec);
    const item = this.toItem(this.reviews.get(readingId));
    if (before === undefined) this.emitReview(item);
    if (judged) this.qcChanged(rec.deviceKey);
    return item;
  }

  listReview(_input?: MethodInput<'listReview'>, ref?: SessionRef): ReviewItem[] {
    this.requireOperator(ref);
    return this.tables.reviews.listPending().map(this.toItem);
  }

  getReview(readingId: string, ref?: SessionRef): ReviewItem | undefined {
    this.requireOperator(ref);
    const rec = this.tables.reviews.get(readingId);
    return rec === undefined ? undefined : this.toItem(rec);
  }

  getHistory(input: MethodInput<'getHistory'>, ref?: SessionRef): ReviewItem[] {
    const c = this.sessions.context(ref);
    this.sessions.requireOperator(c);
    const p = parse('getHistory', input);
    return this.tables.reviews.listOfPatient(p.mrn, HISTORY_LIMIT).map(this.toItem);
  }

  listQc(_input?: MethodInput<'listQc'>, ref?: SessionRef): ReviewItem[] {
    this.requireOperator(ref);
    return this.tables.reviews.listQc(HISTORY_LIMIT).map(this.toItem);
  }

  assignReadings(input: MethodInput<'assignReadings'>, ref?: SessionRef): ReviewItem[] {
    const c = this.sessions.context(ref);
    const operator = this.sessions.requireOperator(c);
    const { readingIds } = parse('assignReadings', input);
    const patient = this.requirePatient(c, 'Select the patient first, then assign the readings to them.');
    const assigned = this.tables.transaction(() => {
      this.roles.checkAssign(readingIds, patient);
      return this.reviews.assign(readingIds, operator, patient);
    });
    return this.emitReviews(assigned.map(this.toItem));
  }

  listMemory(input: MethodInput<'listMemory'>, ref?: SessionRef): MethodOutput<'listMemory'> {
    this.requireOperator(ref);
    const { deviceKey } = parse('listMemory', input);
    const list = this.roles.listMemory(deviceKey);
    return { ...list, results: list.results.map(({ rec, ...rest }) => ({ item: this.toItem(rec), ...rest })) };
  }

  importReadings(input: MethodInput<'importReadings'>, ref?: SessionRef): ReviewItem[] {
    const c = this.sessions.context(ref);
    const operator = this.sessions.requireOperator(c);
    const parsed = parse('importReadings', input);
    const patient = this.requirePatient(c, 'Select the patient first, then choose the results to import for them.');
    return this.emitReviews(this.roles.importReadings(parsed, operator, patient).map(this.toItem));
  }

  acceptProposal(input: MethodInput<'acceptProposal'>, ref?: SessionRef): ReviewItem {
    const c = this.sessions.context(ref);
    const operator = this.sessions.requireOperator(c);
    const { readingId } = parse('acceptProposal', input);
    return this.emitReview(this.toItem(this.roles.acceptProposal(readingId, operator, c.patient)));
  }

  confirmReading(input: MethodInput<'confirmReading'>, ref?: SessionRef): ReviewItem {
    const c = this.sessions.context(ref);
    const operator = this.sessions.requireOperator(c);
    const { readingId, acknowledge } = parse('confirmReading', input);
    return this.emitReview(this.toItem(this.reviews.confirm(readingId, operator, c.patient, acknowledge)));
  }

  confirmDevice(input: MethodInput<'confirmDevice'>, ref?: SessionRef): ReviewItem[] {
    const c = this.sessions.context(ref);
    const operator = this.sessions.requireOperator(c);
    const { deviceKey } = parse('confirmDevice', input);
    const patient = this.requirePatient(c, 'Select the patient first.');
    return this.emitReviews(this.reviews.confirmDevice(deviceKey, operator, patient).map(this.toItem));
  }

  rejectReading(input: MethodInput<'rejectReading'>, ref?: SessionRef): ReviewItem {
    const c = this.sessions.context(ref);
    const operator = this.sessions.requireOperator(c);
    return this.emitReview(this.toItem(this.reviews.reject(parse('rejectReading', input), operator)));
  }

  enterManual(input: MethodInput<'enterManual'>, ref?: SessionRef): ReviewItem {
    const c = this.sessions.context(ref);
    const operator = this.sessions.requireOperator(c);
    const parsed = parse('enterManual', input);
    const patient = this.requirePatient(c, 'Select the patient first: a manual value is always entered for one patient.');
    return this.emitReview(this.toItem(this.reviews.enterManual(parsed, operator, patient)));
  }

  // QC (docs/architecture.md §8 rule 11): the contract's methods, implemented by QcService.
  readonly listQcLots = (): QcLot[] => this.qc.listQcLots();
  readonly saveQcLot = (input: MethodInput<'saveQcLot'>): QcLot => this.qc.saveQcLot(input);
  readonly retireQcLot = (input: MethodInput<'retireQcLot'>): QcLot => this.qc.retireQcLot(input);
  readonly evaluateQc = (input: MethodInput<'evaluateQc'>): ReviewItem => this.qc.evaluateQc(input);
  readonly listQcPolicies = (): QcPolicy[] => this.qc.listQcPolicies();
  readonly setQcPolicy = (input: MethodInput<'setQcPolicy'>): QcPolicy[] => this.qc.setQcPolicy(input);

  qcLockOf(deviceKey: string, label: string): QcLock | undefined {
    return this.qc.lockOf(deviceKey, label);
  }

  /** A device's QC changed: its pending results' holds and its lock in the device list may have too. */
  private qcChanged(deviceKey: string): void {
    this.emitReviews(this.tables.reviews.listPending().filter((r) => r.deviceKey === deviceKey).map(this.toItem));
    this.emitContext();
  }

  listAudit(input: MethodInput<'listAudit'>, ref?: SessionRef): AuditEntry[] {
    const c = this.sessions.context(ref);
    this.sessions.requireOperator(c);
    const p = parse('listAudit', input);
    return this.auditLog.list(p.limit, p.who);
  }

  verifyAudit(_input?: MethodInput<'verifyAudit'>, ref?: SessionRef): MethodOutput<'verifyAudit'> {
    const operator = this.requireOperator(ref);
    const roles: readonly string[] = METHODS.verifyAudit.roles ?? [];
    if (!roles.includes(operator.role)) throw new HubError('FORBIDDEN', `Only ${roles.join(' and ')} staff may verify the audit log.`);
    return this.auditLog.verify();
  }

  audit(action: string, subject: string | undefined, details: Record<string, unknown>): void {
    if (action.trim() === '') throw new HubError('INPUT_INVALID', 'An audit row needs an action.');
    // The operator of the API call in progress, whichever service writes the row.
    this.auditLog.append({ operatorId: this.sessions.callerOperator()?.id ?? null, action, ...(subject === undefined ? {} : { subject }), details });
  }

  onReviewChange(listener: (item: ReviewItem) => void): () => void {
    this.reviewListeners.add(listener);
    return () => this.reviewListeners.delete(listener);
  }

  onContextChange(listener: () => void): () => void {
    this.contextListeners.add(listener);
    return () => this.contextListeners.delete(listener);
  }

  private requireOperator(ref: SessionRef | undefined): Operator {
    return this.sessions.requireOperator(this.sessions.context(ref));
  }

  private requirePatient(c: WorkContext, message: string): Patient {
    if (c.patient === undefined) throw new HubError('PATIENT_REQUIRED', message);
    return c.patient;
  }

  /** A review item with its checks and, once confirmed, where it stands with each export target. */
  private readonly toItem = (rec: ReviewRecord): ReviewItem => {
    const item = toReviewItem(rec);
    item.checks = this.reviews.checks(rec);
    if (rec.state === 'confirmed') item.export = this.tables.outbox.exportsOf(rec.readingId);
    this.qc.decorate(rec, item);
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
    // In words for a person, as callMethod gives it (docs/architecture.md §14).
    throw new HubError('INPUT_INVALID', issueSentence(parsed.error.issues[0]), { details: { method } });
  }
  return parsed.data as z.output<(typeof METHODS)[M]['input']>;
}
