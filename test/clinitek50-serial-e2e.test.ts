import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openStore } from '../main/store/index.ts';
import { ndjson } from './helpers/cli.ts';
import { cliScope } from './helpers/cli-scope.ts';

/**
 * The Clinitek 50 end to end over a socat pty pair with the real serialport: `pochub simulate`
 * plays the analyzer (it answers ENQ, DC2, ACK and NAK), `pochub read` opens its port with DTR to
 * be held low (a pty has no DTR: the setting is skipped) and downloads the memory.
 */
const scope = cliScope('pochub-clinitek50-');

interface Obs {
  code?: string;
  value?: { kind?: string; code?: string; text?: string; value?: number };
  interpretation?: string;
}

describe('siemens-clinitek-50 over a pty pair', () => {
  it('pochub simulate → pochub read: a damaged packet is NAKed and resent, three results stored once each', async () => {
    const pty = await scope.ptyPair();
    const data = scope.tempDir();
    const analyzer = scope.start(['simulate', '--driver', 'siemens-clinitek-50', '--port', pty.a, '--scenario', 'corrupted']);
    await analyzer.waitForStderr('simulating');
    const reader = scope.start(['read', '--driver', 'siemens-clinitek-50', '--port', pty.b, '--timeout', '60', '--json', '--data', data]);
    const r = await reader.done;
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/DTR low/);
    const readings = ndjson(r.stdout);
    expect(readings.map((x) => (x['context'] as { sequence?: string }).sequence)).toEqual(['006', '007', '008']);
    expect(readings[0]?.['device']).toEqual({ manufacturer: 'Siemens', model: 'Clinitek 50', firmware: '01.02' });
    const last = readings[2]?.['observations'] as Obs[];
    expect(last[0]).toMatchObject({ code: '5778-6', value: { kind: 'text', text: 'HELL GELB' } });
    expect(last.find((o) => o.code === '5794-3')).toMatchObject({ value: { kind: 'ordinal', code: 'pos', text: 'Ca 10 Ery/uL' }, interpretation: 'A' });
    expect(r.stderr).toMatch(/checksum/i);
    const store = openStore(join(data, 'pochub.db'));
    expect(store.readings.countReadings()).toBe(3);
    store.close();
  });

  it('an empty memory: the analyzer answers NAK, nothing is stored', async () => {
    const pty = await scope.ptyPair();
    const data = scope.tempDir();
    const analyzer = scope.start(['simulate', '--driver', 'siemens-clinitek-50', '--port', pty.a, '--scenario', 'no-data']);
    await analyzer.waitForStderr('simulating');
    const r = await scope.start(['read', '--driver', 'siemens-clinitek-50', '--port', pty.b, '--timeout', '60', '--json', '--data', data]).done;
    expect(ndjson(r.stdout)).toEqual([]);
    expect(r.code, r.stderr).toBe(3);
  });
});
