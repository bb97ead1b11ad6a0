import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { storeFile } from '../paths.ts';
import { openStore } from '../store/open-store.ts';
import { HubWorkflow } from '../workflow/hub-workflow.ts';
import { runCli } from '../../test/helpers/cli.ts';
import { bpReading, putPatientsOnFile, tempDir } from '../../test/helpers/store-fixtures.ts';

let tmp: ReturnType<typeof tempDir>;
beforeEach(() => {
  tmp = tempDir();
});
afterEach(() => tmp.cleanup());

/** A real store with a short working session in its audit log; returns the number of rows. */
function makeStore(): number {
  const store = openStore(storeFile(tmp.dir));
  const wf = new HubWorkflow(store, 'room-1');
  wf.operators.add({ name: 'Ana', badgeId: 'B-1', role: 'assistant', pin: '1234' });
  wf.signIn({ badgeId: 'B-1', pin: '1234' });
  putPatientsOnFile(store, { mrn: '12345', birthDate: '1980-01-15' });
  wf.selectPatient({ mrn: '12345', birthDate: '1980-01-15' });
  // Measured after the selection, so arrival assigns it (docs/architecture.md §8, bedside).
  const at = new Date().toISOString();
  const reading = bpReading({ effectiveTime: at, receivedAt: at });
  const { id } = store.readings.ingest(reading, []);
  wf.readingArrived(id, reading, { key: 'bp', label: 'BP cuff' });
  wf.confirmReading({ readingId: id, acknowledge: ['critical', 'old'] }); // the fixture is an old capture with a critical glucose
  wf.signOut();
  const rows = store.db.prepare<[], { n: number }>('SELECT count(*) AS n FROM audit_log').get()?.n ?? 0;
  store.close();
  return rows;
}

/** Change the store file the way someone with the sqlite3 shell could: drop the guard, then edit. */
function tamper(sql: string): void {
  const store = openStore(storeFile(tmp.dir));
  store.db.exec('DROP TRIGGER IF EXISTS audit_log_no_update; DROP TRIGGER IF EXISTS audit_log_no_delete;');
  store.db.exec(sql);
  store.close();
}

describe('pochub audit verify', () => {
  it('passes on a real store, then fails naming the row after a row is edited', async () => {
    const rows = makeStore();
    expect(rows).toBe(6);
    const intact = await runCli(['audit', 'verify', '--data', tmp.dir]);
    expect(intact).toMatchObject({ code: 0, stdout: 'audit log intact: 6 rows\n' });

    tamper(`UPDATE audit_log SET subject = '99999' WHERE seq = 3`);
    const edited = await runCli(['audit', 'verify', '--data', tmp.dir]);
    expect(edited.code).toBe(1);
    expect(edited.stdout).toBe('');
    expect(edited.stderr).toBe('pochub: audit row 3 was changed: its hash does not match its contents\n');
  });

  // Row 3 is Ana's patient.select: an edit of any stored column of it is named by the CLI.
  const CHANGED = 'audit row 3 was changed: its hash does not match its contents';
  it.each([
    ['operator', 'operator_id = NULL', CHANGED],
    ['time', `at = '2020-01-01T00:00:00.000Z'`, CHANGED],
    ['workstation', `workstation = 'room-9'`, CHANGED],
    ['action', `action = 'patient.clear'`, CHANGED],
    ['details', `details = '{"mrn":"99999"}'`, CHANGED],
    ['previous-row hash', `prev_hash = '${'0'.repeat(64)}'`, 'audit row 3 does not follow row 2: its previous-row hash does not match (a row was changed or replaced)'],
  ])('fails naming row 3 after its %s is edited', async (_column, set, message) => {
    makeStore();
    tamper(`UPDATE audit_log SET ${set} WHERE seq = 3`);
    const edited = await runCli(['audit', 'verify', '--data', tmp.dir]);
    expect(edited).toMatchObject({ code: 1, stdout: '', stderr: `pochub: ${message}\n` });
  });

  it('fails naming the gap after a row is deleted', async () => {
    makeStore();
    tamper('DELETE FROM audit_log WHERE seq = 4');
    const deleted = await runCli(['audit', 'verify', '--data', tmp.dir]);
    expect(deleted.code).toBe(1);
    expect(deleted.stderr).toBe('pochub: audit row 4 is missing: the log jumps from row 3 to row 5 (deleted)\n');
    const json = await runCli(['audit', 'verify', '--json', '--data', tmp.dir]);
    expect(json.code).toBe(1);
    expect(JSON.parse(json.stdout)).toEqual({ ok: false, rows: 5, brokenAt: 4, message: 'audit row 4 is missing: the log jumps from row 3 to row 5 (deleted)' });
  });

  it('uses $POCHUB_DATA when --data is not given, and refuses a folder with no store', async () => {
    makeStore();
    expect(await runCli(['audit', 'verify'], { POCHUB_DATA: tmp.dir })).toMatchObject({ code: 0, stdout: 'audit log intact: 6 rows\n' });
    const missing = await runCli(['audit', 'verify', '--data', `${tmp.dir}/nothing-here`]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/^pochub: no hub store at .*nothing-here/);
  });
});
