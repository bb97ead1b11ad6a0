import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { latin1 } from '../drivers/kit/index.ts';
import { openStore } from '../main/store/index.ts';
import { ndjson } from './helpers/cli.ts';
import { cliScope } from './helpers/cli-scope.ts';

/**
 * The URiSCAN PRO II driver end to end over a socat pty pair with the real serialport:
 * `pochub simulate` plays the analyzer on one end, `pochub read` reads and stores on the other.
 */
const scope = cliScope('pochub-uriscan-');
const start = scope.start;

interface Obs {
  code?: string;
  value?: { kind?: string; value?: number; code?: string; comparator?: string };
}

describe('yd-uriscan-pro2 over a pty pair', () => {
  it('pochub simulate → pochub read: two patients told apart by sample ID, names kept only as the raw evidence', async () => {
    const pty = await scope.ptyPair();
    const data = scope.tempDir();
    const reader = start(['read', '--driver', 'yd-uriscan-pro2', '--port', pty.b, '--timeout', '12', '--json', '--data', data]);
    await reader.waitForStderr(/^reading .* on serial /m);
    start(['simulate', '--driver', 'yd-uriscan-pro2', '--port', pty.a, '--scenario', 'two-patients', '--speed', '10']);
    const r = await reader.done;
    expect(r.code, r.stderr).toBe(0);
    const readings = ndjson(r.stdout);
    expect(readings.map((x) => (x['context'] as { sampleId?: string } | undefined)?.sampleId)).toEqual(['0039', '0040-2']);
    for (const x of readings) {
      expect(x['device']).toEqual({ manufacturer: 'YD Diagnostics', model: 'URiSCAN PRO II' });
      expect(x['observations']).toHaveLength(10);
      expect(typeof x['deviceTime']).toBe('string');
    }
    const second = (readings[1]?.['observations'] as Obs[]).map((o) => [o.code, o.value?.kind === 'quantity' ? o.value.value : o.value?.code]);
    expect(second).toEqual([
      ['20405-7', 0.2],
      ['25428-4', 'neg'],
      ['5770-3', 'neg'],
      ['2514-8', 'neg'],
      ['5804-0', 15],
      ['5802-4', 'pos'],
      ['5803-2', 7.5],
      ['5794-3', '1+'],
      ['5811-5', 1.02],
      ['5799-2', '2+'],
    ]);
    expect(r.stdout).not.toMatch(/DOE|ROE/);

    const store = openStore(join(data, 'pochub.db'));
    try {
      const stored = store.readings.listReadings({ driverId: 'yd-uriscan-pro2' });
      expect(stored.map((s) => s.reading.context?.sampleId).sort()).toEqual(['0039', '0040-2']);
      // The whole report is the evidence: the name the analyzer printed is there, and only there.
      const evidence = stored.map((s) => store.readings.getReading(s.id)?.raw.map(latin1).join('') ?? '');
      expect(evidence.join('\n')).toMatch(/NAME :ROE RICHARD/);
      expect(JSON.stringify(stored.map((s) => s.reading))).not.toMatch(/RICHARD|JANE/);
    } finally {
      store.close();
    }
  });

  it('pochub simulate → pochub read: the abnormal strip of the document examples', async () => {
    const pty = await scope.ptyPair();
    const reader = start(['read', '--driver', 'yd-uriscan-pro2', '--port', pty.b, '--timeout', '8', '--json', '--data', scope.tempDir()]);
    await reader.waitForStderr(/^reading .* on serial /m);
    start(['simulate', '--driver', 'yd-uriscan-pro2', '--port', pty.a, '--scenario', 'abnormal', '--speed', '10']);
    const r = await reader.done;
    expect(r.code, r.stderr).toBe(0);
    const [reading] = ndjson(r.stdout);
    const obs = reading?.['observations'] as Obs[];
    expect(obs.find((o) => o.code === '5804-0')?.value).toMatchObject({ kind: 'quantity', value: 2000, unit: 'mg/dL' });
    expect(obs.find((o) => o.code === '5811-5')?.value).toMatchObject({ kind: 'quantity', value: 1.03, comparator: '>=' });
    expect(obs.find((o) => o.code === '5794-3')?.value).toMatchObject({ kind: 'ordinal', code: '3+' });
  });
});
