import type Database from 'better-sqlite3';
import { AdtMessagesRepo } from './adt-messages-repo.ts';
import { AuditRepo } from './audit-repo.ts';
import { ConfigFollowRepo } from './config-follow-repo.ts';
import { DriverDefaultsRepo } from './driver-defaults-repo.ts';
import { ExportTargetsRepo } from './export-targets-repo.ts';
import { PatientSourcesRepo } from './patient-sources-repo.ts';
import { VisitsRepo } from './visits-repo.ts';
import { MemoryImportSettingsRepo } from './memory-import-settings-repo.ts';
import { OperatorsRepo } from './operators-repo.ts';
import { OutboxRepo } from './outbox-repo.ts';
import { PatientCacheSettingsRepo } from './patient-cache-settings-repo.ts';
import { PatientsRepo } from './patients-repo.ts';
import { PortsRepo } from './ports-repo.ts';
import { QcRepo } from './qc-repo.ts';
import { ReadingsRepo } from './readings-repo.ts';
import { ReviewSettingsRepo } from './review-settings-repo.ts';
import { ReviewsRepo } from './reviews-repo.ts';
import { SessionsRepo } from './sessions-repo.ts';
import { SignInFailuresRepo } from './sign-in-failures-repo.ts';
import { assertRoomToStore, MIN_START_ROOM_BYTES, probeWritable, roomLeftBytes } from './storage-room.ts';
import { guardStore } from './store-errors.ts';

/** Run a function as one transaction (see {@link HubDatabase.transaction}); what services receive to group their writes. */
type Transact = <T>(fn: () => T) => T;

/**
 * The hub's one open SQLite database: the connection, every repository over it, and the one way
 * to group writes (`transaction`). Get one from `openStore`; the composition root (main/app.ts,
 * or a CLI command) builds it once and hands each service only the repositories it needs, so SQL
 * and better-sqlite3 stay in main/store. After `close()` every repository method throws.
 */
export class HubDatabase {
  /** Sessions with devices and the frames that belong to no reading. */
  readonly sessions: SessionsRepo;
  /** Readings, their observations and raw frames (ingest is one transaction). */
  readonly readings: ReadingsRepo;
  readonly operators: OperatorsRepo;
  readonly patients: PatientsRepo;
  readonly reviews: ReviewsRepo;
  readonly audit: AuditRepo;
  readonly targets: ExportTargetsRepo;
  readonly outbox: OutboxRepo;
  /** Ports, their driver assignments and the discovery settings. */
  readonly ports: PortsRepo;
  /** Control lots, control evaluations and QC intervals. */
  readonly qc: QcRepo;
  /** Wrong-PIN counters per badge: lockouts that survive a restart. */
  readonly signInFailures: SignInFailuresRepo;
  /** This workstation's review rules (the age limit of results). */
  readonly reviewSettings: ReviewSettingsRepo;
  /** How recent a memory result must be to be pre-selected for import. */
  readonly memoryImport: MemoryImportSettingsRepo;
  /** Where patients are looked up or pushed from (FHIR, HL7 ADT). */
  readonly patientSources: PatientSourcesRepo;
  /** Today's visits and appointments, as the patient sources told them. */
  readonly visits: VisitsRepo;
  /** ADT messages already answered, by sender and control id (a resend is never applied twice). */
  readonly adtMessages: AdtMessagesRepo;
  /** How long the patient cache keeps what sources told it. */
  readonly patientCache: PatientCacheSettingsRepo;
  /** The central configuration this workstation follows, and its last good version. */
  readonly configFollow: ConfigFollowRepo;
  /** Central option values and device roles per driver (a port's own value wins). */
  readonly driverDefaults: DriverDefaultsRepo;

  /**
   * @param db an open, migrated connection; this object owns it from now on.
   * @param file the path it was opened from (or `:memory:`), for messages.
   */
  constructor(
    /** The connection itself: for tests and migrations only; services use the repositories. */
    readonly db: Database.Database,
    readonly file: string,
  ) {
    this.sessions = new SessionsRepo(db);
    this.readings = new ReadingsRepo(db, this.sessions);
    this.operators = new OperatorsRepo(db);
    this.patients = new PatientsRepo(db);
    this.reviews = new ReviewsRepo(db);
    this.audit = new AuditRepo(db);
    this.targets = new ExportTargetsRepo(db);
    this.outbox = new OutboxRepo(db);
    this.ports = new PortsRepo(db);
    this.qc = new QcRepo(db);
    this.signInFailures = new SignInFailuresRepo(db);
    this.reviewSettings = new ReviewSettingsRepo(db);
    this.memoryImport = new MemoryImportSettingsRepo(db);
    this.patientSources = new PatientSourcesRepo(db);
    this.visits = new VisitsRepo(db);
    this.adtMessages = new AdtMessagesRepo(db);
    this.patientCache = new PatientCacheSettingsRepo(db);
    this.configFollow = new ConfigFollowRepo(db);
    this.driverDefaults = new DriverDefaultsRepo(db);
  }

  /**
   * Run `fn` as one IMMEDIATE transaction: everything it writes (the change and its audit row)
   * commits together or not at all. Inside another transaction it becomes a savepoint, so
   * `readings.ingest` can take part in a larger change. IMMEDIATE takes the write lock up front,
   * so a read-then-write (the audit chain's last hash) cannot race another process.
   *
   * An arrow property, so it can be handed to a service on its own.
   *
   * @throws whatever `fn` throws (nothing is written); HubError `STORE_FAILED` when SQLite fails.
   */
  readonly transaction: Transact = (fn) => {
    const run = this.db.transaction(fn);
    return guardStore('save the change', () => run.immediate(), this.file);
  };

  /**
   * Run `fn` as one read transaction: a consistent snapshot (WAL) that never blocks the hub's
   * writers, for long reads such as verifying the whole audit log.
   */
  readonly snapshot: Transact = (fn) => {
    const run = this.db.transaction(fn);
    return guardStore('read the store', () => run.deferred());
  };

  /**
   * Refuse to start storing readings on a disk that is full for practical purposes: a command
   * that stores (`serve`, `read`, `config import`) calls this after opening.
   * @throws HubError `STORAGE_FULL` naming the data folder.
   */
  assertRoomToStore(): void {
    assertRoomToStore(this.db, this.file);
  }

  /**
   * Whether the store would take writes now: the folder is writable and has at least the room a
   * start needs. Writes nothing; the hub asks it while storing fails, to know when to stop saying so.
   */
  canStore(): boolean {
    try {
      probeWritable(this.db);
      return roomLeftBytes(this.db, this.file) >= MIN_START_ROOM_BYTES;
    } catch {
      return false;
    }
  }

  /** Close the database. Safe to call twice. */
  close(): void {
    if (this.db.open) this.db.close();
  }
}
