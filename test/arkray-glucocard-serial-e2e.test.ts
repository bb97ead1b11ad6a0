import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { findDriver } from '../drivers/index.ts';
import { runAgainstSimulator } from '../drivers/kit/index.ts';
import { ndjson, runCli, startCli, type CliProcess } from './helpers/cli.ts';
import { createPtyPair, type PtyPair } from './helpers/pty-pair.ts';

/**
 * The Arkray serial meters end to end: `pochub simulate` plays the meter on one end of a socat
 * pty pair, `pochub read` downloads it on the other — the readings, control results kept apart,
 * and a second download that offers nothing new.
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
const content = (r: Record<string, unknown>): unknown => ({ kind: r['kind'], device: r['device'], observations: r['observations'], flags: r['flags'] });

describe.each([
  ['arkray-glucocard-expression', 60],
  ['arkray-relion-prime', 30],
] as const)('%s over a pty pair', (DRIVER, count) => {
  it('downloads the memory; a second download offers nothing new', async () => {
    const driver = findDriver(DRIVER);
    if (!driver) throw new Error(`${DRIVER} is not registered`);
    const inProcess = (await runAgainstSimulator(driver, { scenario: 'memory' })).result.readings;
    expect(inProcess).toHaveLength(count);

    pty = await createPtyPair();
    const data = mkdtempSync(join(tmpdir(), 'pochub-arkray-'));
    dirs.push(data);
    const meter = startCli(['simulate', '--driver', DRIVER, '--port', pty.a, '--scenario', 'memory']);
    running.push(meter);
    await meter.waitForStderr('simulating');

    const first = await runCli(['read', '--driver', DRIVER, '--port', pty.b, '--json', '--data', data, '--timeout', '120']);
    expect(first.code, first.stderr).toBe(0);
    const readings = ndjson(first.stdout);
    expect(readings.map(content)).toEqual(inProcess.map((r) => content(r as unknown as Record<string, unknown>)));
    expect(readings.filter((r) => r['kind'] === 'control').length).toBe(inProcess.filter((r) => r.kind === 'control').length);
    expect(first.stderr).toContain(`${count} reading(s) downloaded: ${count} new, 0 already in the store`);

    const second = await runCli(['read', '--driver', DRIVER, '--port', pty.b, '--json', '--data', data, '--timeout', '120']);
    expect(second.code, second.stderr).toBe(3);
    expect(second.stdout).toBe('');
    expect(second.stderr).toContain(`${count} reading(s) downloaded: 0 new, ${count} already in the store`);
  });
});
