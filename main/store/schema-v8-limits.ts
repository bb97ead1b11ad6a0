/**
 * Schema version 5 (limits): this workstation's review rules (docs/architecture.md §8), one row,
 * so a configuration file can carry them. Never edit this once released: a fix is a new migration.
 */
export const V8_LIMITS = `
-- A result measured longer ago than result_age_minutes shows its age and is confirmed only after
-- an explicit acknowledgement. No row means the default (main/store/review-settings-repo.ts).
CREATE TABLE review_settings (
  id                  INTEGER PRIMARY KEY CHECK (id = 1),
  result_age_minutes  INTEGER NOT NULL CHECK (result_age_minutes BETWEEN 1 AND 43200),
  updated_at          TEXT NOT NULL
) STRICT;
`;
