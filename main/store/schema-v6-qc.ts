/**
 * Schema version 5 (QC): control lots, the evaluation of each control result, and each device's
 * QC interval (docs/architecture.md §8 rule 11). Self-contained: only its own tables. Never edit
 * this once released: a fix is a new migration.
 */
export const V6_QC = `
-- Control lots an admin defines: one analyte (catalog key) in one unit, an expiry date, and the
-- expected range of each level as JSON ([{ level, low, high }]). Retired, never deleted: past
-- evaluations name them.
CREATE TABLE qc_lots (
  id          TEXT PRIMARY KEY,
  lot_number  TEXT NOT NULL CHECK (length(lot_number) BETWEEN 1 AND 40),
  analyte     TEXT NOT NULL,
  unit        TEXT NOT NULL,
  expires_on  TEXT NOT NULL CHECK (date(expires_on) = expires_on),
  levels_json TEXT NOT NULL CHECK (json_valid(levels_json) AND json_type(levels_json) = 'array' AND json_array_length(levels_json) >= 1),
  retired     INTEGER NOT NULL DEFAULT 0 CHECK (retired IN (0, 1)),
  created_at  TEXT NOT NULL,
  updated_at  TEXT NOT NULL,
  UNIQUE (lot_number, analyte)
) STRICT;

-- One verdict per control result, final once written. The lot's range is copied, so a later
-- edit of the lot never changes what a past control was compared with.
CREATE TABLE qc_evaluations (
  reading_id     TEXT PRIMARY KEY REFERENCES readings(id),
  device_key     TEXT NOT NULL,
  effective_time TEXT NOT NULL,   -- the control's effective time: what the lock compares with
  lot_id         TEXT NOT NULL REFERENCES qc_lots(id),
  lot_number     TEXT NOT NULL,
  level          TEXT NOT NULL,
  low            REAL NOT NULL,
  high           REAL NOT NULL,
  unit           TEXT NOT NULL,
  value          TEXT NOT NULL,
  verdict        TEXT NOT NULL CHECK (verdict IN ('pass', 'fail')),
  reason         TEXT,
  evaluated_by   TEXT REFERENCES operators(id),  -- NULL: the device reported lot and level
  evaluated_at   TEXT NOT NULL,
  CHECK ((verdict = 'fail') = (reason IS NOT NULL))
) STRICT;
CREATE INDEX qc_evaluations_device ON qc_evaluations (device_key, effective_time);
CREATE TRIGGER qc_evaluations_are_final BEFORE UPDATE ON qc_evaluations
BEGIN
  SELECT RAISE(ABORT, 'a QC evaluation never changes');
END;
CREATE TRIGGER qc_evaluations_are_never_deleted BEFORE DELETE ON qc_evaluations
BEGIN
  SELECT RAISE(ABORT, 'QC evaluations are never deleted');
END;

-- How often a device needs a passing control; no row = no QC requirement (the default).
CREATE TABLE qc_policies (
  device_key     TEXT PRIMARY KEY,
  interval_hours INTEGER NOT NULL CHECK (interval_hours BETWEEN 1 AND 744),
  updated_at     TEXT NOT NULL
) STRICT;
`;
