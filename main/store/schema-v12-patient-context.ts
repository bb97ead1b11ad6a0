/**
 * Schema version 12: patient context from the EHR (docs/architecture.md §8, "Patient context").
 * Patient sources (configured like export targets, secrets outside the database), what a source
 * vouched for on each patient, today's visits, and the ADT messages already applied (a resend is
 * acknowledged, never applied twice). Applied in one transaction with its version row. Never edit
 * this once released: a fix is a new migration.
 */
export const V12_PATIENT_CONTEXT = `
CREATE TABLE patient_sources (
  id          TEXT PRIMARY KEY,
  kind        TEXT NOT NULL CHECK (kind IN ('fhir', 'hl7-adt')),
  name        TEXT NOT NULL,
  enabled     INTEGER NOT NULL CHECK (enabled IN (0, 1)),
  -- The validated settings (shared/patients/patient-sources.ts), never a secret.
  config_json TEXT NOT NULL CHECK (json_valid(config_json)),
  has_secret  INTEGER NOT NULL DEFAULT 0 CHECK (has_secret IN (0, 1)),
  created_at  TEXT NOT NULL,
  updated_at  TEXT NOT NULL
) STRICT;

-- What a source vouched for, on the patient row: the banner says "verified with <source> at
-- <time>"; fhir_id lets the export reference Patient/<id>; merged_into names the surviving MRN of
-- a patient merged away (ADT A40). identifiers_json: every identifier the EHR gave.
ALTER TABLE patients ADD COLUMN sex TEXT CHECK (sex IS NULL OR sex IN ('male', 'female', 'other', 'unknown'));
ALTER TABLE patients ADD COLUMN fhir_id TEXT;
ALTER TABLE patients ADD COLUMN identifiers_json TEXT CHECK (identifiers_json IS NULL OR json_valid(identifiers_json));
ALTER TABLE patients ADD COLUMN verified_source TEXT;
ALTER TABLE patients ADD COLUMN verified_at TEXT;
ALTER TABLE patients ADD COLUMN merged_into TEXT;
-- Cache expiry (privacy): a row learnt from a source and not used since is removed after the
-- configured time, unless readings refer to it.
ALTER TABLE patients ADD COLUMN source_seen_at TEXT;

-- Today's visits and appointments, from FHIR (refreshed) and ADT (pushed). id is
-- '<sourceId>:<the source's own id for it>'.
CREATE TABLE visits (
  id             TEXT PRIMARY KEY,
  source_id      TEXT NOT NULL,
  mrn            TEXT NOT NULL,
  state          TEXT NOT NULL CHECK (state IN ('planned', 'arrived', 'in-progress', 'finished', 'cancelled')),
  start          TEXT,
  encounter_id   TEXT,
  appointment_id TEXT,
  visit_number   TEXT,
  location       TEXT,
  room           TEXT,
  updated_at     TEXT NOT NULL
) STRICT;
CREATE INDEX visits_mrn ON visits (mrn);
CREATE INDEX visits_start ON visits (start);

-- The encounter a reading was taken in, chosen with the patient (the export carries it).
ALTER TABLE reviews ADD COLUMN visit_id TEXT;

-- ADT messages applied or refused, by sender (MSH-3^MSH-4) and control id (MSH-10): a resend is
-- acknowledged the same way and not applied again. Kept at least 7 days.
CREATE TABLE adt_messages (
  sender      TEXT NOT NULL,
  control_id  TEXT NOT NULL,
  source_id   TEXT NOT NULL,
  event       TEXT NOT NULL,
  ack_code    TEXT NOT NULL CHECK (ack_code IN ('AA', 'AE', 'AR')),
  ack_text    TEXT,
  received_at TEXT NOT NULL,
  PRIMARY KEY (sender, control_id)
) STRICT;
CREATE INDEX adt_messages_received ON adt_messages (received_at);

-- How long the cache keeps what sources told it: one row.
CREATE TABLE patient_cache_settings (
  id           INTEGER PRIMARY KEY CHECK (id = 1),
  expire_hours INTEGER NOT NULL CHECK (expire_hours BETWEEN 1 AND 720),
  updated_at   TEXT NOT NULL
) STRICT;
`;
