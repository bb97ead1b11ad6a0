import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openStore } from '../main/store/index.ts';
import { ndjson } from './helpers/cli.ts';
import { cliScope } from './helpers/cli-scope.ts';

/**
 * The Nonin Onyx 9560 driver end to end over a socat pty pair with the real serialport:
 * `pochub simulate` plays the oximeter on one end, `pochub read` reads and stores on the other.
 * The simulator is started first and waits for the host's first command, which stands for the
 * Bluetooth connection (its 5 s command window starts there).
 */
const scope = cliScope('pochub-onyx-');

interface Obs {
  code?: string;
  value?: { value?: number; unit?: string };
}
const values = (x: Record<string, unknown>): unknown[] => (x['observations'] as Obs[]).map((o) => [o.code, o.value?.value, o.value?.unit]);

describe('nonin-onyx-9560 over a pty pair', () => {
  it('DF13: records from memory keep their device time (corrected by the clock read at open), then the live one', async () => {
    const pty = await scope.ptyPair();
    const data = scope.tempDir();
    const sim = scope.start(['simulate', '--driver', 'nonin-onyx-9560', '--port', pty.a, '--scenario', 'memory']);
    await sim.waitForStderr(/^simulating /m);
    const reader = scope.start(['read', '--driver', 'nonin-onyx-9560', '--port', pty.b, '--timeout', '10', '--json', '--data', data]);
    const r = await reader.done;
    expect(r.code, r.stderr).toBe(0);
    const readings = ndjson(r.stdout);
    expect(readings.map(values)).toEqual([
      [['59408-5', 95, '%'], ['8867-4', 81, '/min']],
      [['59408-5', 96, '%'], ['8867-4', 77, '/min']],
      [['59408-5', 98, '%'], ['8867-4', 70, '/min']],
    ]);
    // The device clock is 7 min slow: the stored results are corrected, the live one is timed on arrival.
    expect(readings.map((x) => (x['clock'] as { source: string }).source)).toEqual(['device-corrected', 'device-corrected', 'workstation']);
    expect(readings[0]?.['flags']).toEqual(['spot-check-high-quality', 'from-memory', 'clock-skew']);
    expect(r.stderr).not.toMatch(/PROTOCOL_(GARBAGE|CHECKSUM)/);
    const store = openStore(join(data, 'pochub.db'));
    expect(store.readings.countReadings()).toBe(3);
    store.close();
  }, 90_000);

  it('DF8 selected by the option: the stream gives one reading by the stability rule', async () => {
    const pty = await scope.ptyPair();
    const data = scope.tempDir();
    const sim = scope.start(['simulate', '--driver', 'nonin-onyx-9560', '--port', pty.a, '--scenario', 'continuous', '--speed', '2']);
    await sim.waitForStderr(/^simulating /m);
    // At double speed a sample comes every 0.5 s and the window runs on the host's clock: a 4 s window.
    const reader = scope.start(['read', '--driver', 'nonin-onyx-9560', '--port', pty.b, '--timeout', '16', '--json', '--data', data, '--option', 'dataFormat=df8', '--option', 'stabilityWindowSeconds=4']);
    const r = await reader.done;
    expect(r.code, r.stderr).toBe(0);
    const readings = ndjson(r.stdout);
    expect(readings).toHaveLength(1);
    const [spo2, pulse] = values(readings[0] as Record<string, unknown>) as [[string, number, string], [string, number, string]];
    expect(spo2).toEqual(['59408-5', 97, '%']);
    expect([72, 73]).toContain(pulse[1]);
    expect(readings[0]?.['flags']).toEqual(['auto-capture']);
  }, 90_000);
});
