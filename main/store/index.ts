/**
 * The hub's SQLite store: forward-only migrations, sessions, raw frames, readings and their
 * observations. Only `main/` imports this; nothing here is safe for the renderer.
 */
export { HubDatabase, type Transact } from './hub-database.ts';
export { BUSY_TIMEOUT_MS, MEMORY, openStore } from './open-store.ts';
export { MIGRATIONS, SCHEMA_VERSION, currentSchemaVersion, migrate, type Migration } from './migrations.ts';
export { canonicalJson, readingFingerprint } from './fingerprint.ts';
export { RawFrameSchema, type RawFrame } from './raw-frames.ts';
export { LIST_LIMIT_DEFAULT, LIST_LIMIT_MAX, type IngestResult, type ReadingQuery } from './readings-repo.ts';
export { READING_STATES, type ReadingState, type StoredReading, type StoredReadingWithRaw } from './stored-reading.ts';
export { SESSION_END_REASONS, type SessionEnd, type SessionEndReason, type SessionStart } from './sessions-repo.ts';
