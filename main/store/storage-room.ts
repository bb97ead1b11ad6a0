import { statfsSync } from 'node:fs';
import { dirname } from 'node:path';
import type Database from 'better-sqlite3';
import { HubError } from '../../shared/errors.ts';
import { storageErrorOf, storageMessage } from './store-errors.ts';

/**
 * A command that is about to store readings (`serve`, `read`, `config import`) refuses to start
 * with less room than this: a few dozen readings with their raw bytes. Less than that is a disk
 * that is full for practical purposes, and saying so at start beats failing on the first reading.
 */
export const MIN_START_ROOM_BYTES = 64 * 1024;

/**
 * Test hooks, documented in docs/architecture.md §7 (storage trouble): a CI machine cannot be made
 * to fill a disk, and runs as root, where `chmod` does not stop writes. Both only ever make the
 * store refuse more, never less.
 * - `POCHUB_TEST_MAX_PAGES=<n>`: SQLite's `max_page_count` (the file may not grow past n pages;
 *   SQLite raises a smaller n to the current size), so writes fail with SQLITE_FULL.
 * - `POCHUB_TEST_READ_ONLY=1`: `query_only`, so every write fails with SQLITE_READONLY.
 */
export interface StorageTestHooks {
  maxPages?: number;
  readOnly?: boolean;
}

/** The hooks set in `env` (see {@link StorageTestHooks}); a value that is not a positive integer is ignored. */
export function storageTestHooks(env: NodeJS.ProcessEnv = process.env): StorageTestHooks {
  const pages = Number(env['POCHUB_TEST_MAX_PAGES']);
  return {
    ...(Number.isInteger(pages) && pages > 0 ? { maxPages: pages } : {}),
    ...(env['POCHUB_TEST_READ_ONLY'] === '1' ? { readOnly: true } : {}),
  };
}

/** Apply the test hooks to a freshly migrated connection. */
export function applyStorageTestHooks(db: Database.Database, hooks: StorageTestHooks): void {
  if (hooks.maxPages !== undefined) db.pragma(`max_page_count = ${hooks.maxPages}`);
  if (hooks.readOnly) db.pragma('query_only = ON');
}

/**
 * Take and give back the write lock: fails with SQLITE_READONLY when this connection cannot
 * write, so a read-only data folder is reported when the store opens, not at the first reading.
 */
export function probeWritable(db: Database.Database): void {
  db.exec('BEGIN IMMEDIATE');
  db.exec('ROLLBACK');
}

/**
 * Bytes the store can still grow by: the smaller of the free space of the folder's file system
 * and SQLite's own page limit (free pages inside the file count as room).
 */
export function roomLeftBytes(db: Database.Database, file: string): number {
  const pageSize = Number(db.pragma('page_size', { simple: true }));
  const pages = Number(db.pragma('page_count', { simple: true }));
  const free = Number(db.pragma('freelist_count', { simple: true }));
  const maxPages = Number(db.pragma('max_page_count', { simple: true }));
  let room = (maxPages - pages + free) * pageSize;
  if (file !== ':memory:') {
    const fs = statfsSync(dirname(file));
    room = Math.min(room, fs.bavail * fs.bsize + free * pageSize);
  }
  return room;
}

/**
 * @throws HubError `STORAGE_FULL` naming the folder when the store has less than
 *   {@link MIN_START_ROOM_BYTES} to grow by.
 */
export function assertRoomToStore(db: Database.Database, file: string): void {
  let room: number;
  try {
    room = roomLeftBytes(db, file);
  } catch (e) {
    throw storageErrorOf(e, file) ?? new HubError('STORE_FAILED', `Could not check the free space for ${file}: ${e instanceof Error ? e.message : String(e)}`, { cause: e });
  }
  if (room < MIN_START_ROOM_BYTES) {
    throw new HubError('STORAGE_FULL', storageMessage('STORAGE_FULL', file), { details: { file, roomBytes: room } });
  }
}
