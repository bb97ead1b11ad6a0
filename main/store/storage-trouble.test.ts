import { dirname, join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isHubError, type HubError } from '../../shared/errors.ts';
import { bpFrames, bpReading, tempDir } from '../../test/helpers/store-fixtures.ts';
import { openStore } from './open-store.ts';
import { storageTestHooks } from './storage-room.ts';
import { guardStore } from './store-errors.ts';
import type { HubDatabase } from './hub-database.ts';

/**
 * A full disk and a read-only data folder at the store (docs/architecture.md §7, storage
 * trouble), simulated with SQLite's page limit and `query_only`: the machine's disk is never
 * filled, and CI runs as root, where `chmod` does not stop writes.
 */
let tmp: ReturnType<typeof tempDir>;
let file = '';
beforeEach(() => {
  tmp = tempDir();
  file = join(tmp.dir, 'data', 'pochub.db');
});
afterEach(() => tmp.cleanup());

/** The i-th of many different BP results (a different minute each, so a different fingerprint). */
function reading(i: number) {
  const minute = String(i % 60).padStart(2, '0');
  const hour = String(Math.floor(i / 60) % 24).padStart(2, '0');
  return bpReading({ deviceTime: `2016-02-22T${hour}:${minute}:45`, effectiveTime: `2016-02-22T${hour}:${minute}:45+01:00` });
}

/** Ingest new readings until the store refuses one; the error and how many were stored. */
function fillUp(store: HubDatabase): { error: HubError; stored: number } {
  for (let i = 0; i < 10_000; i++) {
    try {
      store.readings.ingest(reading(i), bpFrames());
    } catch (e) {
      if (!isHubError(e)) throw e;
      return { error: e, stored: i };
    }
  }
  throw new Error('the store never filled up');
}

describe('a full disk (SQLite page limit)', () => {
  it('a reading the store cannot take is STORAGE_FULL naming the folder, nothing of it is written, and storing resumes once there is room', () => {
    const store = openStore(file);
    store.db.pragma(`max_page_count = ${Number(store.db.pragma('page_count', { simple: true })) + 4}`);
    const { error, stored } = fillUp(store);
    expect(error.code).toBe('STORAGE_FULL');
    expect(error.message).toBe(`The data folder ${dirname(file)} is full: nothing more can be saved there. Free space on that disk, then try again (a running hub saves again by itself).`);
    expect(error.details).toMatchObject({ file, sqlite: 'SQLITE_FULL' });
    // All or nothing: the refused reading left no device, frame or observation rows behind.
    expect(store.readings.countReadings()).toBe(stored);
    expect(store.readings.hasFingerprint(reading(stored))).toBe(false);
    const frames = Number(store.db.prepare('SELECT count(*) AS n FROM raw_frames').pluck().get());
    expect(frames).toBe(stored * bpFrames().length);
    // Space returns: the same reading is stored now.
    store.db.pragma('max_page_count = 1000000');
    expect(store.readings.ingest(reading(stored), bpFrames()).isNew).toBe(true);
    expect(store.db.pragma('integrity_check', { simple: true })).toBe('ok');
    store.close();
  });

  it('a transaction refused for room is STORAGE_FULL too, and rolls back whole', () => {
    const store = openStore(file, { maxPages: 1 });
    const before = store.readings.countReadings();
    const caught = (() => {
      try {
        store.transaction(() => {
          for (let i = 0; i < 10_000; i++) store.readings.ingest(reading(i), bpFrames());
        });
      } catch (e) {
        return e;
      }
      return undefined;
    })();
    expect(caught).toMatchObject({ code: 'STORAGE_FULL', message: expect.stringContaining(dirname(file)) });
    expect(store.readings.countReadings()).toBe(before);
    store.close();
  });

  it('a command that stores refuses to start with too little room (the test hook, or a disk with less than 64 KiB free)', () => {
    const full = openStore(file, { maxPages: 1 });
    expect(() => full.assertRoomToStore()).toThrow(expect.objectContaining({ code: 'STORAGE_FULL', message: expect.stringContaining(`The data folder ${dirname(file)} is full`) }));
    full.close();
    const roomy = openStore(file, {});
    expect(() => roomy.assertRoomToStore()).not.toThrow();
    roomy.close();
  });
});

describe('a read-only data folder', () => {
  it('is refused when the store opens, as STORAGE_READONLY naming the folder and what to do', () => {
    openStore(file).close();
    expect(() => openStore(file, { readOnly: true })).toThrow(
      expect.objectContaining({
        code: 'STORAGE_READONLY',
        message: `The data folder ${dirname(file)} is read-only or not writable by this user: nothing can be saved there. Make it writable (or choose another folder with --data), then try again.`,
      }),
    );
  });

  it('a folder where the database cannot be created is STORAGE_READONLY (SQLITE_CANTOPEN)', () => {
    // A folder in the way of the file: SQLite cannot create it, whoever runs the test (root too).
    const blocked = join(tmp.dir, 'blocked.db');
    openStore(join(blocked, 'inner.db')).close();
    expect(() => openStore(blocked)).toThrow(expect.objectContaining({ code: 'STORAGE_READONLY', message: expect.stringContaining(`The data folder ${tmp.dir}`) }));
  });
});

describe('the mapping of store failures', () => {
  const sqliteError = (code: string): Error => Object.assign(new Error(code), { code });
  const codeOf = (e: Error): string => {
    try {
      guardStore('do it', () => {
        throw e;
      });
    } catch (caught) {
      return isHubError(caught) ? caught.code : 'not a HubError';
    }
    return 'nothing thrown';
  };

  it('full, I/O and read-only codes become storage errors; other SQLite failures stay STORE_FAILED', () => {
    expect(codeOf(sqliteError('SQLITE_FULL'))).toBe('STORAGE_FULL');
    expect(codeOf(sqliteError('SQLITE_IOERR_WRITE'))).toBe('STORAGE_FULL');
    expect(codeOf(sqliteError('SQLITE_READONLY'))).toBe('STORAGE_READONLY');
    expect(codeOf(sqliteError('SQLITE_READONLY_DBMOVED'))).toBe('STORAGE_READONLY');
    expect(codeOf(sqliteError('SQLITE_CANTOPEN'))).toBe('STORAGE_READONLY');
    expect(codeOf(sqliteError('SQLITE_BUSY'))).toBe('STORE_FAILED');
    expect(codeOf(sqliteError('SQLITE_CONSTRAINT_UNIQUE'))).toBe('STORE_FAILED');
  });

  it('the test hooks come only from their two variables, and only valid values count', () => {
    expect(storageTestHooks({})).toEqual({});
    expect(storageTestHooks({ POCHUB_TEST_MAX_PAGES: '120', POCHUB_TEST_READ_ONLY: '1' })).toEqual({ maxPages: 120, readOnly: true });
    expect(storageTestHooks({ POCHUB_TEST_MAX_PAGES: 'lots', POCHUB_TEST_READ_ONLY: 'yes' })).toEqual({});
  });
});
