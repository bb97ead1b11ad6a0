import type Database from 'better-sqlite3';
import { z } from 'zod';
import { HubError } from '../../shared/errors.ts';

/** Wrong PINs in a row for one badge id, and until when (epoch ms) it is locked. */
export interface SignInFailureRecord {
  failures: number;
  lockedUntil?: number;
}

const RowSchema = z
  .object({ failures: z.number().int().min(1), locked_until: z.number().int().nullable() })
  .transform((r): SignInFailureRecord => (r.locked_until === null ? { failures: r.failures } : { failures: r.failures, lockedUntil: r.locked_until }));

/**
 * The session tables of schema v5: `sign_in_failures` (the lockout counters of operators' badges)
 * and `session_settings` (the workstation's inactivity lock time).
 */
export class SignInFailuresRepo {
  private readonly one: Database.Statement<[string], unknown>;
  private readonly upsert: Database.Statement<[string, number, number | null, string]>;
  private readonly remove: Database.Statement<[string]>;
  private readonly count: Database.Statement<[], { n: number }>;
  private readonly pruneUnlocked: Database.Statement<[]>;
  private readonly lockRow: Database.Statement<[], { lock_after_ms: unknown }>;
  private readonly setLock: Database.Statement<[number, string]>;

  constructor(db: Database.Database) {
    this.one = db.prepare('SELECT failures, locked_until FROM sign_in_failures WHERE badge_id = ?');
    this.upsert = db.prepare(
      `INSERT INTO sign_in_failures (badge_id, failures, locked_until, updated_at) VALUES (?, ?, ?, ?)
       ON CONFLICT (badge_id) DO UPDATE SET failures = excluded.failures, locked_until = excluded.locked_until, updated_at = excluded.updated_at`,
    );
    this.remove = db.prepare('DELETE FROM sign_in_failures WHERE badge_id = ?');
    this.count = db.prepare('SELECT count(*) AS n FROM sign_in_failures') as Database.Statement<[], { n: number }>;
    this.pruneUnlocked = db.prepare('DELETE FROM sign_in_failures WHERE locked_until IS NULL');
    this.lockRow = db.prepare('SELECT lock_after_ms FROM session_settings WHERE id = 1') as Database.Statement<[], { lock_after_ms: unknown }>;
    this.setLock = db.prepare(
      `INSERT INTO session_settings (id, lock_after_ms, updated_at) VALUES (1, ?, ?)
       ON CONFLICT (id) DO UPDATE SET lock_after_ms = excluded.lock_after_ms, updated_at = excluded.updated_at`,
    );
  }

  /** The counter of a badge id, or undefined when it has no failures. */
  get(badgeId: string): SignInFailureRecord | undefined {
    const row = this.one.get(badgeId);
    if (row === undefined) return undefined;
    const parsed = RowSchema.safeParse(row);
    if (!parsed.success) throw new HubError('STORE_FAILED', 'A stored sign-in failure counter is damaged.', { cause: parsed.error });
    return parsed.data;
  }

  /** Write a badge id's counter (`at`: ISO time, for a support engineer reading the table). */
  set(badgeId: string, record: SignInFailureRecord, at: string): void {
    this.upsert.run(badgeId, record.failures, record.lockedUntil ?? null, at);
  }

  /** Forget a badge id's counter (signed in, or its lock ran out). */
  clear(badgeId: string): void {
    this.remove.run(badgeId);
  }

  /** How many badge ids have a counter. */
  size(): number {
    return this.count.get()?.n ?? 0;
  }

  /** The workstation's inactivity lock time (ms), when its configuration set one. */
  lockAfterMs(): number | undefined {
    const row = this.lockRow.get();
    return row === undefined ? undefined : z.number().int().positive().parse(row.lock_after_ms);
  }

  /** Set the workstation's inactivity lock time (ms). */
  setLockAfterMs(ms: number, at: string): void {
    this.setLock.run(ms, at);
  }

  /** Forget every counter that is not a lock (bounded size under a flood of made-up badge ids). */
  forgetUnlocked(): void {
    this.pruneUnlocked.run();
  }
}
