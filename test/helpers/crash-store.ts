import Database from 'better-sqlite3';
import { AuditRepo } from '../../main/store/audit-repo.ts';
import { verifyAuditRows } from '../../main/workflow/audit-log.ts';

/**
 * What a whole-pipeline crash test reads from the hub's store between kills, through its own
 * read-only connection (the hub is dead then, so this is exactly the file the crash left).
 */
export interface StoreAfterCrash {
  /** `PRAGMA integrity_check` answer: `ok` or the problems SQLite found. */
  integrity: string;
  /** The audit chain check, as `pochub audit verify` reports it. */
  audit: { ok: boolean; rows: number; message: string };
  /** Readings stored per driver. */
  readingsByDriver: Record<string, number>;
  /** Ids of the readings stored as confirmed. */
  confirmed: Set<string>;
  /** Outbox rows per state. */
  outbox: Record<string, number>;
  /** Confirmed readings lacking an outbox row for one of `targets` (must stay 0). */
  missingOutbox: number;
  /** Per driver: sessions started at or after `since` and never ended (the kill cut them). */
  openSessions: Record<string, number>;
}

/**
 * Open `file` read-only and read everything a crash test checks; `since` (ISO) bounds the
 * sessions counted in `openSessions` to the hub run that was just killed.
 */
export function readStoreAfterCrash(file: string, targets: readonly string[], since: string): StoreAfterCrash {
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    const integrity = (db.pragma('integrity_check') as { integrity_check: string }[]).map((r) => r.integrity_check).join('; ');
    const audit = new AuditRepo(db);
    const verified = verifyAuditRows(audit.iterate(), audit.highestIssuedSeq());
    const byDriver = db.prepare<[], { driver_id: string; n: number }>('SELECT driver_id, count(*) AS n FROM readings GROUP BY driver_id').all();
    const confirmed = new Set(db.prepare<[], { id: string }>("SELECT id FROM readings WHERE state = 'confirmed'").all().map((r) => r.id));
    const outbox = db.prepare<[], { state: string; n: number }>('SELECT state, count(*) AS n FROM outbox GROUP BY state').all();
    const placeholders = targets.map(() => '?').join(', ');
    const missing = db
      .prepare<string[], { n: number }>(
        `SELECT count(*) AS n FROM readings r CROSS JOIN export_targets t WHERE r.state = 'confirmed' AND t.id IN (${placeholders}) AND NOT EXISTS (SELECT 1 FROM outbox o WHERE o.reading_id = r.id AND o.target_id = t.id)`,
      )
      .get(...targets);
    const open = db.prepare<[string], { driver_id: string; n: number }>('SELECT driver_id, count(*) AS n FROM sessions WHERE started_at >= ? AND ended_at IS NULL GROUP BY driver_id').all(since);
    return {
      integrity,
      audit: { ok: verified.ok, rows: verified.rows, message: verified.message },
      readingsByDriver: Object.fromEntries(byDriver.map((r) => [r.driver_id, r.n])),
      confirmed,
      outbox: Object.fromEntries(outbox.map((r) => [r.state, r.n])),
      missingOutbox: missing?.n ?? 0,
      openSessions: Object.fromEntries(open.map((r) => [r.driver_id, r.n])),
    };
  } finally {
    db.close();
  }
}
