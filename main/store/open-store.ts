import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { HubError } from '../../shared/errors.ts';
import { HubDatabase } from './hub-database.ts';
import { migrate } from './migrations.ts';
import { storageErrorOf } from './store-errors.ts';
import { applyStorageTestHooks, probeWritable, storageTestHooks, type StorageTestHooks } from './storage-room.ts';

/**
 * How long a writer waits for another connection's write lock before SQLITE_BUSY. The app and the
 * CLI may hold the same file; a reading transaction takes milliseconds, so 5 s means "stuck".
 */
export const BUSY_TIMEOUT_MS = 5000;

/** SQLite's name for a private in-memory database; for unit tests only. */
export const MEMORY = ':memory:';

/**
 * Open (creating if needed) the hub database at `file` and bring its schema up to date.
 *
 * Pragmas, and why:
 * - `journal_mode = WAL`: readers (UI, API) never block the writer that ingests readings, and a
 *   commit is one append to the WAL instead of rewriting pages.
 * - `synchronous = FULL`: a commit is on disk before it returns, so "persist before you acknowledge"
 *   (docs/architecture.md §3) holds through a power cut too. NORMAL would save one fsync per commit, which
 *   does not matter at a few readings a minute.
 * - `foreign_keys = ON`: SQLite leaves FK checks off per connection unless asked.
 * - `busy_timeout`: see {@link BUSY_TIMEOUT_MS}.
 *
 * The connection then takes and gives back the write lock once, so a data folder that cannot be
 * written is reported here rather than at the first reading.
 *
 * @param hooks test-only limits (see `StorageTestHooks`); by default read from the environment.
 * @throws HubError `STORAGE_READONLY` / `STORAGE_FULL` when the data folder cannot be written or
 *   has no room (a sentence naming the folder); `STORE_FAILED` when the file cannot be opened
 *   otherwise, is not a database, or has a schema newer than this code. The connection is
 *   closed again.
 */
export function openStore(file: string, hooks: StorageTestHooks = storageTestHooks()): HubDatabase {
  const inMemory = file === MEMORY;
  let db: Database.Database | undefined;
  try {
    if (!inMemory) mkdirSync(dirname(file), { recursive: true });
    db = new Database(file);
    const mode = db.pragma('journal_mode = WAL', { simple: true });
    if (!inMemory && mode !== 'wal') throw new Error(`journal_mode is ${String(mode)}, not wal`);
    db.pragma('synchronous = FULL');
    db.pragma('foreign_keys = ON');
    db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
    migrate(db);
    applyStorageTestHooks(db, hooks);
    probeWritable(db);
    return new HubDatabase(db, file);
  } catch (e) {
    if (db?.open) db.close();
    const storage = storageErrorOf(e, file);
    if (storage) throw storage;
    if (e instanceof HubError) throw e;
    const reason = e instanceof Error ? e.message : String(e);
    throw new HubError('STORE_FAILED', `Could not open the hub database ${file}: ${reason}`, { cause: e, details: { file } });
  }
}
