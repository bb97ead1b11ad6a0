import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openStore } from '../main/store/index.ts';
import { ndjson } from './helpers/cli.ts';
import { cliScope } from './helpers/cli-scope.ts';

/**
 * The Health o meter Professional driver end to end over a socat pty pair with the real
 * serialport: `pochub simulate` streams two patients' locked weights (each packet repeated once
 * a second) on one end, `pochub read` collapses each stream into one reading and stores it.
 */
const scope = cliScope('pochub-healthometer-');
const start = scope.start;

interface Obs {
  code?: string;
  value?: { value?: number; unit?: string };
}
const facts = (readings: Record<string, unknown>[]): unknown[] => readings.map((r) => (r['observations'] as Obs[]).map((o) => [o.code, o.value?.value, o.value?.unit]));

describe('healthometer-professional over a pty pair', () => {
  it('pochub simulate → pochub read: a scale streaming two patients gives two readings, in the units N states', async () => {
    const pty = await scope.ptyPair();
    const data = scope.tempDir();
    const reader = start(['read', '--driver', 'healthometer-professional', '--port', pty.b, '--timeout', '14', '--json', '--data', data]);
    await reader.waitForStderr(/^reading .* on serial /m);
    start(['simulate', '--driver', 'healthometer-professional', '--port', pty.a, '--scenario', 'two-patients', '--speed', '4']);
    const r = await reader.done;
    expect(r.code, r.stderr).toBe(0);
    expect(facts(ndjson(r.stdout))).toEqual([
      [['29463-7', 184.5, '[lb_av]'], ['8302-2', 70, '[in_i]'], ['39156-5', 26.5, 'kg/m2']],
      [['29463-7', 71.3, 'kg'], ['8302-2', 172, 'cm'], ['39156-5', 24.1, 'kg/m2']],
    ]);
    const store = openStore(join(data, 'pochub.db'));
    expect(store.readings.countReadings()).toBe(2);
    store.close();
  });
});
