/**
 * Schema version 5 (roles): the role of each port's device and what the workflow keeps of it on
 * each review (docs/architecture.md §8, "Device roles"). Applied in one transaction with its version row.
 * Never edit this once released: a fix is a new migration.
 */
export const V10_ROLES = `
-- The role biomed staff chose for the port's device; NULL = the driver's default (shared/device-role.ts).
ALTER TABLE ports ADD COLUMN role TEXT CHECK (role IS NULL OR role IN ('bedside', 'shared', 'memory'));

-- The role of the device when the reading arrived: a shared device's sample id may propose a
-- patient later, and a memory download waits for an import. NULL for rows from before v5 and
-- for manual entries.
ALTER TABLE reviews ADD COLUMN device_role TEXT CHECK (device_role IS NULL OR device_role IN ('bedside', 'shared', 'memory'));
-- Memory results: 'not-imported' keeps them out of the review list (kept, never dropped) until
-- an assistant imports them for a patient; then 'imported'. NULL for every other reading.
ALTER TABLE reviews ADD COLUMN memory_state TEXT CHECK (memory_state IS NULL OR memory_state IN ('not-imported', 'imported'));
CREATE INDEX reviews_memory ON reviews (memory_state, device_key);

-- How recent a memory result must be to be pre-selected for import: one row, so the
-- workstation configuration file can carry it.
CREATE TABLE memory_import_settings (
  id                    INTEGER PRIMARY KEY CHECK (id = 1),
  recent_window_minutes INTEGER NOT NULL CHECK (recent_window_minutes BETWEEN 5 AND 10080),
  updated_at            TEXT NOT NULL
) STRICT;
`;
