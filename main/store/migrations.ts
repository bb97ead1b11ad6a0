import type Database from 'better-sqlite3';
import { HubError } from '../../shared/errors.ts';
import { V2_WORKFLOW } from './schema-v2-workflow.ts';
import { V3_EXPORT } from './schema-v3-export.ts';
import { V4_PORTS } from './schema-v4-ports.ts';
import { V5_DEMO_TARGETS } from './schema-v5-demo-targets.ts';
import { V6_QC } from './schema-v6-qc.ts';
import { V7_SESSIONS } from './schema-v7-sessions.ts';
import { V8_LIMITS } from './schema-v8-limits.ts';
import { V9_IDENTITY } from './schema-v9-identity.ts';
import { V10_ROLES } from './schema-v10-roles.ts';
import { V11_PORT_KINDS } from './schema-v11-port-kinds.ts';
import { V12_PATIENT_CONTEXT } from './schema-v12-patient-context.ts';
import { V13_USB_PORTS } from './schema-v13-usb-ports.ts';
import { V14_FOLDER_PORTS } from './schema-v14-folder-ports.ts';
import { V15_CONFIG_FOLLOW } from './schema-v15-config-follow.ts';
import { V16_DRIVER_DEFAULTS } from './schema-v16-driver-defaults.ts';

/**
 * One forward-only schema step. Migrations are never edited once released and never undone:
 * a fix is a new migration. `up` runs inside the same transaction as its `schema_version` row,
 * so a database is always exactly at one version, never half-way between two.
 */
export interface Migration {
  readonly version: number;
  /** One line for `schema_version.description`, so a support engineer can read the history. */
  readonly description: string;
  readonly up: (db: Database.Database) => void;
}

/**
 * Bookkeeping table, created outside the numbered migrations because they record themselves in it.
 * The first row ever written is version 1, so an empty table means "fresh database".
 */
const SCHEMA_VERSION_DDL = `
CREATE TABLE IF NOT EXISTS schema_version (
  version     INTEGER PRIMARY KEY,
  description TEXT NOT NULL,
  applied_at  TEXT NOT NULL  -- workstation UTC time, ISO 8601
) STRICT;
`;

/** Version 1: devices, sessions, raw frames, readings and their observations (docs/architecture.md §7). */
const V1_CORE = `
-- One row per physical device we have heard from. The key is what the device says of itself,
-- scoped by driver: two drivers may report the same model string for different hardware.
CREATE TABLE devices (
  id           INTEGER PRIMARY KEY,
  driver_id    TEXT NOT NULL,
  manufacturer TEXT NOT NULL,
  model        TEXT NOT NULL,
  -- '' when the device gives no serial: UNIQUE treats NULLs as distinct, so a NULL serial would
  -- create a new device row for every reading of the same serial-less device.
  serial       TEXT NOT NULL DEFAULT '',
  firmware     TEXT,
  first_seen   TEXT NOT NULL,
  last_seen    TEXT NOT NULL,
  UNIQUE (driver_id, manufacturer, model, serial)
) STRICT;

-- One conversation with one device over one transport, kept so that every raw frame and every
-- reading can be traced back to where and when it arrived, and how the conversation ended.
CREATE TABLE sessions (
  id            TEXT PRIMARY KEY,  -- uuid: also written to logs and traces outside this file
  driver_id     TEXT NOT NULL,
  transport     TEXT NOT NULL,     -- human description, e.g. 'serial /dev/ttyUSB0 9600 8N1'
  started_at    TEXT NOT NULL,
  ended_at      TEXT,
  end_reason    TEXT,
  -- machine-readable code (shared/errors.ts) apart from the free text, so reports can group
  -- failures without parsing messages.
  error_code    TEXT,
  error_message TEXT,
  CHECK ((ended_at IS NULL) = (end_reason IS NULL))
) STRICT;

-- Bytes exactly as they crossed the wire. They are the evidence behind every value we export,
-- so they are stored before anything derived from them is acknowledged.
CREATE TABLE raw_frames (
  id          INTEGER PRIMARY KEY,
  session_id  TEXT REFERENCES sessions(id),
  direction   TEXT NOT NULL CHECK (direction IN ('in', 'out')),
  received_at TEXT NOT NULL,
  bytes       BLOB NOT NULL
) STRICT;
CREATE INDEX raw_frames_session ON raw_frames (session_id);

CREATE TABLE readings (
  -- seq gives a stable arrival order (an INTEGER PRIMARY KEY survives VACUUM; a plain rowid
  -- need not); id is the identity every other table and the outside world use.
  seq                INTEGER PRIMARY KEY,
  id                 TEXT NOT NULL UNIQUE,
  driver_id          TEXT NOT NULL,
  device_id          INTEGER NOT NULL REFERENCES devices(id),
  session_id         TEXT REFERENCES sessions(id),
  -- Checked here too because a control result filed as a patient result is a clinical error.
  kind               TEXT NOT NULL CHECK (kind IN ('patient', 'control', 'calibration')),
  device_time        TEXT,
  received_at        TEXT NOT NULL,
  effective_time     TEXT NOT NULL,
  clock_source       TEXT CHECK (clock_source IN ('device', 'workstation', 'device-corrected')),
  clock_skew_seconds REAL,
  flags              TEXT NOT NULL CHECK (json_valid(flags) AND json_type(flags) = 'array'),
  context            TEXT CHECK (context IS NULL OR json_valid(context)),
  -- sha256 of the device-side identity of the result: the same record downloaded twice or a
  -- replayed trace is recognised and not offered for review again (docs/architecture.md §7, ingest).
  fingerprint        TEXT NOT NULL UNIQUE,
  -- Review state only; export progress lives in the outbox (a later migration), so that one
  -- reading can be sent to several targets and each target keeps its own attempts.
  state              TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'confirmed', 'rejected')),
  -- The Reading JSON as validated at ingest: the columns above are for queries, this is the
  -- record. Nothing is re-derived from columns, so adding a column never changes a reading.
  reading_json       TEXT NOT NULL CHECK (json_valid(reading_json)),
  stored_at          TEXT NOT NULL
) STRICT;
CREATE INDEX readings_driver ON readings (driver_id, seq);
CREATE INDEX readings_device ON readings (device_id);
CREATE INDEX readings_session ON readings (session_id);
CREATE INDEX readings_state ON readings (state, seq);

-- Which frames a reading was made from, in order. Plain FKs (no cascade): a retention policy
-- that removes raw frames must decide explicitly what happens to the evidence of a reading.
CREATE TABLE reading_frames (
  reading_id TEXT NOT NULL REFERENCES readings(id),
  frame_id   INTEGER NOT NULL REFERENCES raw_frames(id),
  ordinal    INTEGER NOT NULL,
  PRIMARY KEY (reading_id, ordinal)
) STRICT;
CREATE INDEX reading_frames_frame ON reading_frames (frame_id);

-- One row per observation; components (e.g. systolic/diastolic of a BP panel) point at their
-- panel through parent_id. Columns mirror shared/observation.ts so results can be queried
-- (trends, QC log) without parsing JSON.
CREATE TABLE observations (
  id             INTEGER PRIMARY KEY,
  reading_id     TEXT NOT NULL REFERENCES readings(id),
  parent_id      INTEGER REFERENCES observations(id),
  ordinal        INTEGER NOT NULL,   -- position among its siblings, as the driver produced them
  code           TEXT,               -- LOINC; NULL only for an unmapped value
  display        TEXT,
  mdc            INTEGER,
  value_kind     TEXT CHECK (value_kind IN ('quantity', 'ordinal', 'text', 'unmapped')),
  value_num      REAL,
  value_unit     TEXT,
  comparator     TEXT CHECK (comparator IN ('<', '<=', '>=', '>')),
  value_code     TEXT,               -- ordinal grade code ('neg', '1+' …)
  value_text     TEXT,
  label          TEXT,               -- the device's own label of an unmapped value
  interpretation TEXT CHECK (interpretation IN ('N', 'A', 'H', 'L', 'HH', 'LL')),
  ref_low        REAL,
  ref_high       REAL,
  ref_text       TEXT,
  -- A value the driver could not map is kept, never dropped: it must say so explicitly.
  CHECK (code IS NOT NULL OR value_kind = 'unmapped'),
  CHECK (value_kind IS NOT 'quantity' OR (value_num IS NOT NULL AND value_unit IS NOT NULL)),
  CHECK (value_kind IS NOT 'unmapped' OR label IS NOT NULL)
) STRICT;
-- coalesce: top-level rows have parent_id NULL, and NULLs never collide in a UNIQUE index.
CREATE UNIQUE INDEX observations_position ON observations (reading_id, coalesce(parent_id, 0), ordinal);
CREATE INDEX observations_parent ON observations (parent_id);
CREATE INDEX observations_code ON observations (code);
`;

/** Every schema step this code knows, in order. Append only. */
export const MIGRATIONS: readonly Migration[] = [
  { version: 1, description: 'devices, sessions, raw frames, readings, observations', up: (db) => db.exec(V1_CORE) },
  // The assistant's workflow (docs/architecture.md §8). The SQL lives in schema-v2-workflow.ts (it is long).
  { version: 2, description: 'operators, patients, reviews, audit log; immutability triggers', up: (db) => db.exec(V2_WORKFLOW) },
  { version: 3, description: 'export targets, outbox, export attempts', up: (db) => db.exec(V3_EXPORT) },
  // The biomed console's ports (docs/architecture.md §6) and their driver assignments.
  { version: 4, description: 'ports and driver assignments, discovery settings', up: (db) => db.exec(V4_PORTS) },
  // Demo mode sends only to the targets it created itself (docs/architecture.md §8).
  { version: 5, description: 'export targets: created by demo mode', up: (db) => db.exec(V5_DEMO_TARGETS) },
  // Quality control (docs/architecture.md §8 rule 11): control lots, evaluations, QC intervals.
  { version: 6, description: 'QC lots, control evaluations, QC intervals per device', up: (db) => db.exec(V6_QC) },
  // Failed sign-in counters, so a badge lockout survives a restart (docs/architecture.md §8).
  { version: 7, description: 'sign-in failure counters per badge', up: (db) => db.exec(V7_SESSIONS) },
  { version: 8, description: 'review settings (age limit of results)', up: (db) => db.exec(V8_LIMITS) },
  // Patient identification (docs/architecture.md §8 rule 2): local patients are marked unverified.
  { version: 9, description: 'patients: verified against the EHR or local', up: (db) => db.exec(V9_IDENTITY) },
  // Device roles (docs/architecture.md §8): where a device's results may go; memory imports.
  { version: 10, description: 'device roles on ports and reviews, memory import window', up: (db) => db.exec(V10_ROLES) },
  // Ports the hub listens on (devices connect to it) and local web services (docs/architecture.md §6).
  { version: 11, description: 'ports: listening and local web service kinds', up: (db) => db.exec(V11_PORT_KINDS) },
  // Patient context from the EHR (docs/architecture.md §8): sources, verification, visits, ADT.
  { version: 12, description: 'patient sources, verified patients, visits, ADT messages', up: (db) => db.exec(V12_PATIENT_CONTEXT) },
  // USB devices read over their own bulk endpoints (docs/architecture.md §6), e.g. Accu-Chek meters.
  { version: 13, description: 'ports: USB bulk device kind', up: (db) => db.exec(V13_USB_PORTS) },
  // A meter mounted as a disk, read from its report files (docs/architecture.md §6).
  { version: 14, description: 'ports: mounted meter folder kind', up: (db) => db.exec(V14_FOLDER_PORTS) },
  // A central configuration this workstation follows (docs/architecture.md §6, fleet configuration).
  { version: 15, description: 'central configuration subscription and last good version', up: (db) => db.exec(V15_CONFIG_FOLLOW) },
  // Driver options and device roles set once for every port of a driver (docs/architecture.md §6, fleet configuration).
  { version: 16, description: 'central driver options and device roles', up: (db) => db.exec(V16_DRIVER_DEFAULTS) },
];

/** The newest schema version this build can read and write. */
export const SCHEMA_VERSION: number = MIGRATIONS.length;

/** The version recorded in the database; 0 for a fresh database. */
export function currentSchemaVersion(db: Database.Database): number {
  const row = db.prepare<[], { v: number | null }>('SELECT max(version) AS v FROM schema_version').get();
  return row?.v ?? 0;
}

/**
 * Bring the database up to {@link SCHEMA_VERSION}. Each migration and its version row commit
 * together in an IMMEDIATE transaction, and the version is re-read inside it, so two processes
 * opening the same file at once (app and CLI) never apply a step twice.
 *
 * @throws HubError `STORE_FAILED` when the database is newer than this code; nothing is changed.
 */
export function migrate(db: Database.Database, migrations: readonly Migration[] = MIGRATIONS): { from: number; to: number } {
  migrations.forEach((m, i) => {
    // A gap or a reordering would skip a step on some workstations: a bug, not an input error.
    if (m.version !== i + 1) throw new Error(`migration ${i} has version ${m.version}, expected ${i + 1}`);
  });
  const known = migrations.length;
  db.exec(SCHEMA_VERSION_DDL);
  const from = currentSchemaVersion(db);
  if (from > known) {
    throw new HubError(
      'STORE_FAILED',
      `This database was written by a newer version of POC Hub (schema ${from}; this version knows up to ${known}). ` +
        'Update POC Hub to open it. The database was not changed.',
      { details: { found: from, known } },
    );
  }
  const record = db.prepare<[number, string, string]>('INSERT INTO schema_version (version, description, applied_at) VALUES (?, ?, ?)');
  for (const m of migrations.slice(from)) {
    const step = db.transaction(() => {
      if (currentSchemaVersion(db) >= m.version) return; // another process got here first
      m.up(db);
      record.run(m.version, m.description, new Date().toISOString());
    });
    step.immediate();
  }
  return { from, to: Math.max(from, known) };
}
