import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Reading } from '../../shared/reading.ts';
import type { HubDatabase } from '../store/hub-database.ts';
import { openStore } from '../store/open-store.ts';
import { bpReading, putPatientsOnFile, useTempStore } from '../../test/helpers/store-fixtures.ts';
import { thrown } from '../../test/helpers/thrown.ts';
import { HubWorkflow } from './hub-workflow.ts';
import { SIGN_IN_FAILURES_BEFORE_LOCK, SIGN_IN_LOCK_MS } from './operators.ts';
import { hashPin } from './pin-hash.ts';
import { SESSION_IDLE_DROP_MS } from './work-sessions.ts';

const PIN_HASH = hashPin('1234'); // once per file: scrypt is slow on purpose
const LOCK_AFTER_MS = 60_000;
const BP = { key: 'acme-bp100:SN123', label: 'Acme BP-100' };
const A = { session: 'session-a' };
const B = { session: 'session-b' };

let store: HubDatabase;
let file: string;
let wf: HubWorkflow;
let now: number;
useTempStore((opened) => {
  store = opened.store;
  putPatientsOnFile(store, { mrn: '777', name: 'Jane Doe' }, { mrn: '111', name: 'One' }, { mrn: '222', name: 'Two' });
  file = join(opened.tmp.dir, 'hub.sqlite');
  now = Date.parse('2025-03-03T09:00:00Z');
  wf = new HubWorkflow(store, 'room-1', () => now, LOCK_AFTER_MS);
  store.operators.insert({ id: 'op-ana', name: 'Ana', badgeId: 'B-1', role: 'assistant', pinHash: PIN_HASH, createdAt: '2025-01-01T00:00:00Z' });
  store.operators.insert({ id: 'op-ben', name: 'Ben', badgeId: 'B-2', role: 'assistant', pinHash: PIN_HASH, createdAt: '2025-01-01T00:00:00Z' });
});

let sequence = 0;
function arrive(): string {
  const at = new Date(now).toISOString();
  const reading: Reading = bpReading({ context: { sequence: String((sequence += 1)) }, effectiveTime: at, receivedAt: at });
  const { id } = store.readings.ingest(reading, []);
  return wf.readingArrived(id, reading, BP).patient?.mrn ?? 'unassigned';
}
const actions = (): string[] => store.db.prepare<[], { action: string }>('SELECT action FROM audit_log ORDER BY seq').all().map((r) => r.action);

describe('sessions', () => {
  // safety: SR-SESSION-1
  it('keep their own operator and patient: signing in one session signs in nobody else', () => {
    wf.signIn({ badgeId: 'B-1', pin: '1234' }, A);
    expect(wf.currentOperator(A)?.name).toBe('Ana');
    expect(wf.currentOperator(B)).toBeUndefined();
    expect(thrown(() => wf.listReview({}, B)).code).toBe('AUTH_REQUIRED');
    wf.selectPatient({ mrn: '777', name: 'Jane Doe' }, A);
    expect(wf.currentPatient(A)?.mrn).toBe('777');
    expect(wf.currentPatient(B)).toBeUndefined();
  });

  it('name the session (a short id) in the audit rows of sign-in and patient selection', () => {
    wf.signIn({ badgeId: 'B-1', pin: '1234' }, A);
    wf.selectPatient({ mrn: '777', name: 'Jane Doe' }, A);
    const rows = wf.listAudit({}, A);
    expect(rows.map((r) => [r.action, r.details.session])).toEqual([
      ['patient.select', expect.stringMatching(/^[0-9a-f]{8}$/)],
      ['operator.sign-in', expect.stringMatching(/^[0-9a-f]{8}$/)],
    ]);
    expect(JSON.stringify(rows)).not.toContain('session-a'); // the key itself is never written
  });

  // safety: SR-SESSION-1
  it('a bedside reading goes to the patient of the one session with a patient, and waits when two sessions disagree', () => {
    wf.signIn({ badgeId: 'B-1', pin: '1234' }, A);
    wf.signIn({ badgeId: 'B-2', pin: '1234' }, B);
    wf.selectPatient({ mrn: '111', name: 'One' }, A);
    expect(arrive()).toBe('111');
    wf.selectPatient({ mrn: '111', name: 'One' }, B);
    expect(arrive()).toBe('111'); // the same patient in both: no doubt
    wf.selectPatient({ mrn: '222', name: 'Two', pending: 'keep-with-previous' }, B);
    expect(wf.arrivalContext()).toEqual({});
    expect(arrive()).toBe('unassigned'); // never a guess
    expect(wf.arrivalContext()).toEqual({});
  });
});

describe('inactivity lock', () => {
  // safety: SR-SESSION-2
  it('locks an idle session: LOCKED until its operator PIN, wrong PINs refused; keepAlive postpones it', () => {
    wf.signIn({ badgeId: 'B-1', pin: '1234' }, A);
    wf.selectPatient({ mrn: '777', name: 'Jane Doe' }, A);
    now += LOCK_AFTER_MS - 1_000;
    wf.keepAlive({}, A);
    now += LOCK_AFTER_MS - 1_000;
    expect(wf.listReview({}, A)).toEqual([]); // still open: the keepAlive counted
    now += 1_000;
    expect(thrown(() => wf.listReview({}, A)).code).toBe('LOCKED');
    expect(wf.session(A)).toEqual({ operator: expect.objectContaining({ name: 'Ana' }), locked: true, lockAfterMs: LOCK_AFTER_MS });
    expect(thrown(() => wf.unlock({ pin: '9999' }, A)).code).toBe('AUTH_FAILED');
    expect(wf.session(A).locked).toBe(true);
    expect(wf.unlock({ pin: '1234' }, A).name).toBe('Ana');
    expect(wf.session(A)).toMatchObject({ locked: false, patient: { mrn: '777' } }); // the same person: the patient stays
    expect(actions()).toEqual(expect.arrayContaining(['session.lock', 'operator.sign-in-failed', 'session.unlock']));
  });

  // safety: SR-SESSION-2
  it('another badge on the lock screen switches the operator and clears the patient, audited', () => {
    wf.signIn({ badgeId: 'B-1', pin: '1234' }, A);
    wf.selectPatient({ mrn: '777', name: 'Jane Doe' }, A);
    now += LOCK_AFTER_MS;
    expect(wf.session(A).locked).toBe(true);
    expect(wf.arrivalContext()).toEqual({}); // a locked session proposes no patient
    expect(wf.signIn({ badgeId: 'B-2', pin: '1234' }, A).name).toBe('Ben');
    expect(wf.session(A)).toEqual({ operator: expect.objectContaining({ name: 'Ben' }), locked: false, lockAfterMs: LOCK_AFTER_MS });
    const row = wf.listAudit({ limit: 1 }, A)[0];
    expect(row).toMatchObject({ action: 'operator.switch', operator: 'Ben', details: { from: 'B-1', patientCleared: '777' } });
  });

  it('forgets a session idle for 12 hours: its operator is signed out (audited) and its key is no longer open', () => {
    const key = wf.sessions.sessions.open();
    wf.signIn({ badgeId: 'B-1', pin: '1234' }, { session: key });
    now += SESSION_IDLE_DROP_MS;
    expect(wf.arrivalContext()).toEqual({});
    expect(wf.sessions.sessions.isOpen(key)).toBe(false);
    const last = store.db.prepare<[], { action: string; details: string }>('SELECT action, details FROM audit_log ORDER BY seq DESC LIMIT 1').get();
    expect(last?.action).toBe('operator.sign-out');
    expect(JSON.parse(last?.details ?? '{}')).toMatchObject({ reason: 'session expired' });
  });

  it('locks only the idle session', () => {
    wf.signIn({ badgeId: 'B-1', pin: '1234' }, A);
    now += LOCK_AFTER_MS / 2;
    wf.signIn({ badgeId: 'B-2', pin: '1234' }, B);
    now += LOCK_AFTER_MS / 2;
    expect(wf.session(A).locked).toBe(true);
    expect(wf.session(B).locked).toBe(false);
  });
});

describe('failed-PIN lockout', () => {
  it('survives a restart: the store is reopened and a new workflow still refuses the right PIN', () => {
    for (let i = 0; i < SIGN_IN_FAILURES_BEFORE_LOCK; i++) thrown(() => wf.signIn({ badgeId: 'B-1', pin: '0000' }, A));
    store.close();
    const reopened = openStore(file);
    try {
      const again = new HubWorkflow(reopened, 'room-1', () => now, LOCK_AFTER_MS);
      const refused = thrown(() => again.signIn({ badgeId: 'B-1', pin: '1234' }, B));
      expect(refused).toMatchObject({ code: 'AUTH_FAILED', details: { locked: true } });
      now += SIGN_IN_LOCK_MS;
      expect(again.signIn({ badgeId: 'B-1', pin: '1234' }, B).name).toBe('Ana');
      expect(reopened.signInFailures.get('B-1')).toBeUndefined();
    } finally {
      reopened.close();
    }
  });
});
