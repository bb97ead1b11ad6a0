import type Database from 'better-sqlite3';

/** Outbox row states, as the outbox table's CHECK lists them. */
export const OUTBOX_ROW_STATES = ['pending', 'sending', 'done', 'failed', 'dead'] as const;

/**
 * The read-only counts behind the Prometheus metrics (docs/monitoring.md). Plain SELECTs on the
 * open store: under WAL they never block the hub's writes. Counters come from append-only tables
 * (export_attempts, readings), so they never go back across a restart.
 */
export class MetricsQueries {
  constructor(private readonly db: Database.Database) {}

  targetIds(): string[] {
    return this.db.prepare('SELECT id FROM export_targets ORDER BY id').pluck().all() as string[];
  }

  outboxCounts(): { target: string; state: string; n: number }[] {
    return this.db.prepare('SELECT target_id AS target, state, count(*) AS n FROM outbox GROUP BY target_id, state').all() as { target: string; state: string; n: number }[];
  }

  deadRows(): number {
    return this.db.prepare("SELECT count(*) FROM outbox WHERE state = 'dead'").pluck().get() as number;
  }

  /** Per target, the creation time of the oldest row still to leave (pending, sending or failed). */
  oldestWaiting(): { target: string; oldest: string }[] {
    return this.db.prepare("SELECT target_id AS target, min(created_at) AS oldest FROM outbox WHERE state IN ('pending', 'sending', 'failed') GROUP BY target_id").all() as { target: string; oldest: string }[];
  }

  attemptCounts(): { target: string; outcome: string; n: number }[] {
    return this.db.prepare('SELECT o.target_id AS target, a.outcome, count(*) AS n FROM export_attempts a JOIN outbox o ON o.id = a.outbox_id GROUP BY o.target_id, a.outcome').all() as { target: string; outcome: string; n: number }[];
  }

  readingsByState(): Map<string, number> {
    const rows = this.db.prepare('SELECT state, count(*) AS n FROM readings GROUP BY state').all() as { state: string; n: number }[];
    return new Map(rows.map((r) => [r.state, r.n]));
  }
}
