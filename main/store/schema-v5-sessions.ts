/**
 * Schema version 5 (sessions): failed sign-in counters per badge, so a lockout after repeated
 * wrong PINs survives a restart of the hub (docs/architecture.md §8 rule 1). Applied by its
 * migration in one transaction with its version row. Never edit this once released: a fix is a
 * new migration.
 */
export const V5_SESSIONS = `
-- One row per badge id with wrong PINs in a row (unknown badge ids too, so a guess cannot tell
-- them apart). A successful sign-in deletes the row; an expired lock starts a fresh count.
CREATE TABLE sign_in_failures (
  badge_id     TEXT PRIMARY KEY,
  failures     INTEGER NOT NULL CHECK (failures >= 1),
  -- epoch milliseconds; NULL while the badge is not locked
  locked_until INTEGER,
  updated_at   TEXT NOT NULL
) STRICT;
`;
