import type Database from 'better-sqlite3';
import { guardStore } from './store-errors.ts';

/** One `audit_log` row as stored. `details` is the JSON text exactly as written. */
export interface AuditRow {
  seq: number;
  at: string;
  workstation: string;
  operatorId: string | null;
  action: string;
  subject: string | null;
  details: string;
  prevHash: string;
  hash: string;
}

/** One audit_log row as SQLite hands it over (column names), before it becomes an AuditRow. */
interface AuditSqlRow {
  seq: number;
  at: string;
  workstation: string;
  operator_id: string | null;
  action: string;
  subject: string | null;
  details: string;
  prev_hash: string;
  hash: string;
}

const toRow = (r: AuditSqlRow): AuditRow => ({
  seq: r.seq,
  at: r.at,
  workstation: r.workstation,
  operatorId: r.operator_id,
  action: r.action,
  subject: r.subject,
  details: r.details,
  prevHash: r.prev_hash,
  hash: r.hash,
});

const COLUMNS = 'seq, at, workstation, operator_id, action, subject, details, prev_hash, hash';

/**
 * The `audit_log` table (schema v2): insert and read only — the table's triggers refuse UPDATE
 * and DELETE. Hashing and the chain rules live in main/workflow/audit-log.ts.
 */
export class AuditRepo {
  private readonly insertRow: Database.Statement<AuditSqlRow>;
  private readonly lastRow: Database.Statement<[], { seq: number; hash: string }>;
  private readonly issued: Database.Statement<[], { seq: number }>;
  private readonly newest: Database.Statement<[number], AuditSqlRow & { operator_name: string | null }>;
  private readonly newestByPeople: Database.Statement<[number], AuditSqlRow & { operator_name: string | null }>;
  private readonly inOrder: Database.Statement<[], AuditSqlRow>;

  constructor(db: Database.Database) {
    this.insertRow = db.prepare(`INSERT INTO audit_log (${COLUMNS}) VALUES (@seq, @at, @workstation, @operator_id, @action, @subject, @details, @prev_hash, @hash)`);
    this.lastRow = db.prepare('SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1');
    // AUTOINCREMENT keeps the highest seq ever issued in sqlite_sequence, even after the last rows
    // are deleted: that is how a deletion at the end of the log is still seen.
    this.issued = db.prepare("SELECT seq FROM sqlite_sequence WHERE name = 'audit_log'");
    this.newest = db.prepare(
      `SELECT a.seq, a.at, a.workstation, a.operator_id, a.action, a.subject, a.details, a.prev_hash, a.hash, o.name AS operator_name
       FROM audit_log a LEFT JOIN operators o ON o.id = a.operator_id ORDER BY a.seq DESC LIMIT ?`,
    );
    this.newestByPeople = db.prepare(
      `SELECT a.seq, a.at, a.workstation, a.operator_id, a.action, a.subject, a.details, a.prev_hash, a.hash, o.name AS operator_name
       FROM audit_log a LEFT JOIN operators o ON o.id = a.operator_id WHERE a.operator_id IS NOT NULL ORDER BY a.seq DESC LIMIT ?`,
    );
    this.inOrder = db.prepare(`SELECT ${COLUMNS} FROM audit_log ORDER BY seq`);
  }

  /** The newest row's seq and hash, or undefined for an empty log. */
  last(): { seq: number; hash: string } | undefined {
    return guardStore('read the audit log', () => this.lastRow.get());
  }

  /** The highest seq ever issued (0 when none), whether or not that row still exists. */
  highestIssuedSeq(): number {
    return guardStore('read the audit log', () => this.issued.get()?.seq ?? 0);
  }

  insert(row: AuditRow): void {
    guardStore('write the audit log', () =>
      this.insertRow.run({
        seq: row.seq,
        at: row.at,
        workstation: row.workstation,
        operator_id: row.operatorId,
        action: row.action,
        subject: row.subject,
        details: row.details,
        prev_hash: row.prevHash,
        hash: row.hash,
      }),
    );
  }

  /** Newest rows first, with the operator's name where the row has one. */
  listNewest(limit: number, peopleOnly = false): (AuditRow & { operatorName: string | null })[] {
    const statement = peopleOnly ? this.newestByPeople : this.newest;
    return guardStore('read the audit log', () => statement.all(limit)).map((r) => ({ ...toRow(r), operatorName: r.operator_name }));
  }

  /** Every row in seq order, one at a time (the log only grows; verification must not load it whole). */
  *iterate(): Generator<AuditRow> {
    for (const r of this.inOrder.iterate()) yield toRow(r);
  }
}
