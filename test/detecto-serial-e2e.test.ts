import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openStore } from '../main/store/index.ts';
import { ndjson } from './helpers/cli.ts';
import { cliScope } from './helpers/cli-scope.ts';

/**
 * The Detecto solo driver end to end over a socat pty pair with the real serialport: `pochub
 * simulate` plays the scale on one end, `pochub read` reads and stores on the other — prints
 * the scale sends by itself, and the one the Print command asks for.
 */
const scope = cliScope('pochub-detecto-');
const start = scope.start;

interface Obs {
  code?: string;
  value?: { value?: number; unit?: string };
}
const facts = (readings: Record<string, unknown>[]): unknown[] => readings.map((r) => (r['observations'] as Obs[]).map((o) => [o.code, o.value?.value, o.value?.unit]));

describe('detecto-solo over a pty pair', () => {
  it('pochub simulate → pochub read: four weighings stored in the units printed, the zero weight not a reading', async () => {
    const pty = await scope.ptyPair();
    const data = scope.tempDir();
    const reader = start(['read', '--driver', 'detecto-solo', '--port', pty.b, '--timeout', '14', '--json', '--data', data]);
    await reader.waitForStderr(/^reading .* on serial /m);
    start(['simulate', '--driver', 'detecto-solo', '--port', pty.a, '--scenario', 'weighings', '--speed', '4']);
    const r = await reader.done;
    expect(r.code, r.stderr).toBe(0);
    expect(facts(ndjson(r.stdout))).toEqual([
      [['29463-7', 132.3, '[lb_av]'], ['8302-2', 63, '[in_i]'], ['39156-5', 21.5, 'kg/m2']],
      [['29463-7', 193.8, '[lb_av]'], ['8302-2', 70.5, '[in_i]'], ['39156-5', 27.8, 'kg/m2']],
      [['29463-7', 150.2, '[lb_av]']],
      [['29463-7', 71.3, 'kg'], ['8302-2', 172, 'cm'], ['39156-5', 24.1, 'kg/m2']],
    ]);
    expect(r.stderr).toMatch(/weight 0\.0 lb \(nothing on the scale\)/);
    const store = openStore(join(data, 'pochub.db'));
    expect(store.readings.countReadings()).toBe(4);
    store.close();
  });

  it('pochub read --command print: the print request makes the scale send the weighing on the platform', async () => {
    const pty = await scope.ptyPair();
    const data = scope.tempDir();
    const sim = start(['simulate', '--driver', 'detecto-solo', '--port', pty.a, '--scenario', 'on-request']);
    await sim.waitForStderr(/^simulating /m);
    const r = await start(['read', '--driver', 'detecto-solo', '--port', pty.b, '--command', 'print', '--timeout', '8', '--json', '--data', data]).done;
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/command print: accepted/);
    expect(facts(ndjson(r.stdout))).toEqual([[['29463-7', 182.4, '[lb_av]'], ['8302-2', 71, '[in_i]'], ['39156-5', 25.4, 'kg/m2']]]);
  });
});
