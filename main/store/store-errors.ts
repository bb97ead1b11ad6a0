import { dirname } from 'node:path';
import { z } from 'zod';
import { HubError, isHubError } from '../../shared/errors.ts';

/** The two ways the data folder can refuse a write (docs/architecture.md §7, storage trouble). */
export type StorageCode = 'STORAGE_FULL' | 'STORAGE_READONLY';

/**
 * SQLite's extended result codes (better-sqlite3's `SqliteError.code`) and Node's `fs` error
 * codes that mean the data folder cannot take a write, by which problem they are. An I/O error
 * on write is nearly always a full disk in practice (ENOSPC surfaces as SQLITE_IOERR_WRITE or
 * SQLITE_IOERR_FSYNC), so it is reported as full; the cause keeps the exact code.
 */
function storageCodeOf(e: unknown): StorageCode | undefined {
  const code = typeof e === 'object' && e !== null && 'code' in e ? String((e as { code: unknown }).code) : '';
  if (code === 'SQLITE_FULL' || code.startsWith('SQLITE_IOERR') || code === 'ENOSPC' || code === 'EDQUOT') return 'STORAGE_FULL';
  if (code.startsWith('SQLITE_READONLY') || code.startsWith('SQLITE_CANTOPEN') || code === 'SQLITE_PERM') return 'STORAGE_READONLY';
  if (code === 'EROFS' || code === 'EACCES' || code === 'EPERM') return 'STORAGE_READONLY';
  return undefined;
}

/**
 * The plain sentence for a storage problem: where, what, and what to do. `file` is the store
 * file (its folder is named) or undefined when the caller does not know it.
 */
export function storageMessage(code: StorageCode, file?: string): string {
  const folder = file === undefined || file === ':memory:' || file === '' ? "The hub's data folder" : `The data folder ${dirname(file)}`;
  return code === 'STORAGE_FULL'
    ? `${folder} is full: nothing more can be saved there. Free space on that disk, then try again (a running hub saves again by itself).`
    : `${folder} is read-only or not writable by this user: nothing can be saved there. Make it writable (or choose another folder with --data), then try again.`;
}

/**
 * The storage HubError for `e` when it is a full disk or a read-only data folder (a SQLite or
 * file-system error, or a storage HubError raised without the file), else undefined.
 */
export function storageErrorOf(e: unknown, file?: string): HubError | undefined {
  if (isHubError(e, 'STORAGE_FULL', 'STORAGE_READONLY')) {
    // Raised where the file was not known: say the folder now that it is.
    if (file === undefined || e.details?.['file'] !== undefined) return e;
    return new HubError(e.code, storageMessage(e.code as StorageCode, file), { cause: e.cause ?? e, details: { ...e.details, file } });
  }
  if (isHubError(e)) return undefined;
  const code = storageCodeOf(e);
  if (code === undefined) return undefined;
  const sqlite = typeof e === 'object' && e !== null && 'code' in e ? String((e as { code: unknown }).code) : undefined;
  return new HubError(code, storageMessage(code, file), { cause: e, details: { ...(file === undefined ? {} : { file }), ...(sqlite ? { sqlite } : {}) } });
}

/**
 * Run one store operation and turn any SQLite failure into a HubError with the original error as
 * its cause: a full disk → `STORAGE_FULL`, a read-only data folder → `STORAGE_READONLY` (a plain
 * sentence naming the folder when `file` is given), anything else (locked too long, constraint)
 * → `STORE_FAILED`. HubErrors pass through unchanged, so an `INPUT_INVALID` raised inside a
 * transaction keeps its code.
 */
export function guardStore<T>(what: string, fn: () => T, file?: string): T {
  try {
    return fn();
  } catch (e) {
    const storage = storageErrorOf(e, file);
    if (storage) throw storage;
    if (e instanceof HubError) throw e;
    const reason = e instanceof Error ? e.message : String(e);
    throw new HubError('STORE_FAILED', `Could not ${what}: ${reason}`, { cause: e });
  }
}

/**
 * Check a value at the store's trust boundary.
 * @throws HubError `INPUT_INVALID` naming every problem found.
 */
export function parseInput<T>(schema: z.ZodType<T>, value: unknown, what: string): T {
  const parsed = schema.safeParse(value);
  if (!parsed.success) {
    throw new HubError('INPUT_INVALID', `Invalid ${what}: ${z.prettifyError(parsed.error)}`, { cause: parsed.error });
  }
  return parsed.data;
}
