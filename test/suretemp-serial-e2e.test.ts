import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openStore } from '../main/store/index.ts';
import { ndjson } from './helpers/cli.ts';
import { cliScope } from './helpers/cli-scope.ts';

/**
 * The Welch Allyn SureTemp Plus driver end to end over a socat pty pair with the real
 * serialport: `pochub read` polls the temperature record on one end, `pochub simulate` plays the
 * module answering the polls on the other. Each final temperature is shown for many polls and
 * must be stored once, with the site its algorithm names.
 */
const scope = cliScope('pochub-suretemp-');
const start = scope.start;

interface Obs {
  code?: string;
  value?: { value?: number; unit?: string };
  bodySite?: { code?: string };
}

describe('welch-allyn-suretemp-plus over a pty pair', () => {
  it('pochub read polls, pochub simulate answers: three determinations → three readings (oral, axillary, rectal), none repeated, stored', async () => {
    const pty = await scope.ptyPair();
    const data = scope.tempDir();
    // The reader first: its first record is the baseline, so it must see the module before a final shows.
    const reader = start(['read', '--driver', 'welch-allyn-suretemp-plus', '--port', pty.b, '--timeout', '32', '--json', '--data', data]);
    await reader.waitForStderr(/^reading .* on serial /m);
    // At 2x speed each final stays 2.5 s on the record: about five polls, all the same determination.
    start(['simulate', '--driver', 'welch-allyn-suretemp-plus', '--port', pty.a, '--scenario', 'sites', '--speed', '2']);
    const r = await reader.done;
    expect(r.code, r.stderr).toBe(0);
    const readings = ndjson(r.stdout);
    const temps = readings.map((x) => {
      const [o] = x['observations'] as Obs[];
      return [o?.code, o?.value?.value, o?.value?.unit, o?.bodySite?.code];
    });
    expect(temps).toEqual([
      ['8310-5', 36.8, 'Cel', '74262004'],
      ['8310-5', 36.4, 'Cel', '422543003'],
      ['8310-5', 37.9, 'Cel', '34402009'],
    ]);
    const store = openStore(join(data, 'pochub.db'));
    expect(store.readings.countReadings()).toBe(3);
    store.close();
  });
});
