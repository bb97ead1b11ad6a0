import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { fromLatin1, type Link } from '../drivers/kit/index.ts';
import { openStore } from '../main/store/index.ts';
import { openSerialLink } from '../main/transports/index.ts';
import { ndjson } from './helpers/cli.ts';
import { cliScope } from './helpers/cli-scope.ts';

/**
 * The Mission U120 / Consult 120 driver end to end over a socat pty pair with the real
 * serialport: `pochub simulate` (or bytes written by the test) plays the analyzer on one end,
 * `pochub read` reads and stores on the other.
 */
const scope = cliScope('pochub-u120-');
const start = scope.start;
const SERIAL_9600 = { baudRate: 9600, dataBits: 8, parity: 'none', stopBits: 1, flowControl: 'none' } as const;
const links: Link[] = [];
afterEach(async () => {
  for (const l of links.splice(0)) await l.close().catch(() => undefined);
});

const LINES = [' LEU       -              neg', ' NIT       -              neg', ' URO       -       0.2  mg/dL', ' PRO       -              neg', ' pH               6.0', ' BLO       -              neg', ' SG         1.010', ' KET       -              neg', ' BIL       -              neg', ' GLU       -              neg'];
const report = (id: string, date: string, no: string): string => `\x02${[` ID:${id}`, ` Date:${date}`, ' Operator: 100', ` No. ${no}`, ...LINES].map((l) => `${l}\r\n`).join('')}\x03`;
const sampleIds = (readings: Record<string, unknown>[]): unknown[] => readings.map((r) => (r['context'] as { sampleId?: string } | undefined)?.sampleId);

describe('acon-mission-u120 over a pty pair', () => {
  it('pochub simulate (two patients) → pochub read: one reading per report, each with its sample ID, stored', async () => {
    const pty = await scope.ptyPair();
    const data = scope.tempDir();
    const reader = start(['read', '--driver', 'acon-mission-u120', '--port', pty.b, '--timeout', '12', '--json', '--data', data]);
    await reader.waitForStderr(/^reading .* on serial /m);
    start(['simulate', '--driver', 'acon-mission-u120', '--port', pty.a, '--scenario', 'two-patients', '--speed', '10']);
    const r = await reader.done;
    expect(r.code, r.stderr).toBe(0);
    const readings = ndjson(r.stdout);
    expect(sampleIds(readings)).toEqual(['100234', '100235']);
    expect(readings.map((x) => x['deviceTime'])).toEqual(['2026-05-15T17:02:00', '2026-05-15T17:05:00']);
    expect(readings.map((x) => (x['observations'] as unknown[]).length)).toEqual([10, 11]);
    expect(readings[1]?.['flags']).toContain('abnormal');
    const store = openStore(join(data, 'pochub.db'));
    expect(store.readings.countReadings()).toBe(2);
    store.close();
  });

  it('broken reports from the wire: a tail without STX, a report without ETX, garbage inside; only whole reports are read and stored', async () => {
    const pty = await scope.ptyPair();
    const data = scope.tempDir();
    const reader = start(['read', '--driver', 'acon-mission-u120', '--port', pty.b, '--timeout', '4', '--json', '--data', data]);
    await reader.waitForStderr(/^reading .* on serial /m);
    const device = await openSerialLink(pty.a, SERIAL_9600);
    links.push(device);
    const cutShort = report('P-2', '20-05-2026 10:02', '200002').slice(0, 140);
    const garbled = report('P-4', '20-05-2026 10:04', '200004').replace(' PRO', ' P\x00RO');
    await device.write(fromLatin1(' BIL       -              neg\r\n GLU       -              neg\r\n\x03'));
    await device.write(fromLatin1(report('P-1', '03-09-2026 12:42 pm', '200001')));
    await device.write(fromLatin1(cutShort));
    await device.write(fromLatin1(report('P-3', '04-09-2026 12:05 am', '200003')));
    await device.write(fromLatin1(garbled));
    await device.write(fromLatin1(report('P-5', '20-05-2026 10:05', '200005')));
    const r = await reader.done;
    expect(r.code, r.stderr).toBe(0);
    const readings = ndjson(r.stdout);
    expect(sampleIds(readings)).toEqual(['P-1', 'P-3', 'P-5']);
    expect(readings.map((x) => x['deviceTime'])).toEqual(['2026-09-03T12:42:00', '2026-09-04T00:05:00', '2026-05-20T10:05:00']);
    expect(r.stderr).toMatch(/warning: skipped 2 noises, 1 truncated frame/);
    const store = openStore(join(data, 'pochub.db'));
    expect(store.readings.countReadings()).toBe(3);
    store.close();
  });
});
