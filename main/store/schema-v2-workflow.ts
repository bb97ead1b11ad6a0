/**
 * Schema version 2: operators, patients, review decisions and the audit log (docs/architecture.md §7–8).
 * Kept in its own file so migrations.ts stays a readable list of steps; it is applied
 * by migration 2 in one transaction with its version row. Never edit this once released: a fix
 * is a new migration.
 *
 * The rules that make history trustworthy are enforced here, in SQL, and not only in the
 * workflow code: a bug (or a future code path) in the hub cannot edit a decision or the audit
 * log, because the database refuses. Someone with the file and the sqlite3 shell can drop the
 * triggers; that is what the audit log's hash chain and `pochub audit verify` are for.
 */
export const V2_WORKFLOW = `
-- People who may sign in on this workstation. The PIN is never stored: pin_hash is a slow-KDF
-- hash that carries its own parameters ('scrypt$N$r$p$salt$hash'), so the cost can grow later
-- without a migration. Operators are deactivated, never deleted: audit rows and decisions
-- point at them for as long as the store exists.
CREATE TABLE operators (
  id         TEXT PRIMARY KEY,     -- uuid, referenced by decisions and audit rows
  name       TEXT NOT NULL CHECK (length(trim(name)) > 0),
  badge_id   TEXT NOT NULL UNIQUE, -- what the badge scanner types
  pin_hash   TEXT NOT NULL CHECK (pin_hash LIKE 'scrypt$%'),
  role       TEXT NOT NULL CHECK (role IN ('assistant', 'biomed', 'admin')),
  created_at TEXT NOT NULL,
  active     INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1))
) STRICT;

-- Patients seen on this workstation, keyed by MRN. Kept so that a second scan of the same MRN
-- with a different date of birth or name is caught (wrong wristband, typo) instead of filing
-- results under the wrong person. Two identifiers (docs/architecture.md §8): MRN plus at least one more.
CREATE TABLE patients (
  mrn        TEXT PRIMARY KEY,
  name       TEXT,
  birth_date TEXT,                 -- YYYY-MM-DD
  first_seen TEXT NOT NULL,
  last_seen  TEXT NOT NULL,
  CHECK (name IS NOT NULL OR birth_date IS NOT NULL)
) STRICT;

-- What people did with each reading: which patient it belongs to and the decision. One row per
-- reading, made when the reading is offered for review (or, for a manual entry, when it is
-- entered). The reading row itself stays as the device sent it.
CREATE TABLE reviews (
  reading_id          TEXT PRIMARY KEY REFERENCES readings(id),
  device_key          TEXT NOT NULL,  -- one key per physical device, for "confirm this device's batch"
  device_label        TEXT NOT NULL,
  -- NULL while unassigned (arrived with no patient selected) and always for control/QC results.
  patient_mrn         TEXT REFERENCES patients(mrn),
  -- The operator signed in when it was assigned; NULL when nobody was.
  assigned_by         TEXT REFERENCES operators(id),
  assigned_at         TEXT,
  -- How it got its patient: 'arrival' = it arrived while that patient was selected;
  -- 'operator' = someone assigned it explicitly; 'manual' = entered by hand for that patient.
  assigned_via        TEXT CHECK (assigned_via IN ('arrival', 'operator', 'manual')),
  decision            TEXT CHECK (decision IN ('confirmed', 'rejected')),
  decided_by          TEXT REFERENCES operators(id),
  decided_at          TEXT,
  reject_reason       TEXT CHECK (reject_reason IN ('wrong-patient', 'measurement-error', 'device-error', 'duplicate', 'test-or-training', 'other')),
  reject_note         TEXT,
  manual              INTEGER NOT NULL DEFAULT 0 CHECK (manual IN (0, 1)),
  -- A manual entry may replace a rejected device value; the rejected row stays as it was.
  replaces_reading_id TEXT UNIQUE REFERENCES reviews(reading_id),
  CHECK ((patient_mrn IS NULL) = (assigned_at IS NULL) AND (patient_mrn IS NULL) = (assigned_via IS NULL)),
  -- Every decision records who and when.
  CHECK ((decision IS NULL) = (decided_by IS NULL) AND (decision IS NULL) = (decided_at IS NULL)),
  -- A confirmation is always bound to a patient (docs/architecture.md §8).
  CHECK (decision IS NOT 'confirmed' OR patient_mrn IS NOT NULL),
  CHECK ((decision IS 'rejected') = (reject_reason IS NOT NULL)),
  CHECK (reject_reason IS NOT 'other' OR length(trim(coalesce(reject_note, ''))) > 0),
  CHECK (reject_note IS NULL OR reject_reason IS NOT NULL),
  CHECK (replaces_reading_id IS NULL OR manual = 1)
) STRICT;
CREATE INDEX reviews_patient ON reviews (patient_mrn, decision);
CREATE INDEX reviews_pending ON reviews (decision, patient_mrn);
CREATE INDEX reviews_device ON reviews (device_key, decision);

-- The reading's own state column follows the decision in the same statement, so the two can
-- never disagree (readings.state predates this table and other code reads it).
CREATE TRIGGER reviews_decision_sets_reading_state_insert AFTER INSERT ON reviews
WHEN NEW.decision IS NOT NULL
BEGIN
  UPDATE readings SET state = NEW.decision WHERE id = NEW.reading_id;
END;
CREATE TRIGGER reviews_decision_sets_reading_state_update AFTER UPDATE OF decision ON reviews
WHEN NEW.decision IS NOT OLD.decision
BEGIN
  UPDATE readings SET state = NEW.decision WHERE id = NEW.reading_id;
END;

-- Confirmed and rejected are final (docs/architecture.md §8): a wrong value is rejected and re-entered
-- manually, never edited. Any UPDATE of a decided row fails, whatever columns it touches.
CREATE TRIGGER reviews_decided_are_immutable BEFORE UPDATE ON reviews
WHEN OLD.decision IS NOT NULL
BEGIN
  SELECT RAISE(ABORT, 'review decided: confirmed and rejected readings never change');
END;
-- Where a reading came from and what it is never changes, decided or not.
CREATE TRIGGER reviews_identity_is_immutable BEFORE UPDATE OF reading_id, device_key, device_label, manual, replaces_reading_id ON reviews
BEGIN
  SELECT RAISE(ABORT, 'a review''s reading, device and manual flag never change');
END;
CREATE TRIGGER reviews_are_never_deleted BEFORE DELETE ON reviews
BEGIN
  SELECT RAISE(ABORT, 'review rows are never deleted');
END;
-- Control and calibration results go to the QC log, never to a patient (docs/architecture.md §8).
CREATE TRIGGER reviews_qc_never_to_a_patient_insert BEFORE INSERT ON reviews
WHEN NEW.patient_mrn IS NOT NULL AND (SELECT kind FROM readings WHERE id = NEW.reading_id) IS NOT 'patient'
BEGIN
  SELECT RAISE(ABORT, 'control/QC results are never assigned to a patient');
END;
CREATE TRIGGER reviews_qc_never_to_a_patient_update BEFORE UPDATE OF patient_mrn ON reviews
WHEN NEW.patient_mrn IS NOT NULL AND (SELECT kind FROM readings WHERE id = NEW.reading_id) IS NOT 'patient'
BEGIN
  SELECT RAISE(ABORT, 'control/QC results are never assigned to a patient');
END;

-- A reading is what the device sent: its values never change, and once decided nothing of it
-- changes (its state included). The only update ever allowed is state leaving 'pending', and
-- only to the decision its review row holds.
CREATE TRIGGER readings_decided_are_immutable BEFORE UPDATE ON readings
WHEN OLD.state IS NOT 'pending'
BEGIN
  SELECT RAISE(ABORT, 'reading decided: confirmed and rejected readings never change');
END;
CREATE TRIGGER readings_values_are_immutable BEFORE UPDATE OF seq, id, driver_id, device_id, session_id, kind, device_time, received_at, effective_time, clock_source, clock_skew_seconds, flags, context, fingerprint, reading_json, stored_at ON readings
BEGIN
  SELECT RAISE(ABORT, 'device values are never edited');
END;
CREATE TRIGGER readings_state_follows_review BEFORE UPDATE OF state ON readings
WHEN OLD.state IS 'pending' AND NEW.state IS NOT (SELECT decision FROM reviews WHERE reading_id = NEW.id)
BEGIN
  SELECT RAISE(ABORT, 'a reading''s state changes only with its review decision');
END;

-- Observations are the device's values: never updated, and never deleted once their reading
-- has been decided.
CREATE TRIGGER observations_are_immutable BEFORE UPDATE ON observations
BEGIN
  SELECT RAISE(ABORT, 'observations are never edited');
END;
CREATE TRIGGER observations_of_decided_readings_stay BEFORE DELETE ON observations
WHEN (SELECT state FROM readings WHERE id = OLD.reading_id) IS NOT 'pending'
BEGIN
  SELECT RAISE(ABORT, 'observations of a decided reading are never deleted');
END;

-- Append-only audit log (docs/architecture.md §7). Each row carries the hash of the previous row and its
-- own hash over (seq, at, workstation, operator, action, subject, details), so an edited or
-- deleted row breaks the chain. AUTOINCREMENT (not a plain rowid) so that a seq is never
-- reused: after rows at the end are deleted, the next row's seq still shows the gap.
CREATE TABLE audit_log (
  seq         INTEGER PRIMARY KEY AUTOINCREMENT,
  at          TEXT NOT NULL,       -- workstation UTC time, ISO 8601
  workstation TEXT NOT NULL,
  operator_id TEXT REFERENCES operators(id),  -- NULL: no one signed in (device events, CLI)
  action      TEXT NOT NULL,       -- machine-readable, e.g. 'reading.confirm'
  subject     TEXT,                -- what it is about: a reading id, an MRN, a badge id
  details     TEXT NOT NULL CHECK (json_valid(details) AND json_type(details) = 'object'),
  prev_hash   TEXT NOT NULL CHECK (length(prev_hash) = 64),
  hash        TEXT NOT NULL UNIQUE CHECK (length(hash) = 64)
) STRICT;
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN
  SELECT RAISE(ABORT, 'the audit log is append-only');
END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN
  SELECT RAISE(ABORT, 'the audit log is append-only');
END;
`;
