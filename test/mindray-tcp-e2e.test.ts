import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openStore } from '../main/store/index.ts';
import { ndjson, startCli, type CliProcess } from './helpers/cli.ts';

/**
 * The mindray-hl7 driver end to end over real TCP sockets, both ways: the hub connecting to a
 * simulated PDS monitor (`pochub simulate --tcp` ↔ `pochub read --tcp`), and simulated PCD-01
 * monitors connecting to the hub's listening port (`pochub read --listen` ↔ `pochub simulate
 * --connect`). The NIBP result is sent twice (PDS resend, PCD-01 lost acknowledgement): one reading.
 */
const running: CliProcess[] = [];
const dirs: string[] = [];
afterEach(() => {
  for (const p of running.splice(0)) if (p.child.exitCode === null) p.child.kill('SIGKILL');
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

const start = (args: string[]): CliProcess => {
  const p = startCli(args);
  running.push(p);
  return p;
};
const dataDir = (): string => {
  const dir = mkdtempSync(join(tmpdir(), 'pochub-mindray-'));
  dirs.push(dir);
  return dir;
};
const portOf = (text: string): string => /127\.0\.0\.1:(\d+)/.exec(text)?.[1] ?? '';

interface Obs {
  code?: string;
  mdc?: number;
  value?: { value?: number };
  components?: Obs[];
}
const bp = (reading: Record<string, unknown>): unknown[] => {
  const [panel, pulse] = reading['observations'] as Obs[];
  return [panel?.code, ...(panel?.components ?? []).map((c) => c.value?.value), pulse?.mdc, pulse?.value?.value];
};

describe('mindray-hl7 over TCP', () => {
  it('PDS: the hub connects to the monitor, keeps the link alive, and the 503 sent twice is one reading', async () => {
    const data = dataDir();
    const monitor = start(['simulate', '--driver', 'mindray-hl7', '--scenario', 'pds', '--tcp', '0']);
    await monitor.waitForStderr(/listening on 127\.0\.0\.1:\d+/);
    const reader = start(['read', '--driver', 'mindray-hl7', '--tcp', `127.0.0.1:${portOf(monitor.stderr())}`, '--timeout', '15', '--json', '--data', data]);
    // The monitor drops a client whose keep-alive stops; finishing the scenario shows it did not.
    await monitor.waitForStderr('scenario finished');
    const r = await reader.done;
    expect(r.code, r.stderr).toBe(0);
    const readings = ndjson(r.stdout);
    expect(readings.map(bp)).toEqual([['85354-9', 120, 80, 93, 149546, 74]]);
    expect(readings[0]?.['deviceTime']).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d$/);
    const store = openStore(join(data, 'pochub.db'));
    expect(store.readings.countReadings()).toBe(1);
    store.close();
  }, 60_000);

  it('PCD-01: monitors connect to the listening hub, every message is acknowledged, a resend after a lost ACK is not a second reading', async () => {
    const data = dataDir();
    const hub = start(['read', '--driver', 'mindray-hl7', '--listen', '127.0.0.1:0', '--timeout', '20', '--json', '--data', data]);
    await hub.waitForStderr(/listening for .* on 127\.0\.0\.1:\d+/);
    const port = portOf(hub.stderr());
    // Two monitors at once: one connection each, several connections allowed.
    const lost = start(['simulate', '--driver', 'mindray-hl7', '--scenario', 'pcd01-lost-ack', '--connect', `127.0.0.1:${port}`, '--exit']);
    const plain = start(['simulate', '--driver', 'mindray-hl7', '--scenario', 'pcd01', '--connect', `127.0.0.1:${port}`, '--exit']);
    const [a, b] = await Promise.all([lost.done, plain.done]);
    // Each simulator only finishes its scenario when every message was acknowledged.
    expect(a.stderr).toContain('scenario finished');
    expect(b.stderr).toContain('scenario finished');
    const r = await hub.done;
    expect(r.stderr).toMatch(/2 connection\(s\)/);
    const readings = ndjson(r.stdout);
    // One reading per monitor: the resent NIBP message (lost ACK) is not a second one.
    expect(readings.map(bp).sort()).toEqual([
      ['85354-9', 118, 76, 90, 149546, 70],
      ['85354-9', 122, 78, 93, 149546, 68],
    ]);
    expect((readings[0]?.['device'] as { serial?: string }).serial).toBe('00A03700273EDE18');
    const store = openStore(join(data, 'pochub.db'));
    expect(store.readings.countReadings()).toBe(readings.length);
    store.close();
  }, 60_000);
});
