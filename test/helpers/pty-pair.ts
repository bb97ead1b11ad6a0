import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** How long socat may take to create both ptys before we give up (it normally needs a few ms). */
const SOCAT_READY_TIMEOUT_MS = 5_000;
/** How long socat may take to exit after SIGTERM before we SIGKILL it. */
const SOCAT_EXIT_TIMEOUT_MS = 2_000;

/** Two pseudo-terminals wired back to back: what is written to one is read from the other. */
export interface PtyPair {
  /** Path of one end (a symlink to /dev/pts/N). */
  a: string;
  /** Path of the other end. */
  b: string;
  /**
   * Kill socat. Both ptys vanish at once, which to a program holding one looks exactly like a
   * USB-serial adapter being unplugged; tests use this to check disconnect handling.
   */
  close(): Promise<void>;
}

/**
 * Start `socat` with two raw ptys (no echo, no line discipline: bytes pass untouched) and
 * resolve once both links exist. Needs socat on PATH (Debian: apt-get install socat).
 */
export async function createPtyPair(): Promise<PtyPair> {
  const dir = await mkdtemp(join(tmpdir(), 'pochub-pty-'));
  const a = join(dir, 'a');
  const b = join(dir, 'b');
  const socat = spawn('socat', ['-d', '-d', `pty,raw,echo=0,link=${a}`, `pty,raw,echo=0,link=${b}`], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  const exited = new Promise<void>((resolve) => socat.once('exit', () => resolve()));
  // If the test process dies before close(), do not leave socat (and its ptys) behind.
  const killOnExit = (): void => {
    socat.kill('SIGKILL');
  };
  process.once('exit', killOnExit);
  void exited.then(() => process.off('exit', killOnExit));

  let log = '';
  try {
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => fail(new Error(`socat did not create its ptys within ${SOCAT_READY_TIMEOUT_MS} ms:\n${log}`)), SOCAT_READY_TIMEOUT_MS);
      function fail(error: Error): void {
        clearTimeout(timer);
        reject(error);
      }
      socat.once('error', (error) => fail(new Error(`could not start socat (is it installed?): ${error.message}`)));
      socat.once('exit', (code, signal) => fail(new Error(`socat exited early (${signal ?? code}):\n${log}`)));
      // With -d -d socat logs "starting data transfer loop" once both ptys and links are made;
      // waiting for that line avoids polling the file system.
      socat.stderr.setEncoding('utf8');
      socat.stderr.on('data', (text: string) => {
        log += text;
        if (log.includes('starting data transfer loop') && existsSync(a) && existsSync(b)) {
          clearTimeout(timer);
          resolve();
        }
      });
    });
  } catch (error) {
    socat.kill('SIGKILL');
    await rm(dir, { recursive: true, force: true });
    throw error;
  }

  let closed: Promise<void> | undefined;
  return {
    a,
    b,
    close(): Promise<void> {
      closed ??= (async () => {
        if (socat.exitCode === null && socat.signalCode === null) {
          socat.kill('SIGTERM');
          const timer = setTimeout(() => socat.kill('SIGKILL'), SOCAT_EXIT_TIMEOUT_MS);
          await exited;
          clearTimeout(timer);
        }
        await rm(dir, { recursive: true, force: true });
      })();
      return closed;
    },
  };
}
