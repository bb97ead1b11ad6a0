import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openStore } from '../main/store/index.ts';
import { ndjson, runCli, startCli, type CliProcess } from './helpers/cli.ts';

/**
 * The Welch Allyn Connectivity SDK driver end to end over real HTTP on the loopback interface:
 * `pochub simulate --http` serves the service's JSON, `pochub read --url` reads and stores.
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

interface Obs {
  code?: string;
  value?: { value?: number; unit?: string; text?: string };
  components?: Obs[];
}

describe('welch-allyn-connex-sdk over HTTP', () => {
  it('pochub simulate --http → pochub read --url: stored and current readings stored once, in display units, and a trace recorded', async () => {
    const data = mkdtempSync(join(tmpdir(), 'pochub-welch-'));
    dirs.push(data);
    const sim = start(['simulate', '--driver', 'welch-allyn-connex-sdk', '--http', '0']);
    await sim.waitForStderr(/serving HTTP on http:\/\/127\.0\.0\.1:\d+/);
    const port = /serving HTTP on http:\/\/127\.0\.0\.1:(\d+)/.exec(sim.stderr())?.[1];
    expect(port).toBeDefined();
    const trace = join(data, 'session.trace');
    const r = await runCli(['read', '--driver', 'welch-allyn-connex-sdk', '--url', `http://127.0.0.1:${port}`, '--option', 'pollSeconds=1', '--timeout', '8', '--json', '--data', data, '--record', trace]);
    expect(r.code, r.stderr).toBe(0);
    const readings = ndjson(r.stdout);
    expect(readings.map((x) => (x['context'] as { sequence?: string }).sequence)).toEqual(['1', '2', '3']);
    const second = readings[1]?.['observations'] as Obs[];
    expect(second[0]?.components?.map((c) => c.value?.value)).toEqual([120, 80, 84]);
    expect(second.find((o) => o.code === '8310-5')?.value).toMatchObject({ value: 97.3, unit: '[degF]' });
    expect(second.find((o) => o.code === '29463-7')?.value).toMatchObject({ value: 150.7, unit: '[lb_av]' });
    expect(readings[1]?.['context']).toEqual({ sampleId: '1234567', operatorId: '4321', sequence: '2' });
    const store = openStore(join(data, 'pochub.db'));
    expect(store.readings.countReadings()).toBe(3);
    store.close();
    expect(readFileSync(trace, 'utf8')).toMatch(/^# transport: http http:\/\/127\.0\.0\.1:\d+$/m);

    // The recorded trace replays to the same readings.
    const replay = await runCli(['replay', '--driver', 'welch-allyn-connex-sdk', '--trace', trace, '--json', '--option', 'pollSeconds=1', '--idle', '0.5']);
    expect(replay.code, replay.stderr).toBe(0);
    expect(ndjson(replay.stdout).map((x) => (x['context'] as { sequence?: string }).sequence)).toEqual(['1', '2', '3']);
  }, 60_000);

  it('refuses a URL that is not on the loopback interface, before anything is opened', async () => {
    const data = mkdtempSync(join(tmpdir(), 'pochub-welch-'));
    dirs.push(data);
    const r = await runCli(['read', '--driver', 'welch-allyn-connex-sdk', '--url', 'http://192.168.1.20:9233', '--data', data]);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/only reaches this workstation/);
  }, 30_000);

  it('says plainly when the service is not running', async () => {
    const data = mkdtempSync(join(tmpdir(), 'pochub-welch-'));
    dirs.push(data);
    // Port 9 (discard) is not served on loopback here: the connection is refused.
    const r = await runCli(['read', '--driver', 'welch-allyn-connex-sdk', '--url', 'http://127.0.0.1:9', '--timeout', '5', '--data', data]);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/local service at http:\/\/127\.0\.0\.1:9 did not answer/);
  }, 30_000);
});
