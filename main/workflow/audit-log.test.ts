import { describe, expect, it } from 'vitest';
import type { Reading } from '../../shared/reading.ts';
import type { HubDatabase } from '../store/hub-database.ts';
import { bpReading, putPatientsOnFile, useTempStore } from '../../test/helpers/store-fixtures.ts';
import { GENESIS_HASH, auditRowHash, verifyAuditRows } from './audit-log.ts';
import { HubWorkflow } from './hub-workflow.ts';
import { hashPin } from './pin-hash.ts';
import { thrown } from '../../test/helpers/thrown.ts';

const PIN_HASH = hashPin('1234'); // once per file: scrypt is slow on purpose
const BP = { key: 'acme-bp100:SN123', label: 'Acme BP-100' };
const JANE = { mrn: '12345', birthDate: '1980-01-15' };

let store: HubDatabase;
let wf: HubWorkflow;
let now: number;
useTempStore((opened) => {
  store = opened.store;
  now = Date.parse('2025-03-03T09:00:00Z');
  wf = new HubWorkflow(store, 'room-1', () => (now += 1000));
  const add = (id: string, name: string, badgeId: string, role: 'assistant' | 'admin'): void =>
    store.operators.insert({ id, name, badgeId, role, pinHash: PIN_HASH, createdAt: '2025-01-01T00:00:00Z' });
  add('op-ana', 'Ana', 'B-1', 'assistant');
  add('op-root', 'Rui', 'B-9', 'admin');
  putPatientsOnFile(store, JANE);
});

let sequence = 0;
function arrive(): string {
  // Measured now, after the patient was selected (a bedside result measured before is not theirs).
  const at = new Date(now).toISOString();
  const reading: Reading = bpReading({ context: { sequence: String((sequence += 1)) }, effectiveTime: at, receivedAt: at });
  const { id } = store.readings.ingest(reading, []);
  return wf.readingArrived(id, reading, BP).id;
}

/** A day at the workstation: every kind of step once. */
function workDay(): { unassigned: string; rejected: string; manual: string } {
  wf.signIn({ badgeId: 'B-1', pin: '1234' });
  const unassigned = arrive();
  wf.selectPatient(JANE);
  wf.assignReadings({ readingIds: [unassigned] });
  wf.confirmReading({ readingId: unassigned, acknowledge: ['critical', 'old'] }); // an old capture with a critical glucose
  const rejected = arrive();
  wf.rejectReading({ readingId: rejected, reason: 'measurement-error' });
  const manual = wf.enterManual({ code: 'bpSystolic', value: 128, unit: 'mm[Hg]', replacesReadingId: rejected }).id;
  wf.audit('config.driver', 'acme-bp100', { option: 'autoCapture', from: true, to: false });
  // The manual entry waits for its confirmation (docs/architecture.md §8): it stays with Jane.
  wf.clearPatient({ pending: 'keep-with-previous' });
  wf.signOut();
  thrown(() => wf.signIn({ badgeId: 'B-1', pin: '9999' }));
  wf.signIn({ badgeId: 'B-9', pin: '1234' });
  return { unassigned, rejected, manual };
}

describe('audit log', () => {
  // safety: SR-AUDIT-2
  it('records every step with who, in order', () => {
    const { unassigned, rejected, manual } = workDay();
    const rows = wf.listAudit({ limit: 50 }).reverse();
    expect(rows.map((r) => [r.seq, r.action, r.operator ?? null, r.subject ?? null])).toEqual([
      [1, 'operator.sign-in', 'Ana', 'B-1'],
      [2, 'reading.arrived', null, unassigned],
      [3, 'patient.select', 'Ana', '12345'],
      [4, 'reading.assign', 'Ana', unassigned],
      [5, 'reading.confirm', 'Ana', unassigned],
      [6, 'reading.arrived', null, rejected],
      [7, 'reading.reject', 'Ana', rejected],
      [8, 'reading.manual', 'Ana', manual],
      [9, 'config.driver', 'Ana', 'acme-bp100'],
      [10, 'patient.clear', 'Ana', '12345'],
      [11, 'operator.sign-out', 'Ana', 'B-1'],
      [12, 'operator.sign-in-failed', null, 'B-1'],
      [13, 'operator.sign-in', 'Rui', 'B-9'],
    ]);
    expect(rows[4]?.details).toMatchObject({ mrn: '12345', device: BP.key, values: expect.arrayContaining(['8480-6 142 mm[Hg]']) });
    expect(rows[6]?.details).toMatchObject({ reason: 'measurement-error', mrn: '12345' });
    expect(rows[7]?.details).toEqual({ mrn: '12345', code: 'bpSystolic', value: 128, unit: 'mm[Hg]', replaces: rejected });
    expect(rows[5]?.details).toMatchObject({ assignedTo: '12345', assignedVia: 'arrival', signedIn: 'op-ana' });
    // Times come from the workflow's clock, one tick per row here, so order and time agree.
    expect(rows.map((r) => r.at)).toEqual([...rows.map((r) => r.at)].sort());
    expect(wf.listAudit({ limit: 2 }).map((r) => r.seq)).toEqual([13, 12]);
  });

  it("who: 'people' leaves out device events (arrivals, a failed sign-in by an unknown badge), newest first", () => {
    workDay();
    expect(wf.listAudit({ limit: 50, who: 'people' }).map((r) => [r.seq, r.action])).toEqual([
      [13, 'operator.sign-in'],
      [11, 'operator.sign-out'],
      [10, 'patient.clear'],
      [9, 'config.driver'],
      [8, 'reading.manual'],
      [7, 'reading.reject'],
      [5, 'reading.confirm'],
      [4, 'reading.assign'],
      [3, 'patient.select'],
      [1, 'operator.sign-in'],
    ]);
    expect(wf.listAudit({ limit: 3, who: 'people' }).map((r) => r.seq)).toEqual([13, 11, 10]);
    expect(wf.listAudit({ limit: 50, who: 'all' })).toHaveLength(13);
  });

  // safety: SR-AUDIT-1
  it('chains each row to the previous one by hash', () => {
    workDay();
    const raw = store.db.prepare<[], { seq: number; prev_hash: string; hash: string }>('SELECT seq, prev_hash, hash FROM audit_log ORDER BY seq').all();
    expect(raw[0]?.prev_hash).toBe(GENESIS_HASH);
    raw.slice(1).forEach((row, i) => expect(row.prev_hash).toBe(raw[i]?.hash));
    expect(new Set(raw.map((r) => r.hash)).size).toBe(raw.length);
  });

  it('verifies intact on a real store, for admin and biomed only', () => {
    workDay();
    expect(wf.verifyAudit()).toEqual({ ok: true, rows: 13, message: 'audit log intact: 13 rows' });
    wf.signIn({ badgeId: 'B-1', pin: '1234' });
    const e = thrown(() => wf.verifyAudit());
    expect(e.code).toBe('FORBIDDEN');
  });

  // safety: SR-AUDIT-1
  it('finds a row edited with sqlite directly (after dropping the triggers)', () => {
    workDay();
    store.db.exec('DROP TRIGGER audit_log_no_update');
    store.db.prepare(`UPDATE audit_log SET details = json_set(details, '$.reason', 'duplicate') WHERE seq = 7`).run();
    expect(wf.verifyAudit()).toEqual({ ok: false, rows: 13, brokenAt: 7, message: 'audit row 7 was changed: its hash does not match its contents' });
  });

  /**
   * One edit per stored column of row 7 (Ana's reject), made with sqlite after dropping the
   * trigger. Every column is either under the row's hash or checked by the chain walk, so each
   * edit must break the chain at row 7 and nowhere later.
   */
  const CHANGED = 'audit row 7 was changed: its hash does not match its contents';
  const TAMPERING: ReadonlyArray<readonly [what: string, set: string, message: string]> = [
    ['operator: another operator', `operator_id = 'op-root'`, CHANGED],
    ['operator: nobody', 'operator_id = NULL', CHANGED],
    ['time: another time', `at = '2025-03-03T08:00:00.000Z'`, CHANGED],
    ['time: the same instant spelt otherwise', `at = replace(at, '.000Z', 'Z')`, CHANGED],
    ['workstation', `workstation = 'room-2'`, CHANGED],
    ['action', `action = 'reading.confirm'`, CHANGED],
    ['subject: another subject', `subject = 'some-other-reading'`, CHANGED],
    ['subject: none', 'subject = NULL', CHANGED],
    ['details: a value', `details = json_set(details, '$.reason', 'duplicate')`, CHANGED],
    ['details: a key added', `details = json_set(details, '$.note', 'added')`, CHANGED],
    ['details: emptied', `details = '{}'`, CHANGED],
    ['seq: renumbered', 'seq = 100', 'audit row 7 is missing: the log jumps from row 6 to row 8 (deleted)'],
    [
      'previous-row hash: linked elsewhere',
      'prev_hash = (SELECT prev_hash FROM audit_log WHERE seq = 6)',
      'audit row 7 does not follow row 6: its previous-row hash does not match (a row was changed or replaced)',
    ],
    ['own hash', `hash = '${'f'.repeat(64)}'`, CHANGED],
  ];

  it.each(TAMPERING)('finds row 7 edited with sqlite directly, column by column: %s', (_what, set, message) => {
    workDay();
    const before = store.db.prepare<[], Record<string, unknown>>('SELECT * FROM audit_log WHERE seq = 7').get();
    store.db.exec('DROP TRIGGER audit_log_no_update');
    store.db.prepare(`UPDATE audit_log SET ${set} WHERE seq = 7`).run();
    // The edit really changed the stored row (a no-op edit would prove nothing).
    expect(store.db.prepare<[], Record<string, unknown>>('SELECT * FROM audit_log WHERE seq IN (7, 100)').get()).not.toEqual(before);
    expect(wf.verifyAudit()).toEqual({ ok: false, rows: 13, brokenAt: 7, message });
  });

  it('finds the first row linked to anything but the genesis hash', () => {
    workDay();
    store.db.exec('DROP TRIGGER audit_log_no_update');
    store.db.prepare(`UPDATE audit_log SET prev_hash = '${'1'.repeat(64)}' WHERE seq = 1`).run();
    expect(wf.verifyAudit()).toEqual({
      ok: false,
      rows: 13,
      brokenAt: 1,
      message: 'audit row 1 does not follow row 0: its previous-row hash does not match (a row was changed or replaced)',
    });
  });

  /** A day's audit, then row 5's details forged and its own hash recomputed to match: what a careful forger does first. */
  function forgeRowFive(): string {
    workDay();
    store.db.exec('DROP TRIGGER audit_log_no_update');
    const row = store.db.prepare<[], { seq: number; at: string; workstation: string; operator_id: string | null; action: string; subject: string | null; prev_hash: string }>(
      'SELECT seq, at, workstation, operator_id, action, subject, prev_hash FROM audit_log WHERE seq = 5',
    ).get();
    if (row === undefined) throw new Error('no row 5');
    const details = { forged: true };
    const hash = auditRowHash(row.prev_hash, { ...row, operator: row.operator_id, details });
    store.db.prepare('UPDATE audit_log SET details = ?, hash = ? WHERE seq = 5').run(JSON.stringify(details), hash);
    return hash;
  }

  it('finds a row edited and re-hashed: the next row no longer follows it', () => {
    forgeRowFive();
    const result = wf.verifyAudit();
    expect(result).toMatchObject({ ok: false, brokenAt: 6 });
    expect(result.message).toBe('audit row 6 does not follow row 5: its previous-row hash does not match (a row was changed or replaced)');
  });

  it('finds a row edited, re-hashed and the next row re-linked to it: the next row\'s own hash covers its link', () => {
    const hash = forgeRowFive();
    store.db.prepare('UPDATE audit_log SET prev_hash = ? WHERE seq = 6').run(hash);
    expect(wf.verifyAudit()).toEqual({ ok: false, rows: 13, brokenAt: 6, message: 'audit row 6 was changed: its hash does not match its contents' });
  });

  it('finds a deleted row, naming the gap', () => {
    workDay();
    store.db.exec('DROP TRIGGER audit_log_no_delete');
    store.db.prepare('DELETE FROM audit_log WHERE seq = 4').run();
    expect(wf.verifyAudit()).toEqual({ ok: false, rows: 12, brokenAt: 4, message: 'audit row 4 is missing: the log jumps from row 3 to row 5 (deleted)' });
  });

  it('finds rows deleted from the end, and the next row written does not hide it', () => {
    workDay();
    store.db.exec('DROP TRIGGER audit_log_no_delete');
    store.db.prepare('DELETE FROM audit_log WHERE seq >= 12').run();
    expect(wf.verifyAudit()).toMatchObject({ ok: false, rows: 11, brokenAt: 12, message: 'audit rows 12 to 13 are missing: the log ends at row 11, but rows up to 13 were written (deleted)' });
    wf.audit('config.test', undefined, {});
    expect(wf.verifyAudit()).toMatchObject({ ok: false, brokenAt: 12, message: 'audit rows 12 to 13 are missing: the log jumps from row 11 to row 14 (deleted)' });
  });

  it('hashes a row exactly as stores written before did: sha256 of the previous hash, a newline and the sorted JSON of every field', () => {
    // Pinned values (also computed outside TypeScript): changing what the hash covers, or how,
    // would make every existing store fail verification, and dropping a field would be silent.
    const row = {
      seq: 7,
      at: '2025-03-03T09:00:07.000Z',
      workstation: 'room-1',
      operator: 'op-ana',
      action: 'reading.reject',
      subject: 'r-1',
      details: { reason: 'measurement-error', mrn: '12345' },
    };
    const first = auditRowHash(GENESIS_HASH, row);
    expect(first).toBe('c9ca283c72a5ab5e072dc3eb39ffecd268477ea8ab22c7411e559f8236dd18b5');
    expect(auditRowHash(first, { ...row, seq: 8, operator: null, subject: null, details: {} })).toBe('a65c6cde5291c35ba949928a2ec90f912dddb5ec806421f35f2b73b57a32b617');
  });

  it('an empty log is intact', () => {
    expect(verifyAuditRows([], 0)).toEqual({ ok: true, rows: 0, message: 'audit log intact: 0 rows' });
  });
});
