import { describe, expect, it } from 'vitest';
import type { HubDatabase } from './hub-database.ts';
import { bpReading, useTempStore } from '../../test/helpers/store-fixtures.ts';

/**
 * The immutability rules of schema v2 hold in SQL itself: these tests go around the workflow
 * and write to the tables directly, as a bug or a later code path would.
 */
let store: HubDatabase;
useTempStore((opened) => ({ store } = opened));

const T = '2025-03-03T09:00:00.000Z';
const HASH = 'scrypt$32768$8$1$AAAAAAAAAAAAAAAAAAAAAA==$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=';

function seed(): { readingId: string; qcId: string } {
  const db = store.db;
  db.prepare("INSERT INTO operators (id, name, badge_id, role, pin_hash, created_at) VALUES ('op1', 'Ana', 'B-1', 'assistant', ?, ?)").run(HASH, T);
  db.prepare("INSERT INTO patients (mrn, birth_date, first_seen, last_seen) VALUES ('12345', '1980-01-15', ?, ?)").run(T, T);
  const readingId = store.readings.ingest(bpReading(), []).id;
  const qcId = store.readings.ingest(bpReading({ kind: 'control', context: { sequence: 'qc-1' } }), []).id;
  const insert = db.prepare("INSERT INTO reviews (reading_id, device_key, device_label) VALUES (?, 'bp:SN123', 'Acme BP-100')");
  insert.run(readingId);
  insert.run(qcId);
  return { readingId, qcId };
}

const stateOf = (id: string): string | undefined => store.db.prepare<[string], { state: string }>('SELECT state FROM readings WHERE id = ?').get(id)?.state;
const confirm = (id: string): void => {
  store.db.prepare("UPDATE reviews SET patient_mrn = '12345', assigned_at = ?, assigned_via = 'operator' WHERE reading_id = ?").run(T, id);
  store.db.prepare("UPDATE reviews SET decision = 'confirmed', decided_by = 'op1', decided_at = ? WHERE reading_id = ?").run(T, id);
};

describe('schema v2', () => {
  it('keeps the reading state in step with the decision, in the same statement', () => {
    const { readingId } = seed();
    expect(stateOf(readingId)).toBe('pending');
    confirm(readingId);
    expect(stateOf(readingId)).toBe('confirmed');
  });

  it('refuses any UPDATE of a decided review, and of its reading state', () => {
    const { readingId } = seed();
    confirm(readingId);
    expect(() => store.db.prepare("UPDATE reviews SET decision = 'rejected', reject_reason = 'duplicate' WHERE reading_id = ?").run(readingId)).toThrow(
      /review decided: confirmed and rejected readings never change/,
    );
    expect(() => store.db.prepare("UPDATE reviews SET patient_mrn = NULL, assigned_at = NULL, assigned_via = NULL WHERE reading_id = ?").run(readingId)).toThrow(/review decided/);
    expect(() => store.db.prepare("UPDATE readings SET state = 'pending' WHERE id = ?").run(readingId)).toThrow(/reading decided/);
    expect(() => store.db.prepare('DELETE FROM reviews WHERE reading_id = ?').run(readingId)).toThrow(/never deleted/);
    expect(stateOf(readingId)).toBe('confirmed');
  });

  it('lets a reading state change only with its review decision', () => {
    const { readingId } = seed();
    expect(() => store.db.prepare("UPDATE readings SET state = 'confirmed' WHERE id = ?").run(readingId)).toThrow(/only with its review decision/);
    expect(stateOf(readingId)).toBe('pending');
  });

  it('never lets device values or observations be edited', () => {
    const { readingId } = seed();
    expect(() => store.db.prepare("UPDATE readings SET reading_json = '{}' WHERE id = ?").run(readingId)).toThrow(/device values are never edited/);
    expect(() => store.db.prepare('UPDATE observations SET value_num = 120 WHERE reading_id = ?').run(readingId)).toThrow(/observations are never edited/);
    confirm(readingId);
    expect(() => store.db.prepare('DELETE FROM observations WHERE reading_id = ?').run(readingId)).toThrow(/never deleted/);
  });

  it('never assigns a control result to a patient', () => {
    const { qcId } = seed();
    expect(() => store.db.prepare("UPDATE reviews SET patient_mrn = '12345', assigned_at = ?, assigned_via = 'operator' WHERE reading_id = ?").run(T, qcId)).toThrow(
      /control\/QC results are never assigned to a patient/,
    );
  });

  it('requires who and when for a decision, a patient for a confirmation and a note for "other"', () => {
    const { readingId } = seed();
    const update = (sql: string): void => {
      store.db.prepare(sql).run(readingId);
    };
    expect(() => update("UPDATE reviews SET decision = 'rejected', reject_reason = 'duplicate' WHERE reading_id = ?")).toThrow(/CHECK constraint failed/);
    expect(() => update(`UPDATE reviews SET decision = 'confirmed', decided_by = 'op1', decided_at = '${T}' WHERE reading_id = ?`)).toThrow(/CHECK constraint failed/);
    expect(() => update(`UPDATE reviews SET decision = 'rejected', decided_by = 'op1', decided_at = '${T}', reject_reason = 'other' WHERE reading_id = ?`)).toThrow(
      /CHECK constraint failed/,
    );
    update(`UPDATE reviews SET decision = 'rejected', decided_by = 'op1', decided_at = '${T}', reject_reason = 'other', reject_note = 'cuff slipped' WHERE reading_id = ?`);
    expect(stateOf(readingId)).toBe('rejected');
  });

  it('keeps the audit log append-only', () => {
    const insert = store.db.prepare(
      "INSERT INTO audit_log (at, workstation, action, details, prev_hash, hash) VALUES (?, 'ws', 'test', '{}', ?, ?)",
    );
    insert.run(T, '0'.repeat(64), 'a'.repeat(64));
    expect(() => store.db.prepare("UPDATE audit_log SET action = 'edited'").run()).toThrow(/the audit log is append-only/);
    expect(() => store.db.prepare('DELETE FROM audit_log').run()).toThrow(/the audit log is append-only/);
    expect(() => insert.run(T, '0'.repeat(64), 'short')).toThrow(/CHECK constraint failed/);
    expect(store.db.prepare<[], { n: number }>('SELECT count(*) AS n FROM audit_log').get()?.n).toBe(1);
  });
});
