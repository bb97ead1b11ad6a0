/**
 * Schema version 5 (identity): whether a patient on file was verified against the EHR
 * (docs/architecture.md §8 rule 2). Applied in one transaction with its version row. Never edit
 * this once released: a fix is a new migration.
 *
 * Every patient this hub knew before was typed in or scanned at the workstation and never
 * checked against the EHR, so existing rows are unverified (0). A later EHR look-up sets it.
 */
export const V9_IDENTITY = `
ALTER TABLE patients ADD COLUMN verified INTEGER NOT NULL DEFAULT 0 CHECK (verified IN (0, 1));
`;
