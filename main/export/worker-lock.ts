import { closeSync, openSync, readFileSync, unlinkSync, writeSync } from 'node:fs';
import path from 'node:path';

/**
 * One exporting process per data folder. Two processes sending the same outbox would each take
 * the same head row: the receiver's duplicate detection would absorb it, but order and the
 * attempt log would not hold. The lock is a file holding the owner's pid, created exclusively;
 * a lock whose process is gone (killed, crashed) is taken over, so SIGKILL never leaves the
 * outbox stuck.
 */
interface WorkerLock {
  release(): void;
}

export function lockFile(dataDir: string): string {
  return path.join(dataDir, 'export.lock');
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    // EPERM: it exists but belongs to someone else — still alive.
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Take the lock, or say which live process holds it. */
export function acquireWorkerLock(dataDir: string): { ok: true; lock: WorkerLock } | { ok: false; holder: number } {
  const file = lockFile(dataDir);
  for (let tries = 0; tries < 3; tries += 1) {
    try {
      const fd = openSync(file, 'wx', 0o600);
      writeSync(fd, String(process.pid));
      closeSync(fd);
      let released = false;
      return {
        ok: true,
        lock: {
          release: () => {
            if (released) return;
            released = true;
            try {
              if (readFileSync(file, 'utf8').trim() === String(process.pid)) unlinkSync(file);
            } catch {
              // Already gone: nothing to release.
            }
          },
        },
      };
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      let holder = Number.NaN;
      try {
        holder = Number.parseInt(readFileSync(file, 'utf8').trim(), 10);
      } catch {
        // Removed between our open and read: try again.
      }
      if (Number.isInteger(holder) && holder !== process.pid && alive(holder)) return { ok: false, holder };
      try {
        unlinkSync(file); // stale: its process is gone
      } catch {
        // Someone else removed it first: try again.
      }
    }
  }
  return { ok: false, holder: Number.NaN };
}
