import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openStore } from '../main/store/index.ts';
import { ndjson } from './helpers/cli.ts';
import { cliScope } from './helpers/cli-scope.ts';

/**
 * The Nonin ASCII driver end to end over a socat pty pair with the real serialport:
 * `pochub simulate` plays a 2500 after power-up (header lines, two patients) on one end,
 * `pochub read` reads and stores on the other.
 */
const scope = cliScope('pochub-nonin-');

interface Obs {
  code?: string;
  value?: { value?: number; unit?: string };
}

describe('nonin-ascii over a pty pair', () => {
  it('pochub simulate → pochub read: the header skipped, one reading per patient by the stability rule', async () => {
    const pty = await scope.ptyPair();
    const data = scope.tempDir();
    // The window runs on the host's clock (PROTOCOL.md §5): at double speed a line comes every
    // 0.5 s, so a 4 s window (eight lines or more) keeps the 35 s scenario to about 18 s.
    const reader = scope.start(['read', '--driver', 'nonin-ascii', '--port', pty.b, '--timeout', '24', '--json', '--data', data, '--option', 'stabilityWindowSeconds=4']);
    await reader.waitForStderr(/^reading .* on serial /m);
    scope.start(['simulate', '--driver', 'nonin-ascii', '--port', pty.a, '--scenario', 'spot-check', '--speed', '2']);
    const r = await reader.done;
    expect(r.code, r.stderr).toBe(0);
    const readings = ndjson(r.stdout);
    expect(readings).toHaveLength(2);
    const values = readings.map((x) => (x['observations'] as Obs[]).map((o) => [o.code, o.value?.value, o.value?.unit]));
    // Which line of patient 1 completes the window depends on the host's timing; its values
    // are 97–98 % and 72–74 /min on every line (simulator.ts). Patient 2 is 95 / 88 throughout.
    const [first] = values as [[string, number, string][]];
    expect(first.map(([code, , unit]) => [code, unit])).toEqual([['59408-5', '%'], ['8867-4', '/min']]);
    expect(first[0]?.[1]).toBeGreaterThanOrEqual(97);
    expect(first[0]?.[1]).toBeLessThanOrEqual(98);
    expect(first[1]?.[1]).toBeGreaterThanOrEqual(72);
    expect(first[1]?.[1]).toBeLessThanOrEqual(74);
    expect(values[1]).toEqual([['59408-5', 95, '%'], ['8867-4', 88, '/min']]);
    for (const x of readings) expect(x['flags']).toEqual(['auto-capture']);
    expect(r.stderr).not.toMatch(/PROTOCOL_GARBAGE/);
    const store = openStore(join(data, 'pochub.db'));
    expect(store.readings.countReadings()).toBe(2);
    store.close();
  }, 90_000);
});
