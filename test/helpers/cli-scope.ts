import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach } from 'vitest';
import { startCli, type CliProcess } from './cli.ts';
import { createPtyPair, type PtyPair } from './pty-pair.ts';

/** What a command-line end-to-end test makes, each removed after every test of the file. */
export interface CliScope {
  /** `pochub <args>` as a child process, killed after the test if still running. */
  start(args: string[]): CliProcess;
  /** A socat pty pair, closed after the test. */
  ptyPair(): Promise<PtyPair>;
  /** A new temp folder named `<prefix>…`, removed after the test. */
  tempDir(): string;
}

/** Call once at the top of a test file: registers the clean-up with vitest's `afterEach`. */
export function cliScope(prefix: string): CliScope {
  const running: CliProcess[] = [];
  const ptys: PtyPair[] = [];
  const dirs: string[] = [];
  afterEach(async () => {
    for (const p of running.splice(0)) if (p.child.exitCode === null) p.child.kill('SIGKILL');
    for (const pty of ptys.splice(0)) await pty.close();
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });
  return {
    start(args) {
      const p = startCli(args);
      running.push(p);
      return p;
    },
    async ptyPair() {
      const pty = await createPtyPair();
      ptys.push(pty);
      return pty;
    },
    tempDir() {
      const dir = mkdtempSync(join(tmpdir(), prefix));
      dirs.push(dir);
      return dir;
    },
  };
}
