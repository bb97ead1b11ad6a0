import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { storeFile } from '../main/paths.ts';
import { openStore } from '../main/store/open-store.ts';
import { MRN_SYSTEM, seedClinic, type SeededClinic } from './helpers/clinic-seed.ts';
import { ROOT, runCli } from './helpers/cli.ts';
import { tempDir } from './helpers/store-fixtures.ts';
import { startFhirPeer, type FhirPeer } from './peers/fhir-peer.ts';

/** `pochub patients …` as clinic IT runs it, against a real FHIR server and a real store. */
let tmp: ReturnType<typeof tempDir>;
let data: string;
let peer: FhirPeer;
let clinic: SeededClinic;

beforeAll(async () => {
  tmp = tempDir();
  data = join(tmp.dir, 'hub');
  peer = await startFhirPeer({ bearerToken: 'tok-cli-7' });
  clinic = await seedClinic(peer);
}, 60_000);
afterAll(async () => {
  await peer.stop();
  tmp.cleanup();
});

function withStdin(args: string[], input: string) {
  return spawnSync(process.execPath, [join(ROOT, 'bin', 'pochub.mjs'), ...args], { cwd: ROOT, input, encoding: 'utf8', env: { ...process.env, TZ: 'UTC' } });
}

describe('pochub patients', () => {
  it('set-source saves a FHIR source with its token from standard input; sources lists it without the token', async () => {
    const set = withStdin(['patients', 'set-source', 'clinic-ehr', '--kind', 'fhir', '--url', peer.baseUrl, '--identifier-system', MRN_SYSTEM, '--location', clinic.location, '--name', 'Clinic EHR', '--secret-stdin', '--data', data], 'tok-cli-7\n');
    expect(set.stderr).toBe('');
    expect(set.status).toBe(0);
    expect(set.stdout).toContain('saved clinic-ehr (fhir, enabled), token stored outside the database');
    const list = await runCli(['patients', 'sources', '--data', data]);
    expect(list.code).toBe(0);
    expect(list.stdout).toContain(`clinic-ehr\tfhir\tenabled\t${peer.baseUrl} (${clinic.location})\tClinic EHR\t(token stored)`);
    const json = await runCli(['patients', 'sources', '--json', '--data', data]);
    expect(JSON.parse(json.stdout)).toMatchObject([{ source: { id: 'clinic-ehr', identifierSystem: MRN_SYSTEM }, hasSecret: true }]);
    for (const out of [list.stdout, json.stdout]) expect(out).not.toContain('tok-cli-7');
    expect((await runCli(['patients', 'test-source', 'clinic-ehr', '--data', data])).code).toBe(0);
  }, 60_000);

  it('refuses bad input with exit 2, naming the flag', async () => {
    const noKind = await runCli(['patients', 'set-source', 'new-one', '--url', peer.baseUrl, '--data', data]);
    expect(noKind.code).toBe(2);
    expect(noKind.stderr).toContain('--kind');
    const badUrl = await runCli(['patients', 'set-source', 'bad', '--kind', 'fhir', '--url', 'ftp://x', '--data', data]);
    expect(badUrl.code).toBe(2);
    expect(badUrl.stderr).toContain('--url');
    const badLoc = await runCli(['patients', 'set-source', 'bad', '--kind', 'fhir', '--url', peer.baseUrl, '--location', 'Room 4', '--data', data]);
    expect(badLoc.code).toBe(2);
    expect(badLoc.stderr).toContain('--location: a reference such as Location/123');
  }, 120_000);

  it('find: exit 0 with the patient and the source that verified them, 3 for an unknown MRN', async () => {
    const found = await runCli(['patients', 'find', '--mrn', 'MRN-1001', '--data', data]);
    expect(found.code).toBe(0);
    expect(found.stdout).toContain('MRN MRN-1001  Doe, Jane Q  born 1980-01-15  female');
    expect(found.stdout).toContain(`${MRN_SYSTEM}|MRN-1001`);
    expect(found.stdout).toMatch(/verified by clinic-ehr \(Clinic EHR\) at \d{4}-/);
    const json = JSON.parse((await runCli(['patients', 'find', '--mrn', 'MRN-1001', '--json', '--data', data])).stdout) as Record<string, unknown>;
    expect(json).toMatchObject({ state: 'found', sourceId: 'clinic-ehr', patient: { fhirId: clinic.patientIds.get('MRN-1001') } });
    // Another identifier system for this search: the patient is found by it, and keeps their MRN.
    const bySsn = await runCli(['patients', 'find', '--mrn', '999-00-1002', '--identifier-system', 'urn:oid:2.16.840.1.113883.4.1', '--data', data]);
    expect(bySsn.code).toBe(0);
    expect(bySsn.stdout).toContain('MRN MRN-1002  Okafor, Daniel');
    const unknown = await runCli(['patients', 'find', '--mrn', 'NOPE-1', '--data', data]);
    expect(unknown.code).toBe(3);
    expect(unknown.stderr).toContain('MRN NOPE-1 is not known to Clinic EHR');
  }, 120_000);

  it("today: the location's appointments and encounters of the day, each with its time and patient", async () => {
    const today = await runCli(['patients', 'today', '--data', data]);
    expect(today.code).toBe(0);
    const lines = today.stdout.trim().split('\n');
    expect(lines).toHaveLength(clinic.expected.length);
    expect(today.stdout).toMatch(/09:00\tplanned\tMRN MRN-1001\tDoe, Jane Q\tRoom 4\tAppointment\//);
    expect(today.stdout).toMatch(/08:30\tin-progress\tMRN MRN-1006\tNg, Lee\tRoom 4\tEncounter\//);
    const json = JSON.parse((await runCli(['patients', 'today', '--json', '--data', data])).stdout) as { visits: Array<{ id: string }>; problems: string[] };
    expect(json.visits.map((v) => v.id.replace('clinic-ehr:', '')).sort()).toEqual([...clinic.expected].sort());
    expect(json.problems).toEqual([]);
  }, 120_000);

  it('find with the EHR down: exit 1 and what the local cache holds, said plainly', async () => {
    peer.setBehaviour({ down: true });
    try {
      const down = await runCli(['patients', 'find', '--mrn', 'MRN-1006', '--data', data]);
      expect(down.code).toBe(1);
      expect(down.stderr).toContain('no patient source could be reached: Clinic EHR:');
      expect(down.stderr).toMatch(/the local cache holds MRN MRN-1006, Ng, Lee, born 1975-03-30 \(as clinic-ehr told it at .*\) — not verified now/);
      const nothing = await runCli(['patients', 'find', '--mrn', 'MRN-0000', '--data', data]);
      expect(nothing.code).toBe(1);
      expect(nothing.stderr).toContain('the local cache holds nothing for MRN MRN-0000');
    } finally {
      peer.setBehaviour({});
    }
  }, 120_000);

  it('a merged-away MRN resolves to the surviving patient, marked merged (exit 0)', async () => {
    expect((await runCli(['patients', 'set-source', 'ward-adt', '--kind', 'hl7-adt', '--listen', '127.0.0.1:2576', '--name', 'Ward ADT', '--data', data])).code).toBe(0);
    const store = openStore(storeFile(data));
    try {
      const at = new Date().toISOString();
      store.patients.saveFromSource({ mrn: 'ADT-1', identifiers: [{ value: 'ADT-1' }], name: 'Old, Olga', birthDate: '1940-02-02', sourceId: 'ward-adt', verifiedAt: at });
      store.patients.saveFromSource({ mrn: 'ADT-2', identifiers: [{ value: 'ADT-2' }], name: 'Old, Olga', birthDate: '1940-02-02', sourceId: 'ward-adt', verifiedAt: at });
      store.patients.markMerged('ADT-1', 'ADT-2', at);
    } finally {
      store.close();
    }
    const merged = await runCli(['patients', 'find', '--mrn', 'ADT-1', '--data', data]);
    expect(merged.code).toBe(0);
    expect(merged.stdout).toContain('MRN ADT-1 was merged into MRN ADT-2 (merged)');
    expect(merged.stdout).toContain('verified by ward-adt (Ward ADT)');
    const removed = await runCli(['patients', 'remove-source', 'ward-adt', '--data', data]);
    expect(removed.code).toBe(0);
    expect((await runCli(['patients', 'sources', '--data', data])).stdout).not.toContain('ward-adt');
    expect((await runCli(['patients', 'remove-source', 'ward-adt', '--data', data])).code).toBe(1);
  }, 120_000);

  it('cache shows and sets how long source data is kept (audited), refuses a time out of range, and the configuration file carries it', async () => {
    const shown = await runCli(['patients', 'cache', '--data', data]);
    expect([shown.code, shown.stdout.trim()]).toEqual([0, 'the patient cache forgets what sources told it after 72 hours unused (never a patient with readings)']);
    const set = await runCli(['patients', 'cache', '--hours', '24', '--data', data]);
    expect([set.code, set.stdout.trim()]).toEqual([0, 'the patient cache forgets what sources told it after 24 hours unused (never a patient with readings)']);
    const bad = await runCli(['patients', 'cache', '--hours', '0', '--data', data]);
    expect([bad.code, bad.stderr]).toEqual([2, expect.stringContaining('--hours: at least 1 hour')]);
    const store = openStore(storeFile(data));
    try {
      expect(store.patientCache.expireHours()).toBe(24);
      const row = store.audit.listNewest(5).find((a) => a.action === 'patient-cache.set');
      expect(row?.subject).toBe('patient-cache');
    } finally {
      store.close();
    }
    const exported = await runCli(['config', 'export', '--data', data]);
    expect((JSON.parse(exported.stdout) as { patientCache?: unknown }).patientCache).toEqual({ expireHours: 24 });
  }, 60_000);
});
