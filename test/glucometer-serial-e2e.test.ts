import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { findDriver } from '../drivers/index.ts';
import { runAgainstSimulator } from '../drivers/kit/index.ts';
import { ROOT, ndjson } from './helpers/cli.ts';
import { cliScope } from './helpers/cli-scope.ts';
import { expectNothingNew, simulateOnPty } from './helpers/meter-pty.ts';

/**
 * The serial meters end to end: `pochub simulate` plays the meter on one end of a socat pty
 * pair, `pochub read` downloads it on the other — readings, progress, and a second download that
 * offers nothing new.
 */
const run = promisify(execFile);
const scope = cliScope('pochub-meter-');

/** Reading content that does not depend on when it was read (simulated meters date their records from their clock). */
const content = (r: Record<string, unknown>): unknown => ({ kind: r['kind'], device: r['device'], observations: r['observations'] });

describe.each(['lifescan-onetouch-ultra2', 'lifescan-onetouch-ultraeasy', 'lifescan-onetouch-verio-iq', 'abbott-freestyle-lite', 'abbott-freestyle-optium'])('%s over a pty pair', (driverId) => {
  it('downloads the meter memory with progress; a second download offers nothing new', async () => {
    const driver = findDriver(driverId);
    if (!driver) throw new Error(`${driverId} is not registered`);
    // What the same simulator gives in-process: the CLI over a real pty must give the same.
    const inProcess = (await runAgainstSimulator(driver, { scenario: 'memory' })).result.readings;
    expect(inProcess.length).toBeGreaterThanOrEqual(50);

    const meter = await simulateOnPty(scope, driverId, 'memory');

    // First download, with standard error on a terminal (script(1) gives it one) so the
    // progress bar is drawn, and standard output redirected to a file: clean NDJSON.
    const out = join(meter.data, 'first.ndjson');
    const cmd = `${process.execPath} ${join(ROOT, 'bin', 'pochub.mjs')} read --driver ${driverId} --port ${meter.port} --json --data ${meter.data} --timeout 120 > ${out}`;
    const terminal = await run('script', ['-qec', cmd, '/dev/null'], { cwd: ROOT, env: { ...process.env, TZ: 'UTC' } });
    const readings = ndjson(readFileSync(out, 'utf8'));
    expect(readings.map(content)).toEqual(inProcess.map((r) => content(r as unknown as Record<string, unknown>)));
    expect(terminal.stdout).toContain(`${inProcess.length}/${inProcess.length} records`);
    expect(terminal.stdout).toContain(`${inProcess.length} reading(s) downloaded: ${inProcess.length} new, 0 already in the store`);
    // QC stays apart where the meter marks it (the UltraEasy protocol has no control marker).
    expect(readings.filter((r) => r['kind'] === 'control').length).toBe(inProcess.filter((r) => r.kind === 'control').length);

    expectNothingNew(await meter.read(), inProcess.length);
  });
});

describe.each(['lifescan-onetouch-ultra2', 'abbott-freestyle-lite', 'abbott-freestyle-optium'])('meter clock over a pty pair (%s)', (driverId) => {
  it('warns about a meter clock 2 h behind, corrects and flags the readings, and sets the clock only with --set-clock', async () => {
    const meter = await simulateOnPty(scope, driverId, 'clock-off');

    const first = await meter.read();
    expect(first.code, first.stderr).toBe(0);
    expect(first.stderr).toMatch(/warning: the device clock reads .*, 2 h behind this workstation\. Readings are corrected and flagged clock-skew; run again with --set-clock to set it\./);
    const readings = ndjson(first.stdout);
    expect(readings.length).toBeGreaterThan(0);
    for (const r of readings) {
      expect(r['flags']).toContain('clock-skew');
      // The meter clock has whole seconds and the exchange takes a moment: 2 h, give or take a few seconds.
      const clock = r['clock'] as { source: string; skewSeconds: number };
      expect(clock.source).toBe('device-corrected');
      expect(Math.abs(clock.skewSeconds - 7200)).toBeLessThanOrEqual(5);
    }
    expect(first.stderr).not.toContain('was set');

    const second = await meter.read(['--set-clock']);
    expect(second.stderr).toContain('setting it after the download');
    expect(second.stderr).toContain("the device clock was set to this workstation's time");

    const third = await meter.read();
    expect(third.stderr).not.toContain('warning: the device clock');
  });
});
