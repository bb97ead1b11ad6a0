import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openStore } from '../main/store/index.ts';
import { ndjson } from './helpers/cli.ts';
import { cliScope } from './helpers/cli-scope.ts';

/**
 * The SD CodeFree driver end to end over a socat pty pair with the real serialport: `pochub read`
 * waits on one end, `pochub simulate` switches the meter on at the other (it greets first), and
 * the download is stored; a second download stores nothing new.
 */
const scope = cliScope('pochub-codefree-');
const start = scope.start;

async function download(data: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const pty = await scope.ptyPair();
  const reader = start(['read', '--driver', 'sd-codefree', '--port', pty.b, '--timeout', '30', '--json', '--data', data]);
  await reader.waitForStderr(/^reading .* on serial /m);
  start(['simulate', '--driver', 'sd-codefree', '--port', pty.a, '--scenario', 'notes']);
  return reader.done;
}

describe('sd-codefree over a pty pair', () => {
  it('pochub simulate → pochub read: the meter greets, 37 readings stored newest first; a second download adds none', async () => {
    const data = scope.tempDir();
    const r = await download(data);
    expect(r.code, r.stderr).toBe(0);
    const readings = ndjson(r.stdout);
    expect(readings).toHaveLength(37);
    const times = readings.map((x) => String(x['deviceTime']));
    expect([...times].sort().reverse()).toEqual(times);
    expect(readings[1]?.['flags']).toContain('meal:before');
    const store = openStore(join(data, 'pochub.db'));
    expect(store.readings.countReadings()).toBe(37);
    store.close();
    const again = await download(data);
    // Exit 3: nothing new to print.
    expect(again.code, again.stderr).toBe(3);
    expect(again.stderr).toMatch(/37 reading\(s\) downloaded: 0 new, 37 already in the store/);
    const reopened = openStore(join(data, 'pochub.db'));
    expect(reopened.readings.countReadings()).toBe(37);
    reopened.close();
  });
});
