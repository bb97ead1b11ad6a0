import { createHash, randomBytes } from 'node:crypto';
import type { Operator, Patient } from '../../shared/api/model.ts';

/** The session of calls made by the hub itself (command line, demo, tests). */
export const INTERNAL_SESSION = 'internal';
/** Default inactivity before a session locks (docs/architecture.md §8): five minutes. */
export const DEFAULT_LOCK_AFTER_MS = 5 * 60_000;
/** A session nobody used for this long is forgotten (its operator signed out). */
export const SESSION_IDLE_DROP_MS = 12 * 60 * 60_000;
/** Random bytes of a browser session's key: 256 bits, never guessed. */
const SESSION_KEY_BYTES = 32;
/** Sessions kept at most; the idlest are dropped first beyond this (a flood of cookieless requests). */
const MAX_SESSIONS = 10_000;

/** Which session a call belongs to (CallContext has it). */
export interface SessionRef {
  readonly session: string;
}

/**
 * The workflow's context of one client: who is signed in there, which patient they selected and
 * when, when the person last did something, and whether the session is locked.
 */
export interface WorkContext {
  /** The session's key (a browser's cookie value: a secret, never logged). */
  readonly key: string;
  /** A short name of the session for audit rows, that does not give the key away. */
  readonly shortId: string;
  operator?: Operator;
  patient?: Patient;
  /** When the patient was selected (epoch ms). */
  selectedAt?: number;
  /** The person's last activity in this session (epoch ms). */
  lastActivity: number;
  locked: boolean;
}

/**
 * The sessions of one workstation: one per browser (cookie), per Electron window and one for the
 * hub's own calls. Holds no store: what happens to a session is audited by the workflow.
 */
export class WorkSessions {
  private readonly contexts = new Map<string, WorkContext>();

  /**
   * @param now the clock (epoch ms).
   * @param lockAfterMs inactivity after which a signed-in session locks.
   */
  constructor(
    private readonly now: () => number,
    private lockAfter: number = DEFAULT_LOCK_AFTER_MS,
  ) {}

  /** Inactivity after which a signed-in session locks. */
  get lockAfterMs(): number {
    return this.lockAfter;
  }

  /** A new lock time (a configuration file was imported); sessions already idle that long lock at their next call. */
  setLockAfterMs(ms: number): void {
    this.lockAfter = ms;
  }

  /** A new browser session with a random key (the cookie value). */
  open(): string {
    const key = randomBytes(SESSION_KEY_BYTES).toString('base64url');
    this.get(key);
    return key;
  }

  /** Whether `key` names a live session (a forged or forgotten cookie does not). */
  isOpen(key: string): boolean {
    return this.contexts.has(key);
  }

  /** The context of `key`, made (empty) when there is none. */
  get(key: string): WorkContext {
    let context = this.contexts.get(key);
    if (context === undefined) {
      if (this.contexts.size >= MAX_SESSIONS) this.dropIdlest();
      context = { key, shortId: shortId(key), lastActivity: this.now(), locked: false };
      this.contexts.set(key, context);
    }
    return context;
  }

  /** Every session. */
  all(): WorkContext[] {
    return [...this.contexts.values()];
  }

  /** Signed-in, unlocked sessions idle for the lock time: the ones to lock now. */
  dueToLock(): WorkContext[] {
    const now = this.now();
    return this.all().filter((c) => c.operator !== undefined && !c.locked && now - c.lastActivity >= this.lockAfterMs);
  }

  /** Forget sessions idle for {@link SESSION_IDLE_DROP_MS}; returns them (to sign their operators out). */
  dropIdle(): WorkContext[] {
    const now = this.now();
    const dropped = this.all().filter((c) => now - c.lastActivity >= SESSION_IDLE_DROP_MS);
    for (const c of dropped) this.contexts.delete(c.key);
    return dropped;
  }

  private dropIdlest(): void {
    let idlest: WorkContext | undefined;
    for (const c of this.contexts.values()) if (idlest === undefined || c.lastActivity < idlest.lastActivity) idlest = c;
    if (idlest !== undefined) this.contexts.delete(idlest.key);
  }
}

/** Eight hex digits of the key's hash: tells sessions apart in the audit log without revealing a cookie. */
function shortId(key: string): string {
  return key === INTERNAL_SESSION || key.startsWith('ipc:') ? key : createHash('sha256').update(key).digest('hex').slice(0, 8);
}
