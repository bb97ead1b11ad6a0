import { AuditRepo } from './audit-repo.ts';
import { ExportTargetsRepo } from './export-targets-repo.ts';
import { OutboxRepo } from './outbox-repo.ts';
import type { HubStore } from './hub-store.ts';
import { OperatorsRepo } from './operators-repo.ts';
import { PatientsRepo } from './patients-repo.ts';
import { PortsRepo } from './ports-repo.ts';
import { ReviewsRepo } from './reviews-repo.ts';
import { guardStore } from './store-errors.ts';

/**
 * The tables of the assistant's workflow (schema v2) over one open HubStore, and the one way to
 * group their writes: `transaction`. main/workflow uses this instead of the connection, so SQL
 * and better-sqlite3 stay in main/store.
 */
export class WorkflowStore {
  readonly operators: OperatorsRepo;
  readonly patients: PatientsRepo;
  readonly reviews: ReviewsRepo;
  readonly audit: AuditRepo;
  readonly targets: ExportTargetsRepo;
  readonly outbox: OutboxRepo;
  /** Ports and their driver assignments (schema v4, issue 6). */
  readonly ports: PortsRepo;

  constructor(readonly hub: HubStore) {
    this.operators = new OperatorsRepo(hub.db);
    this.patients = new PatientsRepo(hub.db);
    this.reviews = new ReviewsRepo(hub.db);
    this.audit = new AuditRepo(hub.db);
    this.targets = new ExportTargetsRepo(hub.db);
    this.outbox = new OutboxRepo(hub.db);
    this.ports = new PortsRepo(hub.db);
  }

  /**
   * Run `fn` as one IMMEDIATE transaction: everything it writes (the change and its audit row)
   * commits together or not at all. Inside another transaction it becomes a savepoint, so
   * `hub.ingest` can take part in a larger change. IMMEDIATE takes the write lock up front, so a
   * read-then-write (the audit chain's last hash) cannot race another process.
   *
   * @throws whatever `fn` throws (nothing is written); HubError `STORE_FAILED` when SQLite fails.
   */
  transaction<T>(fn: () => T): T {
    const run = this.hub.db.transaction(fn);
    return guardStore('save the change', () => run.immediate());
  }

  /**
   * Run `fn` as one read transaction: a consistent snapshot (WAL) that never blocks the hub's
   * writers, for long reads such as verifying the whole audit log.
   */
  snapshot<T>(fn: () => T): T {
    const run = this.hub.db.transaction(fn);
    return guardStore('read the store', () => run.deferred());
  }
}
