import { AsyncLocalStorage } from 'node:async_hooks';
import type { Operator, Patient } from '../../shared/api/model.ts';
import { HubError } from '../../shared/errors.ts';
import type { HubDatabase } from '../store/hub-database.ts';
import type { AuditLog } from './audit-log.ts';
import type { OperatorDirectory } from './operators.ts';
import type { WorkSessions} from './work-sessions.ts';
import { INTERNAL_SESSION, type SessionRef, type WorkContext } from './work-sessions.ts';

/** What a bedside reading arriving now is proposed for (see {@link SessionControl.arrivalContext}). */
export interface ArrivalContext {
  operator?: Operator;
  patient?: Patient;
  /** When that patient was selected (epoch ms). */
  selectedAt?: number;
}

/** One session as the header shows it. */
export interface SessionView {
  operator?: Operator;
  /** Absent while locked: the lock screen shows no patient. */
  patient?: Patient;
  locked: boolean;
  lockAfterMs: number;
}

const LOCKED_MESSAGE = 'This screen is locked after inactivity: enter your PIN, or scan another badge.';

/**
 * Sign-in, sign-out and the inactivity lock of each session (docs/architecture.md §8): who is
 * signed in where, locking a session nobody used for the lock time, unlocking with the same
 * operator's PIN, and switching operator with another badge on the lock screen. Every change is
 * one transaction with its audit row, naming the session by its short id.
 */
export class SessionControl {
  /** The session of the API call in progress, so audit rows written deep inside name its operator. */
  private readonly caller = new AsyncLocalStorage<string>();

  constructor(
    private readonly tables: Pick<HubDatabase, 'reviews' | 'transaction'>,
    private readonly auditLog: AuditLog,
    private readonly operators: OperatorDirectory,
    readonly sessions: WorkSessions,
    private readonly now: () => number,
    private readonly changed: () => void,
  ) {}

  /** The context of the calling session, after locking and dropping idle sessions. */
  context(ref: SessionRef | undefined): WorkContext {
    this.expire();
    return this.sessions.get(ref?.session ?? this.caller.getStore() ?? INTERNAL_SESSION);
  }

  /** Run `fn` as a call of session `ref` (audit rows written inside name its operator). */
  within<T>(ref: SessionRef, fn: () => T): T {
    return this.caller.run(ref.session, fn);
  }

  /**
   * The gate of every non-public method: the caller's operator (undefined when nobody is signed
   * in there). `activity`: the call is something the person did, which postpones the lock.
   * @throws HubError `LOCKED` when the session is locked.
   */
  admit(ref: SessionRef, activity: boolean): Operator | undefined {
    const c = this.context(ref);
    if (c.operator !== undefined && c.locked) throw new HubError('LOCKED', LOCKED_MESSAGE, { details: { operator: c.operator.name } });
    if (activity && c.operator !== undefined) c.lastActivity = this.now();
    return c.operator;
  }

  /** The signed-in operator of a context. @throws HubError `LOCKED`, `AUTH_REQUIRED`. */
  requireOperator(c: WorkContext): Operator {
    if (c.operator === undefined) throw new HubError('AUTH_REQUIRED', 'Sign in first: scan your badge or type your badge id and PIN.');
    if (c.locked) throw new HubError('LOCKED', LOCKED_MESSAGE, { details: { operator: c.operator.name } });
    return c.operator;
  }

  /** The operator whose session called (for audit rows written by other services); outside an API call, the hub's own session's. */
  callerOperator(): Operator | undefined {
    return this.sessions.get(this.caller.getStore() ?? INTERNAL_SESSION).operator;
  }

  view(ref: SessionRef | undefined): SessionView {
    const c = this.context(ref);
    return {
      ...(c.operator ? { operator: c.operator } : {}),
      ...(c.patient && !c.locked ? { patient: c.patient } : {}),
      locked: c.locked,
      lockAfterMs: this.sessions.lockAfterMs,
    };
  }

  /**
   * Sign in with badge and PIN. On a locked session, the same operator unlocks it (keeping the
   * patient), and another operator takes it over: the previous patient context is cleared.
   */
  signIn(ref: SessionRef | undefined, badgeId: string, pin: string): Operator {
    const c = this.context(ref);
    const operator = this.operators.authenticate(badgeId, pin);
    const previous = c.operator;
    if (c.locked && previous !== undefined) {
      if (previous.id === operator.id) return this.unlocked(c, 'badge');
      this.tables.transaction(() =>
        this.auditLog.append({
          operatorId: operator.id,
          action: 'operator.switch',
          subject: operator.badgeId,
          details: { session: c.shortId, from: previous.badgeId, fromName: previous.name, name: operator.name, role: operator.role, patientCleared: c.patient?.mrn ?? null },
        }),
      );
    } else {
      this.tables.transaction(() => {
        if (previous !== undefined) this.auditSignOut(c, previous, previous.id === operator.id ? 'signed in again' : 'another operator signed in');
        this.auditLog.append({ operatorId: operator.id, action: 'operator.sign-in', subject: operator.badgeId, details: { name: operator.name, role: operator.role, session: c.shortId } });
      });
    }
    this.setContext(c, operator);
    return operator;
  }

  /** Sign out of the calling session; its patient context goes too (pending readings stay with their patient). */
  signOut(ref: SessionRef | undefined): { ok: true } {
    const c = this.context(ref);
    const operator = this.requireOperator(c);
    this.tables.transaction(() => this.auditSignOut(c, operator, 'signed out'));
    this.setContext(c, undefined);
    return { ok: true };
  }

  /** Unlock a locked session with its operator's PIN (wrong PINs count toward the badge lockout). */
  unlock(ref: SessionRef | undefined, pin: string): Operator {
    const c = this.context(ref);
    const operator = c.operator;
    if (operator === undefined) throw new HubError('AUTH_REQUIRED', 'Nobody is signed in here: sign in with your badge and PIN.');
    // The PIN is checked even when the hub has not locked the session yet (the page's own idle
    // timer may run ahead of it): a lock screen never opens to a wrong PIN.
    this.operators.authenticate(operator.badgeId, pin);
    if (!c.locked) {
      c.lastActivity = this.now();
      return operator;
    }
    return this.unlocked(c, 'pin');
  }

  /** The person is at the screen (keyboard, mouse, touch): postpone the lock. */
  keepAlive(ref: SessionRef | undefined): { ok: true } {
    const c = this.context(ref);
    this.requireOperator(c);
    c.lastActivity = this.now();
    return { ok: true };
  }

  /**
   * Who a bedside reading arriving now belongs with: the context of the one signed-in, unlocked
   * session with a patient selected. Sessions with different patients selected make it
   * ambiguous, and a reading is never guessed onto a patient: then nobody (it waits unassigned).
   */
  arrivalContext(): ArrivalContext {
    this.expire();
    const candidates = this.sessions.all().filter((c) => c.operator !== undefined && !c.locked && c.patient !== undefined);
    const patients = new Set(candidates.map((c) => c.patient?.mrn));
    if (patients.size !== 1) return {};
    const newest = candidates.reduce((a, b) => ((b.selectedAt ?? 0) > (a.selectedAt ?? 0) ? b : a));
    return { ...(newest.operator ? { operator: newest.operator } : {}), ...(newest.patient ? { patient: newest.patient } : {}), ...(newest.selectedAt === undefined ? {} : { selectedAt: newest.selectedAt }) };
  }

  /** Lock sessions idle for the lock time and forget long-idle ones, each audited. */
  expire(): void {
    const due = this.sessions.dueToLock();
    const dropped = this.sessions.dropIdle().filter((c) => c.operator !== undefined);
    if (due.length === 0 && dropped.length === 0) return;
    this.tables.transaction(() => {
      for (const c of due) {
        if (c.operator === undefined || dropped.includes(c)) continue;
        this.auditLog.append({ operatorId: c.operator.id, action: 'session.lock', subject: c.operator.badgeId, details: { session: c.shortId, idleSeconds: Math.round((this.now() - c.lastActivity) / 1000) } });
      }
      for (const c of dropped) if (c.operator !== undefined) this.auditSignOut(c, c.operator, 'session expired');
    });
    for (const c of due) c.locked = true;
    this.changed();
  }

  private unlocked(c: WorkContext, by: 'pin' | 'badge'): Operator {
    const operator = this.requireSigned(c);
    this.tables.transaction(() => this.auditLog.append({ operatorId: operator.id, action: 'session.unlock', subject: operator.badgeId, details: { session: c.shortId, by } }));
    c.locked = false;
    c.lastActivity = this.now();
    this.changed();
    return operator;
  }

  private requireSigned(c: WorkContext): Operator {
    if (c.operator === undefined) throw new HubError('AUTH_REQUIRED', 'Sign in first.');
    return c.operator;
  }

  /** A new operator (or none) in a session: the next person identifies the patient again. */
  private setContext(c: WorkContext, operator: Operator | undefined): void {
    c.operator = operator;
    delete c.patient;
    delete c.selectedAt;
    c.locked = false;
    c.lastActivity = this.now();
    this.changed();
  }

  private auditSignOut(c: WorkContext, operator: Operator, reason: string): void {
    const pending = c.patient === undefined ? 0 : this.tables.reviews.pendingIdsOf(c.patient.mrn).length;
    this.auditLog.append({
      operatorId: operator.id,
      action: 'operator.sign-out',
      subject: operator.badgeId,
      details: { reason, patient: c.patient?.mrn ?? null, pendingKeptWithPatient: pending, session: c.shortId },
    });
  }
}
