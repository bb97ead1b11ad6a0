import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { findDriver } from '../drivers/index.ts';
import { runAgainstSimulator } from '../drivers/kit/index.ts';
import { ndjson, runCli, startCli, type CliProcess } from './helpers/cli.ts';
import { createPtyPair, type PtyPair } from './helpers/pty-pair.ts';

/**
 * isens-caresens on a serial link (ReliOn Premier, GLUCOCARD Shine) end to end: `pochub simulate` plays the
 * meter on one end of a socat pty pair, `pochub read` downloads it on the other — the readings,
 * control results kept apart, and a second download that offers nothing new.
 */
let pty: PtyPair | undefined;
const running: CliProcess[] = [];
const dirs: string[] = [];
afterEach(async () => {
  for (const p of running.splice(0)) if (p.child.exitCode === null) p.child.kill('SIGKILL');
  await pty?.close();
  pty = undefined;
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** Reading content that does not depend on when it was read. */
const content = (r: Record<string, unknown>): unknown => ({ kind: r['kind'], device: r['device'], deviceTime: r['deviceTime'], observations: r['observations'], flags: r['flags'] });
const DRIVER = 'isens-caresens';

describe('isens-caresens over a pty pair (its serial link)', () => {
  it('downloads the memory (40 results, two GLUE blocks); a second download offers nothing new', async () => {
    const driver = findDriver(DRIVER);
    if (!driver) throw new Error(`${DRIVER} is not registered`);
    const inProcess = (await runAgainstSimulator(driver, { scenario: 'memory', link: 'serial' })).result.readings;
    expect(inProcess).toHaveLength(40);

    pty = await createPtyPair();
    const data = mkdtempSync(join(tmpdir(), 'pochub-isens-'));
    dirs.push(data);
    const meter = startCli(['simulate', '--driver', DRIVER, '--port', pty.a, '--scenario', 'memory']);
    running.push(meter);
    await meter.waitForStderr('simulating');

    const first = await runCli(['read', '--driver', DRIVER, '--port', pty.b, '--json', '--data', data, '--timeout', '120']);
    expect(first.code, first.stderr).toBe(0);
    const readings = ndjson(first.stdout);
    // The simulator in the other process has its own clock: compare what does not depend on it.
    const timeless = (r: unknown): unknown => {
      const { deviceTime: _t, ...rest } = content(r as Record<string, unknown>) as Record<string, unknown>;
      return rest;
    };
    expect(readings.map(timeless)).toEqual(inProcess.map(timeless));
    expect(readings.filter((r) => r['kind'] === 'control')).toHaveLength(2);
    expect(first.stderr).toContain('40 reading(s) downloaded: 40 new, 0 already in the store');

    const second = await runCli(['read', '--driver', DRIVER, '--port', pty.b, '--json', '--data', data, '--timeout', '120']);
    expect(second.code, second.stderr).toBe(3);
    expect(second.stdout).toBe('');
    expect(second.stderr).toContain('40 reading(s) downloaded: 0 new, 40 already in the store');
  });
});
