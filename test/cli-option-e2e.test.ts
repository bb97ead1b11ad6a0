import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ndjson, runCli, startCli, type CliProcess } from './helpers/cli.ts';
import { createPtyPair, type PtyPair } from './helpers/pty-pair.ts';

/** `--option key=value` on `pochub read` and `simulate`, with real processes over a socat pty pair. */
let pty: PtyPair | undefined;
const running: CliProcess[] = [];
const dirs: string[] = [];
afterEach(async () => {
  for (const p of running.splice(0)) if (p.child.exitCode === null) p.child.kill('SIGKILL');
  await pty?.close();
  pty = undefined;
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});
const start = (args: string[]): CliProcess => {
  const p = startCli(args);
  running.push(p);
  return p;
};
const dataDir = (): string => {
  const dir = mkdtempSync(join(tmpdir(), 'pochub-option-e2e-'));
  dirs.push(dir);
  return dir;
};

describe('pochub read / simulate --option', () => {
  it('reaches the session: Masimo with autoCapture=false makes no automatic reading (exit 3)', async () => {
    pty = await createPtyPair();
    const reader = start(['read', '--driver', 'masimo-rad8', '--port', pty.b, '--timeout', '10', '--json', '--data', dataDir(), '--option', 'autoCapture=false', '--option', 'stabilityWindowSeconds=5']);
    await reader.waitForStderr(/^reading .* on serial /m);
    start(['simulate', '--driver', 'masimo-rad8', '--port', pty.a, '--scenario', 'spot-check', '--speed', '10', '--option', 'autoCapture=false']);
    const r = await reader.done;
    expect(r.stderr).toMatch(/options: stabilityWindowSeconds=5 autoCapture=false/);
    expect(ndjson(r.stdout)).toEqual([]);
    expect(r.code, r.stderr).toBe(3);
  });

  it('a bad option is exit 2 naming it, before any port is opened', async () => {
    const read = await runCli(['read', '--driver', 'masimo-rad8', '--port', '/dev/does-not-exist', '--option', 'stabilityWindowSeconds=1', '--data', dataDir()]);
    expect(read.code).toBe(2);
    expect(read.stderr).toMatch(/--option stabilityWindowSeconds must be at least 2/);
    const sim = await runCli(['simulate', '--driver', 'siemens-clinitek-status', '--port', '/dev/does-not-exist', '--option', 'dateorder=mdy']);
    expect(sim.code).toBe(2);
    expect(sim.stderr).toMatch(/siemens-clinitek-status has only these options: dateOrder/);
  });
});
