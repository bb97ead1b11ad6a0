import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { storeFile } from '../main/paths.ts';
import { openStore } from '../main/store/open-store.ts';
import { ROOT, runCli } from './helpers/cli.ts';
import { addTargets, confirmAll, exportWorkflow } from './helpers/export-fixtures.ts';
import { READINGS } from './helpers/export-items.ts';
import { tempDir } from './helpers/store-fixtures.ts';

/** `pochub export …` as an IT person runs it, on a real store. */
let tmp: ReturnType<typeof tempDir>;
let data: string;

beforeAll(() => {
  tmp = tempDir();
  data = join(tmp.dir, 'hub');
  mkdirSync(join(tmp.dir, 'out'));
  const store = openStore(storeFile(data));
  try {
    const wf = exportWorkflow(store);
    addTargets(store, [{ id: 'files', name: 'Nightly files', kind: 'file', directory: join(tmp.dir, 'out'), format: 'csv' }]);
    confirmAll(wf, store, [READINGS.glucose, READINGS.temperature]);
    // One row the receiver refused, one that keeps failing: what status must show.
    store.db.prepare("UPDATE outbox SET state = 'dead', last_status = 'AE', last_message = 'Unknown patient MRN-20418' WHERE id = 1").run();
    store.db.prepare("UPDATE outbox SET state = 'failed', attempts = 3, last_status = 'ECONNREFUSED', last_message = 'Nothing is listening', next_attempt_at = '2099-01-01T00:00:00.000Z' WHERE id = 2").run();
  } finally {
    store.close();
  }
}, 30_000);
afterAll(() => tmp.cleanup());

function withStdin(args: string[], input: string) {
  return spawnSync(process.execPath, [join(ROOT, 'bin', 'pochub.mjs'), ...args], { cwd: ROOT, input, encoding: 'utf8', env: { ...process.env, TZ: 'UTC' } });
}

describe('pochub export', () => {
  it('status shows counts and the rows that need a person, and exits 1 when one is dead', async () => {
    const run = await runCli(['export', 'status', '--data', data]);
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('files (file): pending 0, sending 0, done 0, failed 1, dead 1');
    expect(run.stdout).toMatch(/#1 dead files MRN MRN-20418 .*AE: Unknown patient MRN-20418/);
    expect(run.stdout).toMatch(/#2 failed files .*3 attempt\(s\), ECONNREFUSED, next try 2099-01-01T00:00:00.000Z: Nothing is listening/);
    const json = JSON.parse((await runCli(['export', 'status', '--data', data, '--json'])).stdout) as { summary: Array<{ counts: Record<string, number> }>; rows: unknown[] };
    expect(json.summary[0]?.counts).toMatchObject({ dead: 1, failed: 1 });
    expect(json.rows).toHaveLength(2);
  }, 60_000);

  it('retry and requeue change only the rows they may, and say how many', async () => {
    expect((await runCli(['export', 'retry', '--data', data, '--id', '2'])).stdout).toContain('1 failed row(s)');
    expect((await runCli(['export', 'retry', '--data', data, '--target', 'files'])).stdout).toContain('1 failed row(s)');
    const requeue = await runCli(['export', 'requeue', '--data', data, '--id', '1,2']);
    expect(requeue.stdout).toContain('1 dead row(s) requeued');
    expect(requeue.code).toBe(1); // row 2 was not dead
    const json = JSON.parse((await runCli(['export', 'status', '--data', data, '--json', '--all'])).stdout) as { rows: Array<{ id: number; state: string; controlId: string }> };
    expect(json.rows.find((r) => r.id === 1)?.state).toBe('pending');
    const bad = await runCli(['export', 'retry', '--data', data]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('give either --target');
    expect((await runCli(['export', 'requeue', '--data', data, '--id', 'x'])).code).toBe(2);
  }, 60_000);

  it('set-target reads the target from a file and the token from standard input, never storing it in the database', async () => {
    const file = join(tmp.dir, 'ehr.json');
    writeFileSync(file, JSON.stringify({ id: 'ehr', name: 'Hospital FHIR', kind: 'fhir', baseUrl: 'https://ehr.example.org/fhir', patientIdentifierSystem: 'urn:oid:1.2.3', auth: { type: 'bearer' } }));
    const token = 'tok-CLI-5f4e3d2c1b0a';
    const set = withStdin(['export', 'set-target', '--data', data, '--file', file, '--secret-stdin'], `${token}\n`);
    expect(set.status).toBe(0);
    expect(set.stdout).toContain('saved ehr (fhir, enabled), secret stored outside the database');
    const list = await runCli(['export', 'targets', '--data', data]);
    expect(list.stdout).toMatch(/ehr\tfhir\tenabled\tHospital FHIR\t\(secret stored\)/);
    expect(readFileSync(storeFile(data)).includes(token)).toBe(false);
    expect(list.stdout).not.toContain(token);

    writeFileSync(file, JSON.stringify({ id: 'ehr', name: 'x', kind: 'fhir', baseUrl: 'http://ehr.example.org/fhir', patientIdentifierSystem: 'urn:x' }));
    const bad = await runCli(['export', 'set-target', '--data', data, '--file', file]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/not a valid export target: baseUrl: use https/);
  }, 60_000);

  it('test checks a target answers', async () => {
    const ok = await runCli(['export', 'test', 'files', '--data', data]);
    expect(ok.code).toBe(0);
    const missing = await runCli(['export', 'test', 'nope', '--data', data]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('There is no export target "nope"');
  }, 60_000);

  it('backfill queues for a target added later the readings confirmed before, once only', async () => {
    const file = join(tmp.dir, 'later.json');
    writeFileSync(file, JSON.stringify({ id: 'later', name: 'Added later', kind: 'file', directory: join(tmp.dir, 'out'), format: 'ndjson', enabled: false }));
    expect((await runCli(['export', 'set-target', '--data', data, '--file', file])).code).toBe(0);
    // Disabled: refused, nothing queued.
    const disabled = await runCli(['export', 'backfill', '--data', data, '--target', 'later', '--since', '2000-01-01']);
    expect([disabled.code, disabled.stderr]).toEqual([1, expect.stringContaining('Added later is disabled: enable it first')]);
    writeFileSync(file, JSON.stringify({ id: 'later', name: 'Added later', kind: 'file', directory: join(tmp.dir, 'out'), format: 'ndjson', enabled: true }));
    expect((await runCli(['export', 'set-target', '--data', data, '--file', file])).code).toBe(0);
    // Nothing confirmed after the far future; both readings confirmed since 2000.
    expect((await runCli(['export', 'backfill', '--data', data, '--target', 'later', '--since', '2999-01-01T00:00:00Z'])).stdout).toMatch(/^0 confirmed reading\(s\)/);
    expect((await runCli(['export', 'backfill', '--data', data, '--target', 'later', '--since', '2000-01-01'])).stdout).toMatch(/^2 confirmed reading\(s\) since 2000-01-01T00:00:00.000Z queued for later/);
    expect((await runCli(['export', 'backfill', '--data', data, '--target', 'later', '--since', '2000-01-01'])).stdout).toMatch(/^0 confirmed reading\(s\)/);
    const json = JSON.parse((await runCli(['export', 'status', '--data', data, '--json', '--target', 'later'])).stdout) as { summary: Array<{ counts: Record<string, number> }> };
    expect(json.summary[0]?.counts).toMatchObject({ pending: 2 });
    const store = openStore(storeFile(data));
    try {
      const rows = store.db.prepare("SELECT details FROM audit_log WHERE action = 'export.backfill' ORDER BY seq").all() as Array<{ details: string }>;
      expect(rows.map((r) => (JSON.parse(r.details) as { count: number }).count)).toEqual([0, 2, 0]);
    } finally {
      store.close();
    }
    const bad = await runCli(['export', 'backfill', '--data', data, '--target', 'later', '--since', 'last week']);
    expect([bad.code, bad.stderr]).toEqual([2, expect.stringContaining('--since: give a date')]);
  }, 60_000);
});
