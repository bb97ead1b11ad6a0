import { createHash } from 'node:crypto';
import type { AuditEntry } from '../../shared/api/model.ts';
import { HubError } from '../../shared/errors.ts';
import { canonicalJson } from '../store/fingerprint.ts';
import type { AuditRow } from '../store/audit-repo.ts';
import type { HubDatabase } from '../store/hub-database.ts';

/** The `prev_hash` of the first row: there is no previous row. */
export const GENESIS_HASH = '0'.repeat(64);
/** `listAudit` returns this many rows unless asked otherwise. */
const AUDIT_LIST_DEFAULT = 100;
const AUDIT_LIST_MAX = 1000;

/** What one audit row says; the hash covers exactly these fields. */
interface AuditFields {
  seq: number;
  at: string;
  workstation: string;
  operator: string | null;
  action: string;
  subject: string | null;
  details: Record<string, unknown>;
}

/** Something to record: who did what to which subject. */
interface AuditEvent {
  operatorId: string | null;
  action: string;
  subject?: string;
  details?: Record<string, unknown>;
}

/** The verifier's answer (the `verifyAudit` method's output). */
interface AuditVerification {
  ok: boolean;
  /** Rows in the log. */
  rows: number;
  /** The seq of the first row that is changed, out of the chain, or missing. */
  brokenAt?: number;
  message: string;
}

/**
 * sha256 (hex) over the previous row's hash and a canonical JSON of the row's own fields (sorted
 * keys at every level), so the same row always hashes the same whatever order its details were
 * built in, and any change to any field — or to an earlier row — changes it.
 */
export function auditRowHash(prevHash: string, f: AuditFields): string {
  const own = canonicalJson({ seq: f.seq, at: f.at, workstation: f.workstation, operator: f.operator, action: f.action, subject: f.subject, details: f.details });
  return createHash('sha256').update(`${prevHash}\n${own}`, 'utf8').digest('hex');
}

/**
 * Walk the chain in seq order and report the first problem: a seq gap (deleted rows), a row
 * whose `prev_hash` is not the previous row's hash (a row replaced or re-chained), or a row whose
 * hash does not match its contents (an edited row). `highestIssued` is the largest seq ever
 * handed out; rows above the last one present were deleted from the end.
 */
export function verifyAuditRows(rows: Iterable<AuditRow>, highestIssued: number): AuditVerification {
  let expected = 1;
  let prev = GENESIS_HASH;
  let count = 0;
  let broken: { at: number; message: string } | undefined;
  for (const row of rows) {
    count += 1;
    if (broken !== undefined) continue; // keep counting only
    broken = checkRow(row, expected, prev);
    prev = row.hash;
    expected = row.seq + 1;
  }
  const last = expected - 1;
  if (broken === undefined && highestIssued > last) {
    const missing = last + 1 === highestIssued ? `row ${highestIssued} is` : `rows ${last + 1} to ${highestIssued} are`;
    broken = { at: last + 1, message: `audit ${missing} missing: the log ends at row ${last}, but rows up to ${highestIssued} were written (deleted)` };
  }
  if (broken !== undefined) return { ok: false, rows: count, brokenAt: broken.at, message: broken.message };
  return { ok: true, rows: count, message: `audit log intact: ${count} row${count === 1 ? '' : 's'}` };
}

function checkRow(row: AuditRow, expected: number, prev: string): { at: number; message: string } | undefined {
  if (row.seq !== expected) {
    if (row.seq < expected) return { at: row.seq, message: `audit row ${row.seq} is out of order (expected row ${expected})` };
    const missing = row.seq - expected === 1 ? `row ${expected} is` : `rows ${expected} to ${row.seq - 1} are`;
    return { at: expected, message: `audit ${missing} missing: the log jumps from row ${expected - 1} to row ${row.seq} (deleted)` };
  }
  if (row.prevHash !== prev) {
    return { at: row.seq, message: `audit row ${row.seq} does not follow row ${row.seq - 1}: its previous-row hash does not match (a row was changed or replaced)` };
  }
  let details: unknown;
  try {
    details = JSON.parse(row.details);
  } catch {
    return { at: row.seq, message: `audit row ${row.seq} was changed: its details are not valid JSON` };
  }
  if (typeof details !== 'object' || details === null || Array.isArray(details)) {
    return { at: row.seq, message: `audit row ${row.seq} was changed: its details are not a JSON object` };
  }
  const hash = auditRowHash(prev, { ...row, operator: row.operatorId, details: details as Record<string, unknown> });
  if (hash !== row.hash) return { at: row.seq, message: `audit row ${row.seq} was changed: its hash does not match its contents` };
  return undefined;
}

/**
 * The append-only audit log (docs/architecture.md §7): who did what, when, on which workstation. Rows are
 * chained by hash; the store's triggers refuse UPDATE and DELETE, and the chain shows edits made
 * by someone who dropped the triggers.
 */
export class AuditLog {
  constructor(
    private readonly store: Pick<HubDatabase, 'audit' | 'transaction' | 'snapshot'>,
    private readonly workstation: string,
    private readonly now: () => number,
  ) {}

  /**
   * Append one row. Call it inside the transaction of the change it records, so both commit or
   * neither does; on its own it is its own transaction. The last hash is read and the row written
   * under the write lock, so two processes cannot fork the chain.
   */
  append(event: AuditEvent): AuditRow {
    return this.store.transaction(() => {
      const last = this.store.audit.last();
      // max() with the highest issued seq: AUTOINCREMENT never reuses one, so a deletion at the end
      // stays visible as a gap instead of being papered over by the next row.
      const seq = Math.max(last?.seq ?? 0, this.store.audit.highestIssuedSeq()) + 1;
      const details = event.details ?? {};
      const fields: AuditFields = {
        seq,
        at: new Date(this.now()).toISOString(),
        workstation: this.workstation,
        operator: event.operatorId,
        action: event.action,
        subject: event.subject ?? null,
        details,
      };
      const prevHash = last?.hash ?? GENESIS_HASH;
      let detailsText: string;
      try {
        detailsText = canonicalJson(details);
      } catch (e) {
        throw new HubError('INPUT_INVALID', `Audit details for ${event.action} are not plain JSON.`, { cause: e });
      }
      const row: AuditRow = { ...fields, operatorId: event.operatorId, details: detailsText, prevHash, hash: auditRowHash(prevHash, fields) };
      this.store.audit.insert(row);
      return row;
    });
  }

  /** Newest rows first, for the UI. */
  list(limit = AUDIT_LIST_DEFAULT, who: 'all' | 'people' = 'all'): AuditEntry[] {
    const n = Math.min(Math.max(1, Math.trunc(limit)), AUDIT_LIST_MAX);
    return this.store.audit.listNewest(n, who === 'people').map((r) => {
      let details: Record<string, unknown>;
      try {
        details = JSON.parse(r.details) as Record<string, unknown>;
      } catch {
        // Shown, not hidden: a damaged row is exactly what the reader of an audit log must see.
        details = { unreadable: r.details };
      }
      return {
        seq: r.seq,
        at: r.at,
        ...(r.operatorName === null ? (r.operatorId === null ? {} : { operator: r.operatorId }) : { operator: r.operatorName }),
        action: r.action,
        ...(r.subject === null ? {} : { subject: r.subject }),
        details,
        hash: r.hash,
      };
    });
  }

  /** Check the whole chain (see {@link verifyAuditRows}) in one consistent snapshot. */
  verify(): AuditVerification {
    return this.store.snapshot(() => verifyAuditRows(this.store.audit.iterate(), this.store.audit.highestIssuedSeq()));
  }
}
