/**
 * Schema version 5 (demo separation): export targets remember whether demo mode created them, so
 * a hub in demo mode sends only to its own targets and never to one a person set up for real
 * patients (docs/architecture.md §8, demo mode). Applied in one transaction with its version row;
 * never edit once released.
 */
export const V5_DEMO_TARGETS = `
-- 1: created while the hub ran in demo mode (pochub serve --demo); 0: set up for real use.
-- Existing targets predate the column and were all set up by a person: 0.
ALTER TABLE export_targets ADD COLUMN demo INTEGER NOT NULL DEFAULT 0 CHECK (demo IN (0, 1));
`;
