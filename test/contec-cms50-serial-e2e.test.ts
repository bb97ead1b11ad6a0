import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openStore } from '../main/store/index.ts';
import { ndjson } from './helpers/cli.ts';
import { cliScope } from './helpers/cli-scope.ts';

/**
 * The Contec CMS50 driver end to end over a socat pty pair with the real serialport:
 * `pochub simulate` plays the oximeter on one end, `pochub read` reads and stores on the other.
 * The V7.0 device streams only after the reader's start command and needs its keep-alive; the
 * older firmware streams by itself. Both are told apart by the default `auto` protocol.
 */
const scope = cliScope('pochub-cms50-');

interface Obs {
  code?: string;
  value?: { value?: number; unit?: string; label?: string; text?: string };
}

async function readAgainst(scenario: string, deviceFirst: boolean): Promise<{ readings: Record<string, unknown>[]; data: string }> {
  const pty = await scope.ptyPair();
  const data = scope.tempDir();
  // Double speed keeps the simulated V7.0 keep-alive lapse (15 s simulated) beyond the driver's
  // 5 s keep-alive. A V7.0 device waits for the start command the reader sends on open, so it
  // goes first; the older firmware streams at once, so the reader goes first.
  const simulate = ['simulate', '--driver', 'contec-cms50', '--port', pty.a, '--scenario', scenario, '--speed', '2'];
  const read = ['read', '--driver', 'contec-cms50', '--port', pty.b, '--timeout', '14', '--json', '--data', data];
  let reader;
  if (deviceFirst) {
    await scope.start(simulate).waitForStderr(/^simulating /m);
    reader = scope.start(read);
  } else {
    reader = scope.start(read);
    await reader.waitForStderr(/^reading .* on serial /m);
    scope.start(simulate);
  }
  const r = await reader.done;
  expect(r.code, r.stderr).toBe(0);
  return { readings: ndjson(r.stdout), data };
}

const values = (reading: Record<string, unknown>) => (reading['observations'] as Obs[]).map((o) => (o.code ? [o.code, o.value?.value, o.value?.unit] : [o.value?.label, o.value?.text]));

describe('contec-cms50 over a pty pair', () => {
  it('V7.0: streams once the reader sends start, one reading from the sample clock', async () => {
    const { readings, data } = await readAgainst('spot-check', true);
    expect(readings).toHaveLength(1);
    // simulator.ts spot-check: finger from second 2; second 12 is i = 10: 97 + 0, 72 + 0, PI (176 + 72 % 7) / 100.
    expect(values(readings[0] ?? {})).toEqual([['59408-5', 97, '%'], ['8867-4', 72, '/min'], ['PI', '1.78%']]);
    expect(readings[0]?.['device']).toEqual({ manufacturer: 'Contec', model: 'CMS50 (V7.0 protocol)' });
    const store = openStore(join(data, 'pochub.db'));
    expect(store.readings.countReadings()).toBe(1);
    store.close();
  }, 90_000);

  it('older firmware: detected from its 5-byte frames, pulse above 127 read whole', async () => {
    const { readings } = await readAgainst('legacy', false);
    expect(readings.map(values)).toEqual([[['59408-5', 96, '%'], ['8867-4', 130, '/min']]]);
    expect(readings[0]?.['device']).toEqual({ manufacturer: 'Contec', model: 'CMS50 (older firmware)' });
  }, 90_000);
});
