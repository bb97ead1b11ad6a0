/**
 * The astm-urine driver through a real `pochub serve` and its API as the Devices screen uses it:
 * the port's test-code map is refused when an entry names a code the catalog lacks, accepted
 * otherwise, used by the port (an analyzer connecting to the listening hub: `pochub simulate
 * --connect`), and exported with the workstation configuration.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WorkstationConfig } from '../shared/config/workstation-config.ts';
import type { ReviewItem } from '../shared/api/model.ts';
import { startCli, type CliProcess } from './helpers/cli.ts';

interface Answer {
  ok: boolean;
  value?: unknown;
  error?: { code: string; message: string };
}
type Call = (method: string, input?: unknown) => Promise<Answer>;

const dataDir = mkdtempSync(join(tmpdir(), 'pochub-astm-serve-'));
const running: CliProcess[] = [];
let biomed: Call;
let assistant: Call;

const start = (args: string[]): CliProcess => {
  const p = startCli(args);
  running.push(p);
  return p;
};

async function session(base: URL, badgeId: string, pin: string): Promise<Call> {
  let cookie = '';
  const call: Call = async (method, input = {}) => {
    const res = await fetch(`http://127.0.0.1:${base.port}/api/${method}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${base.searchParams.get('token') ?? ''}`, 'content-type': 'application/json', ...(cookie ? { cookie } : {}) },
      body: JSON.stringify(input),
    });
    const set = res.headers.get('set-cookie');
    if (set) cookie = set.split(';')[0] ?? '';
    return (await res.json()) as Answer;
  };
  expect((await call('signIn', { badgeId, pin })).ok).toBe(true);
  return call;
}

async function until<T>(what: string, check: () => Promise<T | undefined>, timeoutMs = 60_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const found = await check();
    if (found !== undefined) return found;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (typeof address !== 'object' || !address) throw new Error('no port');
  return address.port;
}

beforeAll(async () => {
  const hub = start(['serve', '--port', '0', '--demo', '--data', dataDir]);
  await hub.waitForStdout(/open (http:\/\/127\.0\.0\.1:\d+\/\?token=\S+)/);
  const base = new URL(/open (http:\/\/127\.0\.0\.1:\d+\/\?token=\S+)/.exec(hub.stdout())?.[1] ?? '');
  biomed = await session(base, '2001', '2345');
  assistant = await session(base, '1001', '1234');
}, 60_000);

afterAll(async () => {
  for (const p of running) if (p.child.exitCode === null) p.child.kill('SIGTERM');
  await Promise.allSettled(running.map((p) => p.done));
  rmSync(dataDir, { recursive: true, force: true });
});

describe('an ASTM analyzer port with its test-code map', () => {
  it('refuses an unknown catalog code, takes a valid map, reads an analyzer that connects with it, and exports it', async () => {
    const tcp = await freePort();
    const id = `listen:127.0.0.1:${tcp}`;
    expect((await biomed('addPort', { transport: 'listen', path: `127.0.0.1:${tcp}` })).ok).toBe(true);

    const refused = await biomed('assignPort', { portId: id, driverId: 'astm-urine', options: { testCodes: 'ASC=99999-9' }, autoConnect: false });
    expect(refused).toMatchObject({ ok: false, error: { code: 'INPUT_INVALID' } });
    expect(refused.error?.message).toMatch(/ASC: 99999-9 is not a code in the catalog/);

    // The worked example sends Ehrlich units for URO; this port maps ASC too (not sent, harmless).
    const map = 'ASC=5792-7 mg/dL; NIT=5802-4';
    expect((await biomed('assignPort', { portId: id, driverId: 'astm-urine', options: { codeMap: 'lis2-example', testCodes: map }, autoConnect: false })).ok).toBe(true);
    expect((await biomed('connectPort', { portId: id })).ok).toBe(true);
    const analyzer = start(['simulate', '--driver', 'astm-urine', '--scenario', 'strip', '--connect', `127.0.0.1:${tcp}`, '--exit']);
    expect((await analyzer.done).stderr).toContain('scenario finished');

    const item = await until('the strip pending for review', async () =>
      ((await assistant('listReview')).value as ReviewItem[]).find((i) => i.reading.driver === 'astm-urine' && i.reading.context?.sampleId === 'SPC7781'),
    );
    expect(item.reading.observations).toHaveLength(10);
    expect(item.reading.context).toMatchObject({ operatorId: 'OP01', patientId: 'PID0042' });

    const config = (await biomed('exportConfig')).value as WorkstationConfig;
    expect(config.ports.find((p) => p.driverId === 'astm-urine')).toMatchObject({ transport: 'listen', options: { codeMap: 'lis2-example', testCodes: map } });
    expect((await biomed('disconnectPort', { portId: id })).ok).toBe(true);
  }, 120_000);
});
