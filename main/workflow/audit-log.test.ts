import { describe, expect, it } from 'vitest';
import type { Reading } from '../../shared/reading.ts';
import type { HubDatabase } from '../store/hub-database.ts';
import { bpReading, useTempStore } from '../../test/helpers/store-fixtures.ts';
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
});

let sequence = 0;
function arrive(): string {
  const reading: Reading = bpReading({ context: { sequence: String((sequence += 1)) } });
  const { id } = store.readings.ingest(reading, []);
  return wf.readingArrived(id, reading, BP).id;
}

/** A day at the workstation: every kind of step once. */
function workDay(): { unassigned: string; rejected: string; manual: string } {
  wf.signIn({ badgeId: 'B-1', pin: '1234' });
  const unassigned = arrive();
  wf.selectPatient(JANE);
  wf.assignReadings({ readingIds: [unassigned] });
  wf.confirmReading({ readingId: unassigned });
  const rejected = arrive();
  wf.rejectReading({ readingId: rejected, reason: 'measurement-error' });
  const manual = wf.enterManual({ code: 'bpSystolic', value: 128, unit: 'mm[Hg]', replacesReadingId: rejected }).id;
  wf.audit('config.driver', 'acme-bp100', { option: 'autoCapture', from: true, to: false });
  wf.clearPatient({});
  wf.signOut();
  thrown(() => wf.signIn({ badgeId: 'B-1', pin: '9999' }));
  wf.signIn({ badgeId: 'B-9', pin: '1234' });
  return { unassigned, rejected, manual };
}

describe('audit log', () => {
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

  it('finds a row edited with sqlite directly (after dropping the triggers)', () => {
    workDay();
    store.db.exec('DROP TRIGGER audit_log_no_update');
    store.db.prepare(`UPDATE audit_log SET details = json_set(details, '$.reason', 'duplicate') WHERE seq = 7`).run();
    expect(wf.verifyAudit()).toEqual({ ok: false, rows: 13, brokenAt: 7, message: 'audit row 7 was changed: its hash does not match its contents' });
  });

  it('finds a row edited and re-hashed: the next row no longer follows it', () => {
    workDay();
    store.db.exec('DROP TRIGGER audit_log_no_update');
    const row = store.db.prepare<[], { seq: number; at: string; workstation: string; operator_id: string | null; action: string; subject: string | null; prev_hash: string }>(
      'SELECT seq, at, workstation, operator_id, action, subject, prev_hash FROM audit_log WHERE seq = 5',
    ).get();
    if (row === undefined) throw new Error('no row 5');
    const details = { forged: true };
    const hash = auditRowHash(row.prev_hash, { ...row, operator: row.operator_id, details });
    store.db.prepare('UPDATE audit_log SET details = ?, hash = ? WHERE seq = 5').run(JSON.stringify(details), hash);
    const result = wf.verifyAudit();
    expect(result).toMatchObject({ ok: false, brokenAt: 6 });
    expect(result.message).toBe('audit row 6 does not follow row 5: its previous-row hash does not match (a row was changed or replaced)');
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

  it('an empty log is intact', () => {
    expect(verifyAuditRows([], 0)).toEqual({ ok: true, rows: 0, message: 'audit log intact: 0 rows' });
  });
});
