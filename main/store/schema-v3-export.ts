/**
 * Schema version 3: export targets, the outbox and every delivery attempt (docs/export.md §2–3).
 * Applied by migration 3 in one transaction with its version row. Never edit this
 * once released: a fix is a new migration.
 *
 * Exactly once rests on three things held here: an outbox row is written in the same
 * transaction as the confirmation (so a confirmed reading can never miss its export); its
 * control id is minted then, before any send (so a crash cannot mint a second id for the same
 * data); and the rendered payload is stored before the first send and resent byte for byte.
 */
export const V3_EXPORT = `
-- Where confirmed readings go. config_json is the validated target (shared/export/targets.ts)
-- and never holds a secret: a bearer token lives in the secret store (outside this file),
-- and a SMART private key in its own PEM file. Targets are disabled, never deleted, because
-- outbox rows point at them.
CREATE TABLE export_targets (
  id          TEXT PRIMARY KEY,
  kind        TEXT NOT NULL CHECK (kind IN ('fhir', 'hl7', 'file')),
  name        TEXT NOT NULL,
  enabled     INTEGER NOT NULL CHECK (enabled IN (0, 1)),
  config_json TEXT NOT NULL CHECK (json_valid(config_json)),
  has_secret  INTEGER NOT NULL DEFAULT 0 CHECK (has_secret IN (0, 1)),
  created_at  TEXT NOT NULL,
  updated_at  TEXT NOT NULL
) STRICT;

-- One row per (confirmed reading, target). id orders the queue: a target's worker sends its
-- rows in id order, one at a time.
CREATE TABLE outbox (
  id              INTEGER PRIMARY KEY AUTOINCREMENT,
  target_id       TEXT NOT NULL REFERENCES export_targets(id),
  reading_id      TEXT NOT NULL REFERENCES readings(id),
  control_id      TEXT NOT NULL UNIQUE CHECK (length(control_id) BETWEEN 1 AND 20),
  state           TEXT NOT NULL CHECK (state IN ('pending', 'sending', 'done', 'failed', 'dead')),
  attempts        INTEGER NOT NULL DEFAULT 0 CHECK (attempts >= 0),
  next_attempt_at TEXT,                    -- failed rows: not before this time
  payload         TEXT,                    -- rendered once, before the first send; resent unchanged
  content_type    TEXT,
  last_status     TEXT,
  last_message    TEXT,
  created_at      TEXT NOT NULL,
  updated_at      TEXT NOT NULL,
  done_at         TEXT,
  UNIQUE (reading_id, target_id),
  CHECK ((state = 'done') = (done_at IS NOT NULL)),
  -- Nothing leaves without the bytes it was sent with on record.
  CHECK (state NOT IN ('sending', 'done') OR payload IS NOT NULL)
) STRICT;
CREATE INDEX outbox_queue ON outbox (target_id, state, id);

-- Only confirmed readings are exported.
CREATE TRIGGER outbox_only_confirmed BEFORE INSERT ON outbox
WHEN (SELECT state FROM readings WHERE id = NEW.reading_id) IS NOT 'confirmed'
BEGIN
  SELECT RAISE(ABORT, 'only confirmed readings are exported');
END;
-- Done is final: the receiver holds it.
CREATE TRIGGER outbox_done_is_final BEFORE UPDATE ON outbox
WHEN OLD.state = 'done'
BEGIN
  SELECT RAISE(ABORT, 'an exported row never changes');
END;
CREATE TRIGGER outbox_rows_stay BEFORE DELETE ON outbox
BEGIN
  SELECT RAISE(ABORT, 'outbox rows are never deleted');
END;

-- Every delivery attempt with what the receiver answered (truncated to 4000 characters).
CREATE TABLE export_attempts (
  id         INTEGER PRIMARY KEY,
  outbox_id  INTEGER NOT NULL REFERENCES outbox(id),
  started_at TEXT NOT NULL,
  ended_at   TEXT NOT NULL,
  outcome    TEXT NOT NULL CHECK (outcome IN ('done', 'retry', 'dead')),
  status     TEXT NOT NULL,
  response   TEXT NOT NULL
) STRICT;
CREATE INDEX export_attempts_row ON export_attempts (outbox_id, id);
CREATE TRIGGER export_attempts_append_only_update BEFORE UPDATE ON export_attempts
BEGIN
  SELECT RAISE(ABORT, 'export attempts are never edited');
END;
CREATE TRIGGER export_attempts_append_only_delete BEFORE DELETE ON export_attempts
BEGIN
  SELECT RAISE(ABORT, 'export attempts are never deleted');
END;
`;
