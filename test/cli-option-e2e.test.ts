import { describe, expect, it } from 'vitest';
import { ndjson, runCli } from './helpers/cli.ts';
import { cliScope } from './helpers/cli-scope.ts';

/** `--option key=value` on `pochub read` and `simulate`, with real processes over a socat pty pair. */
const scope = cliScope('pochub-option-e2e-');
const start = scope.start;
const dataDir = scope.tempDir;

describe('pochub read / simulate --option', () => {
  it('reaches the session: Masimo with autoCapture=false makes no automatic reading (exit 3)', async () => {
    const pty = await scope.ptyPair();
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
