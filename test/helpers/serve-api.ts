/**
 * What the tests that drive a real `pochub serve --demo` through its HTTP API share: a demo hub
 * in a temp data folder (stopped and removed after the file), a signed-in API session per person
 * (its own cookie), and waiting for a state by polling.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect } from 'vitest';
import { startCli, type CliProcess } from './cli.ts';

/** The API's answer envelope. */
export interface Answer {
  ok: boolean;
  value?: unknown;
  error?: { code: string; message: string };
}
/** One API call in a signed-in session: resolves with the answer, refusals included. */
export type Call = (method: string, input?: unknown) => Promise<Answer>;

/** The address `pochub serve` prints: `open http://127.0.0.1:<port>/?token=…`. */
const OPEN_LINE = /open (http:\/\/127\.0\.0\.1:\d+\/\?token=\S+)/;

export interface ServeScope {
  /** The hub's data folder (a new temp folder, removed after the file). */
  readonly dataDir: string;
  /** `pochub <args>` as a child process, stopped after the file if still running. */
  start(args: string[]): CliProcess;
  /** `pochub serve --port 0 --demo` on the data folder; resolves with the process and its printed address. */
  serveDemo(): Promise<{ hub: CliProcess; base: URL }>;
}

/** Call once at the top of a test file: registers the clean-up with vitest's `afterAll`. */
export function serveScope(prefix: string): ServeScope {
  const dataDir = mkdtempSync(join(tmpdir(), prefix));
  const running: CliProcess[] = [];
  afterAll(async () => {
    for (const p of running) if (p.child.exitCode === null) p.child.kill('SIGTERM');
    await Promise.allSettled(running.map((p) => p.done));
    rmSync(dataDir, { recursive: true, force: true });
  });
  const start = (args: string[]): CliProcess => {
    const p = startCli(args);
    running.push(p);
    return p;
  };
  return {
    dataDir,
    start,
    async serveDemo() {
      const hub = start(['serve', '--port', '0', '--demo', '--data', dataDir]);
      await hub.waitForStdout(OPEN_LINE);
      return { hub, base: new URL(OPEN_LINE.exec(hub.stdout())?.[1] ?? '') };
    },
  };
}

/** A signed-in API session of its own (a cookie per person); the sign-in must succeed. */
export async function signedIn(base: URL, badgeId: string, pin: string): Promise<Call> {
  let cookie = '';
  const call: Call = async (method, input = {}) => {
    const res = await fetch(`http://127.0.0.1:${base.port}/api/${method}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${base.searchParams.get('token') ?? ''}`, 'content-type': 'application/json', ...(cookie ? { cookie } : {}) },
      body: JSON.stringify(input),
    });
    const set = res.headers.get('set-cookie');
    if (set) cookie = set.split(';')[0] ?? '';
    return (await res.json()) as Answer;
  };
  expect((await call('signIn', { badgeId, pin })).ok).toBe(true);
  return call;
}

/** Poll `check` every 200 ms until it finds something (a state of another process), or fail after `timeoutMs`. */
export async function until<T>(what: string, check: () => Promise<T | undefined>, timeoutMs = 60_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const found = await check();
    if (found !== undefined) return found;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}
