import { spawnSync } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { tempDir } from '../../test/helpers/store-fixtures.ts';
import { acquireWorkerLock, lockFile } from './worker-lock.ts';

let tmp: ReturnType<typeof tempDir>;
beforeEach(() => {
  tmp = tempDir();
});
afterEach(() => tmp.cleanup());

describe('one exporting process per data folder', () => {
  it('a second taker is told who holds the lock; release frees it', () => {
    const first = acquireWorkerLock(tmp.dir);
    expect(first.ok).toBe(true);
    // Pretend another live process holds it: our parent is alive for sure.
    writeFileSync(lockFile(tmp.dir), String(process.ppid));
    expect(acquireWorkerLock(tmp.dir)).toEqual({ ok: false, holder: process.ppid });
    writeFileSync(lockFile(tmp.dir), String(process.pid));
    if (first.ok) first.lock.release();
    expect(existsSync(lockFile(tmp.dir))).toBe(false);
  });

  it('a lock left by a killed process is taken over', () => {
    const dead = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
    writeFileSync(lockFile(tmp.dir), dead.stdout);
    const taken = acquireWorkerLock(tmp.dir);
    expect(taken.ok).toBe(true);
    if (taken.ok) taken.lock.release();
  });
});
