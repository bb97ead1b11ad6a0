import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { ROLES, type Operator } from '../../shared/api/model.ts';
import { HubError } from '../../shared/errors.ts';
import type { OperatorRecord } from '../store/operators-repo.ts';
import type { HubDatabase } from '../store/hub-database.ts';
import type { SignInFailureRecord } from '../store/sign-in-failures-repo.ts';
import type { AuditLog } from './audit-log.ts';
import { PIN_PATTERN, hashPin, verifyPin } from './pin-hash.ts';

/** Wrong PINs in a row before a badge is locked, and for how long (docs/architecture.md §8 rule 1). */
export const SIGN_IN_FAILURES_BEFORE_LOCK = 5;
export const SIGN_IN_LOCK_MS = 60_000;
/** Failure counters kept in the store before unlocked ones are forgotten (unknown badges count too). */
const MAX_TRACKED_BADGES = 1000;

/** One message for an unknown badge and a wrong PIN, so a guess never learns which badges exist. */
const AUTH_FAILED_MESSAGE = 'Unknown badge or wrong PIN.';

/** A new operator, as an admin (or `pochub operators add`) gives it. */
const NewOperatorSchema = z
  .object({
    name: z.string().trim().min(1, 'name is required').max(200),
    badgeId: z.string().trim().min(1, 'badge id is required').max(100),
    role: z.enum(ROLES),
    pin: z.string().regex(PIN_PATTERN, 'the PIN must be 4 to 64 digits'),
  })
  .strict();
type NewOperator = z.input<typeof NewOperatorSchema>;

/** An operator as listings show it: never the PIN hash. */
interface OperatorListing extends Operator {
  active: boolean;
  createdAt: string;
}

const toOperator = (r: OperatorRecord): Operator => ({ id: r.id, name: r.name, badgeId: r.badgeId, role: r.role });

/**
 * The local operator list: adding operators with a hashed PIN, and checking a badge + PIN at
 * sign-in with a lockout after repeated failures. Failure counters live in the store, so a
 * restart does not reset a lock (docs/architecture.md §8): the lockout slows guessing at the
 * workstation; the slow hash protects a copied store.
 */
export class OperatorDirectory {
  private dummyHash: string | undefined;

  constructor(
    private readonly store: Pick<HubDatabase, 'operators' | 'signInFailures' | 'transaction'>,
    private readonly audit: AuditLog,
    private readonly now: () => number,
  ) {}

  /**
   * Add an operator; audited as `operator.add` (by `actorId`, or null from the command line).
   * @throws HubError `INPUT_INVALID` (bad name, badge, role or PIN); `CONFLICT` (badge in use).
   */
  add(input: NewOperator, actorId: string | null = null): Operator {
    const parsed = NewOperatorSchema.safeParse(input);
    if (!parsed.success) {
      throw new HubError('INPUT_INVALID', `Invalid operator: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
    }
    const { name, badgeId, role, pin } = parsed.data;
    const pinHash = hashPin(pin); // outside the transaction: it takes ~0.1 s and needs no lock
    const record = { id: randomUUID(), name, badgeId, role, pinHash, createdAt: new Date(this.now()).toISOString() };
    this.store.transaction(() => {
      const taken = this.store.operators.findByBadge(badgeId);
      if (taken !== undefined) throw new HubError('CONFLICT', `Badge ${badgeId} is already used by ${taken.name}.`, { details: { badgeId } });
      this.store.operators.insert(record);
      this.audit.append({ operatorId: actorId, action: 'operator.add', subject: record.id, details: { name, badgeId, role } });
    });
    return toOperator({ ...record, active: true });
  }

  /** Every operator, active or not, by name. */
  list(): OperatorListing[] {
    return this.store.operators.list().map((r) => ({ ...toOperator(r), active: r.active, createdAt: r.createdAt }));
  }

  /** The operator with this id (for names in listings), or undefined. */
  find(id: string): Operator | undefined {
    const r = this.store.operators.findById(id);
    return r === undefined ? undefined : toOperator(r);
  }

  /**
   * Check a badge id and PIN. Every failure is audited (`operator.sign-in-failed`); after
   * {@link SIGN_IN_FAILURES_BEFORE_LOCK} in a row the badge is locked for {@link SIGN_IN_LOCK_MS},
   * during which even the right PIN is refused.
   * @throws HubError `AUTH_FAILED` — the same message for an unknown badge and a wrong PIN.
   */
  authenticate(badgeIdRaw: string, pin: string): Operator {
    const badgeId = badgeIdRaw.trim();
    const now = this.now();
    const count = this.store.signInFailures.get(badgeId);
    if (count?.lockedUntil !== undefined) {
      if (now < count.lockedUntil) {
        const seconds = Math.ceil((count.lockedUntil - now) / 1000);
        this.audit.append({ operatorId: null, action: 'operator.sign-in-failed', subject: badgeId, details: { reason: 'locked', retryAfterSeconds: seconds } });
        throw new HubError('AUTH_FAILED', `Too many failed sign-ins with this badge: it is locked. Try again in ${seconds} s.`, {
          details: { locked: true, retryAfterSeconds: seconds },
        });
      }
      this.store.signInFailures.clear(badgeId); // the lock has run out: a fresh start
    }
    const record = this.store.operators.findByBadge(badgeId);
    // An unknown badge still costs one scrypt, so the answer's timing does not tell it apart.
    const pinOk = verifyPin(pin, record?.pinHash ?? this.dummy());
    if (record !== undefined && record.active && pinOk) {
      if (count !== undefined) this.store.signInFailures.clear(badgeId);
      return toOperator(record);
    }
    const reason = record === undefined ? 'unknown-badge' : !record.active ? 'inactive' : 'wrong-pin';
    const failures = (count?.lockedUntil === undefined ? (count?.failures ?? 0) : 0) + 1;
    const locked = failures >= SIGN_IN_FAILURES_BEFORE_LOCK;
    // The counter and its audit row commit together: a lock is never without its record.
    this.store.transaction(() => {
      this.track(badgeId, locked ? { failures, lockedUntil: now + SIGN_IN_LOCK_MS } : { failures }, now);
      this.audit.append({ operatorId: null, action: 'operator.sign-in-failed', subject: badgeId, details: { reason, failures, locked } });
    });
    if (locked) {
      throw new HubError('AUTH_FAILED', `${AUTH_FAILED_MESSAGE} Too many failed sign-ins: this badge is locked for ${SIGN_IN_LOCK_MS / 1000} s.`, {
        details: { locked: true, retryAfterSeconds: SIGN_IN_LOCK_MS / 1000 },
      });
    }
    throw new HubError('AUTH_FAILED', AUTH_FAILED_MESSAGE);
  }

  /** Write a badge's counter (inside the caller's transaction). */
  private track(badgeId: string, count: SignInFailureRecord, now: number): void {
    if (this.store.signInFailures.size() >= MAX_TRACKED_BADGES && this.store.signInFailures.get(badgeId) === undefined) {
      // Bounded size under a flood of made-up badge ids; locked badges stay locked.
      this.store.signInFailures.forgetUnlocked();
    }
    this.store.signInFailures.set(badgeId, count, new Date(now).toISOString());
  }

  private dummy(): string {
    this.dummyHash ??= hashPin('0000');
    return this.dummyHash;
  }
}
