import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openStore } from '../main/store/index.ts';
import { ndjson, runCli } from './helpers/cli.ts';
import { cliScope } from './helpers/cli-scope.ts';

/**
 * The GE DINAMAP driver end to end over a socat pty pair with the real serialport: `pochub
 * simulate` plays the monitor (answering polls and Start BP), `pochub read --command start-bp`
 * polls it, sends Start BP once the device is identified, and stores the BP result it gets.
 */
const scope = cliScope('pochub-dinamap-');
const start = scope.start;

interface Obs {
  code?: string;
  value?: { value?: number; unit?: string };
  components?: Obs[];
}

describe('ge-dinamap over a pty pair', () => {
  it('pochub read --command start-bp → one BP reading (the panel; the pulse comes from the oximeter, so it is not in it), stored; the command acknowledged', async () => {
    const pty = await scope.ptyPair();
    const data = scope.tempDir();
    const sim = start(['simulate', '--driver', 'ge-dinamap', '--port', pty.a, '--scenario', 'stream']);
    await sim.waitForStderr(/^simulating /m);
    // No automatic SpO2 capture: the only reading must be the one Start BP causes.
    const r = await runCli(['read', '--driver', 'ge-dinamap', '--port', pty.b, '--command', 'start-bp', '--option', 'autoCapture=false', '--timeout', '12', '--json', '--data', data]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/command start-bp: accepted/);
    const readings = ndjson(r.stdout);
    expect(readings).toHaveLength(1);
    const observations = readings[0]?.['observations'] as Obs[];
    expect(observations.map((o) => o.code)).toEqual(['85354-9']);
    expect(observations[0]?.components?.map((c) => c.code)).toEqual(['8480-6', '8462-4', '8478-0']);
    const store = openStore(join(data, 'pochub.db'));
    expect(store.readings.countReadings()).toBe(1);
    store.close();
  });

  it('an unknown --command is refused before the port is opened (exit 2), naming the commands there are', async () => {
    const r = await runCli(['read', '--driver', 'ge-dinamap', '--port', '/dev/null-not-there', '--command', 'inflate', '--timeout', '1']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--command inflate: .*start-bp, cancel-bp/);
  });
});
