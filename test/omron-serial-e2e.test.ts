import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openStore } from '../main/store/index.ts';
import { ndjson } from './helpers/cli.ts';
import { cliScope } from './helpers/cli-scope.ts';

/**
 * The Omron HBP-9030 driver end to end over a socat pty pair with the real serialport:
 * `pochub simulate` plays the monitor on one end, `pochub read` reads and stores on the other.
 */
const scope = cliScope('pochub-omron-');
const start = scope.start;

interface Obs {
  code?: string;
  value?: { value?: number; unit?: string };
  components?: Obs[];
}

describe('omron-hbp-9030 over a pty pair', () => {
  it('pochub simulate → pochub read: BP panels with pulse stored, the error line a device error, not a reading', async () => {
    const pty = await scope.ptyPair();
    const data = scope.tempDir();
    const reader = start(['read', '--driver', 'omron-hbp-9030', '--port', pty.b, '--timeout', '12', '--json', '--data', data]);
    await reader.waitForStderr(/^reading .* on serial /m);
    start(['simulate', '--driver', 'omron-hbp-9030', '--port', pty.a, '--scenario', 'measurements', '--speed', '10']);
    const r = await reader.done;
    expect(r.code, r.stderr).toBe(0);
    const readings = ndjson(r.stdout);
    expect(readings).toHaveLength(3);
    const bp = readings.map((x) => {
      const [panel, pulse] = x['observations'] as Obs[];
      return [panel?.code, ...(panel?.components ?? []).map((c) => c.value?.value), pulse?.code, pulse?.value?.value];
    });
    expect(bp).toEqual([
      ['85354-9', 120, 80, '8867-4', 72],
      ['85354-9', 138, 88, '8867-4', 81],
      ['85354-9', 140, 77, 98, '8867-4', 68],
    ]);
    expect(readings[1]?.['flags']).toContain('body-movement');
    expect(readings[0]?.['context']).toEqual({ sampleId: '12345678901234567890' });
    expect(r.stderr).toMatch(/could not finish the measurement .*Omron error code 2/);
    const store = openStore(join(data, 'pochub.db'));
    expect(store.readings.countReadings()).toBe(3);
    store.close();
  });
});
