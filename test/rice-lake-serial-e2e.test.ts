import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openStore } from '../main/store/index.ts';
import { ndjson } from './helpers/cli.ts';
import { cliScope } from './helpers/cli-scope.ts';

/**
 * The Rice Lake physician scale driver end to end over a socat pty pair with the real
 * serialport: `pochub simulate` prints the 21-character lines and BMI-mode blocks on one end,
 * `pochub read` reads and stores them on the other.
 */
const scope = cliScope('pochub-rice-lake-');
const start = scope.start;

interface Obs {
  code?: string;
  value?: { value?: number; unit?: string };
}
const facts = (readings: Record<string, unknown>[]): unknown[] =>
  readings.map((r) => [r['flags'], (r['observations'] as Obs[]).map((o) => [o.code, o.value?.value, o.value?.unit])]);

describe('rice-lake-physician over a pty pair', () => {
  it('pochub simulate → pochub read: print lines and BMI blocks stored in the units printed, the zero weight not a reading', async () => {
    const pty = await scope.ptyPair();
    const data = scope.tempDir();
    const reader = start(['read', '--driver', 'rice-lake-physician', '--port', pty.b, '--timeout', '14', '--json', '--data', data]);
    await reader.waitForStderr(/^reading .* on serial /m);
    start(['simulate', '--driver', 'rice-lake-physician', '--port', pty.a, '--scenario', 'prints', '--speed', '4']);
    const r = await reader.done;
    expect(r.code, r.stderr).toBe(0);
    expect(facts(ndjson(r.stdout))).toEqual([
      [[], [['29463-7', 185.5, '[lb_av]']]],
      [['net-weight'], [['29463-7', 84.2, 'kg']]],
      [[], [['29463-7', 215, '[lb_av]'], ['8302-2', 73, '[in_i]'], ['39156-5', 28.4, 'kg/m2']]],
      [[], [['29463-7', 97.5, 'kg'], ['8302-2', 185.4, 'cm'], ['39156-5', 28.4, 'kg/m2']]],
    ]);
    expect(r.stderr).toMatch(/weight 0\.0 lb \(nothing on the scale\)/);
    const store = openStore(join(data, 'pochub.db'));
    expect(store.readings.countReadings()).toBe(4);
    store.close();
  });
});
