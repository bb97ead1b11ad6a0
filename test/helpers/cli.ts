import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';

export const ROOT = join(import.meta.dirname, '..', '..');
const BIN = join(ROOT, 'bin', 'pochub.mjs');

export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** A running `pochub` process whose output is collected as it comes. */
export interface CliProcess {
  child: ChildProcess;
  stdout(): string;
  stderr(): string;
  /** Resolves when the process exits. */
  done: Promise<CliRun>;
  /** Resolves once stdout contains `text` (or rejects when the process exits first). */
  waitForStdout(text: string | RegExp): Promise<void>;
  /** Resolves once stderr contains `text` (or rejects when the process exits first). */
  waitForStderr(text: string | RegExp): Promise<void>;
}

/** Start `node bin/pochub.mjs …` the way a user runs it. */
export function startCli(args: readonly string[], env: NodeJS.ProcessEnv = {}): CliProcess {
  const child = spawn(process.execPath, [BIN, ...args], { cwd: ROOT, env: { ...process.env, TZ: 'UTC', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  type Waiter = { test: (s: string) => boolean; resolve: () => void };
  const waiters: Record<'out' | 'err', Waiter[]> = { out: [], err: [] };
  child.stdout?.setEncoding('utf8').on('data', (s: string) => {
    out += s;
    for (const w of [...waiters.out]) if (w.test(out)) w.resolve();
  });
  child.stderr?.setEncoding('utf8').on('data', (s: string) => {
    err += s;
    for (const w of [...waiters.err]) if (w.test(err)) w.resolve();
  });
  const done = new Promise<CliRun>((resolve) => child.once('close', (code) => resolve({ code, stdout: out, stderr: err })));
  const waitFor = (stream: 'out' | 'err', text: string | RegExp): Promise<void> => {
    const test = (s: string): boolean => (typeof text === 'string' ? s.includes(text) : text.test(s));
    if (test(stream === 'out' ? out : err)) return Promise.resolve();
    return new Promise((resolve, reject) => {
      waiters[stream].push({ test, resolve });
      void done.then((r) => reject(new Error(`pochub exited (${r.code}) before printing ${String(text)}:\n${r.stderr}`)));
    });
  };
  return {
    child,
    stdout: () => out,
    stderr: () => err,
    done,
    waitForStdout: (text) => waitFor('out', text),
    waitForStderr: (text) => waitFor('err', text),
  };
}

/** Run `pochub` to the end. */
export function runCli(args: readonly string[], env: NodeJS.ProcessEnv = {}): Promise<CliRun> {
  return startCli(args, env).done;
}

/** Parse NDJSON output into objects, ignoring blank lines. */
export function ndjson(text: string): Record<string, unknown>[] {
  return text
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as Record<string, unknown>);
}

/** An operator to add with {@link addOperatorByCli}. */
export interface CliOperator {
  name: string;
  badge: string;
  role: 'assistant' | 'biomed' | 'admin';
  pin: string;
}

/** `pochub operators add` as a person runs it: the PIN piped in on standard input, never an argument. */
export function addOperatorByCli(dataDir: string, o: CliOperator): Promise<void> {
  const child = spawn(process.execPath, [BIN, 'operators', 'add', '--name', o.name, '--badge', o.badge, '--role', o.role, '--data', dataDir], {
    cwd: ROOT,
    env: { ...process.env, TZ: 'UTC' },
    stdio: ['pipe', 'ignore', 'pipe'],
  });
  let err = '';
  child.stderr.setEncoding('utf8').on('data', (s: string) => (err += s));
  child.stdin.end(`${o.pin}\n`);
  return new Promise((resolve, reject) => child.once('close', (code) => (code === 0 ? resolve() : reject(new Error(`operators add failed (${code}): ${err}`)))));
}
