/**
 * Schema version 5 (sessions): failed sign-in counters per badge, so a lockout after repeated
 * wrong PINs survives a restart of the hub (docs/architecture.md §8 rule 1), and the workstation's
 * inactivity lock time (from its configuration file). Applied by its
 * migration in one transaction with its version row. Never edit this once released: a fix is a
 * new migration.
 */
export const V7_SESSIONS = `
-- One row per badge id with wrong PINs in a row (unknown badge ids too, so a guess cannot tell
-- them apart). A successful sign-in deletes the row; an expired lock starts a fresh count.
CREATE TABLE sign_in_failures (
  badge_id     TEXT PRIMARY KEY,
  failures     INTEGER NOT NULL CHECK (failures >= 1),
  -- epoch milliseconds; NULL while the badge is not locked
  locked_until INTEGER,
  updated_at   TEXT NOT NULL
) STRICT;

-- The workstation's session settings: one row, absent until a configuration file set them.
CREATE TABLE session_settings (
  id            INTEGER PRIMARY KEY CHECK (id = 1),
  -- inactivity before a signed-in session locks: 1 s (tests) to 12 h
  lock_after_ms INTEGER NOT NULL CHECK (lock_after_ms BETWEEN 1000 AND 43200000),
  updated_at    TEXT NOT NULL
) STRICT;
`;
