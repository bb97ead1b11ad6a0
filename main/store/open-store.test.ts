import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BUSY_TIMEOUT_MS, MEMORY, openStore } from './open-store.ts';
import { bpFrames, bpReading, tempDir } from '../../test/helpers/store-fixtures.ts';

let tmp: ReturnType<typeof tempDir>;
beforeEach(() => {
  tmp = tempDir();
});
afterEach(() => tmp.cleanup());

describe('openStore', () => {
  it('creates missing folders and opens with WAL, foreign keys, NORMAL sync and a busy timeout', () => {
    const file = join(tmp.dir, 'nested', 'deeper', 'hub.sqlite');
    const store = openStore(file);
    expect(existsSync(file)).toBe(true);
    expect(store.db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(store.db.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(store.db.pragma('synchronous', { simple: true })).toBe(2); // 2 = FULL
    expect(store.db.pragma('busy_timeout', { simple: true })).toBe(BUSY_TIMEOUT_MS);
    store.close();
    store.close(); // twice is harmless
  });

  it('keeps readings and raw bytes across close and reopen, and shares them with a second connection', () => {
    const file = join(tmp.dir, 'hub.sqlite');
    const writer = openStore(file);
    const sessionId = writer.sessions.beginSession({ driverId: 'acme-bp100', transport: 'serial /dev/ttyUSB0 9600 8N1' });
    const { id } = writer.readings.ingest(bpReading(), bpFrames(), sessionId);
    expect(existsSync(`${file}-wal`)).toBe(true); // committed pages sit in the WAL until a checkpoint

    const reader = openStore(file);
    expect(reader.readings.getReading(id)?.reading).toStrictEqual(bpReading());
    reader.close();
    writer.close();

    const reopened = openStore(file);
    const stored = reopened.readings.getReading(id);
    expect(stored?.reading).toStrictEqual(bpReading());
    expect(stored?.raw).toStrictEqual(bpFrames().map((f) => f.bytes));
    expect(stored?.sessionId).toBe(sessionId);
    expect(reopened.readings.ingest(bpReading(), bpFrames()).isNew).toBe(false);
    reopened.close();
  });

  it('accepts :memory: for unit tests', () => {
    const store = openStore(MEMORY);
    expect(store.readings.ingest(bpReading(), bpFrames()).isNew).toBe(true);
    expect(store.readings.countReadings()).toBe(1);
    store.close();
  });

  it('reports a file that is not a database as STORE_FAILED', () => {
    const file = join(tmp.dir, 'notes.txt');
    writeFileSync(file, 'this is not an SQLite database, just some text that is long enough to have a header');
    expect(() => openStore(file)).toThrow(expect.objectContaining({ code: 'STORE_FAILED', message: expect.stringContaining(file) }));
  });
});
