import { describe, expect, it } from 'vitest';
import type { HubDatabase } from '../store/hub-database.ts';
import { useTempStore } from '../../test/helpers/store-fixtures.ts';
import { AuditLog } from './audit-log.ts';
import { OperatorDirectory, SIGN_IN_FAILURES_BEFORE_LOCK, SIGN_IN_LOCK_MS } from './operators.ts';
import { verifyPin } from './pin-hash.ts';
import { thrown } from '../../test/helpers/thrown.ts';

let store: HubDatabase;
let directory: OperatorDirectory;
let now: number;
useTempStore((opened) => {
  store = opened.store;
  now = Date.parse('2025-03-03T09:00:00Z');
  directory = new OperatorDirectory(store, new AuditLog(store, 'room-1', () => now), () => now);
});


const auditActions = (): { action: string; subject: string | null; details: string }[] =>
  store.db.prepare<[], { action: string; subject: string | null; details: string }>('SELECT action, subject, details FROM audit_log ORDER BY seq').all();

describe('operators', () => {
  // safety: SR-AUTH-1
  it('are stored with a slow hash of the PIN, never the PIN, and listed without it', () => {
    const ana = directory.add({ name: 'Ana Lima', badgeId: 'B-100', role: 'assistant', pin: '482916' });
    expect(ana).toMatchObject({ name: 'Ana Lima', badgeId: 'B-100', role: 'assistant' });
    const row = store.db.prepare<[string], { pin_hash: string }>('SELECT pin_hash FROM operators WHERE id = ?').get(ana.id);
    expect(row?.pin_hash).toMatch(/^scrypt\$32768\$8\$1\$/);
    expect(row?.pin_hash).not.toContain('482916');
    expect(verifyPin('482916', row?.pin_hash ?? '')).toBe(true);
    const listed = directory.list();
    expect(listed).toEqual([{ id: ana.id, name: 'Ana Lima', badgeId: 'B-100', role: 'assistant', active: true, createdAt: '2025-03-03T09:00:00.000Z' }]);
    expect(JSON.stringify(listed)).not.toContain('scrypt');
    expect(auditActions()).toEqual([{ action: 'operator.add', subject: ana.id, details: '{"badgeId":"B-100","name":"Ana Lima","role":"assistant"}' }]);
  });

  it.each([
    ['a PIN shorter than 4 digits', { pin: '123' }, /PIN must be 4 to 64 digits/],
    ['a PIN with letters', { pin: '12ab' }, /PIN must be 4 to 64 digits/],
    ['an empty name', { name: '  ' }, /name is required/],
    ['an unknown role', { role: 'nurse' }, /role/],
  ])('refuse %s', (_what, change, message) => {
    const e = thrown(() => directory.add({ name: 'Ana', badgeId: 'B-1', role: 'assistant', pin: '1234', ...change } as never));
    expect(e.code).toBe('INPUT_INVALID');
    expect(e.message).toMatch(message);
    expect(directory.list()).toEqual([]);
  });

  it('refuse a badge id already in use', () => {
    directory.add({ name: 'Ana', badgeId: 'B-1', role: 'assistant', pin: '1234' });
    const e = thrown(() => directory.add({ name: 'Bo', badgeId: 'B-1', role: 'admin', pin: '5678' }));
    expect(e.code).toBe('CONFLICT');
    expect(e.message).toBe('Badge B-1 is already used by Ana.');
    expect(directory.list().map((o) => o.name)).toEqual(['Ana']);
  });
});

describe('sign-in by badge and PIN', () => {
  it('returns the operator for the right PIN (badge id trimmed, as a scanner may add spaces)', () => {
    const ana = directory.add({ name: 'Ana', badgeId: 'B-1', role: 'biomed', pin: '1234' });
    expect(directory.authenticate(' B-1 ', '1234')).toEqual(ana);
  });

  it('answers an unknown badge and a wrong PIN with the same message, and audits both', () => {
    directory.add({ name: 'Ana', badgeId: 'B-1', role: 'assistant', pin: '1234' });
    const wrongPin = thrown(() => directory.authenticate('B-1', '9999'));
    const unknown = thrown(() => directory.authenticate('B-404', '1234'));
    expect([wrongPin.code, unknown.code]).toEqual(['AUTH_FAILED', 'AUTH_FAILED']);
    expect(wrongPin.message).toBe('Unknown badge or wrong PIN.');
    expect(unknown.message).toBe(wrongPin.message);
    const failed = auditActions().filter((a) => a.action === 'operator.sign-in-failed');
    expect(failed.map((a) => [a.subject, JSON.parse(a.details)])).toEqual([
      ['B-1', { reason: 'wrong-pin', failures: 1, locked: false }],
      ['B-404', { reason: 'unknown-badge', failures: 1, locked: false }],
    ]);
    expect(auditActions().some((a) => a.details.includes('9999'))).toBe(false);
  });

  // safety: SR-AUTH-1
  it('locks the badge for 60 s after 5 failures in a row, even against the right PIN', () => {
    directory.add({ name: 'Ana', badgeId: 'B-1', role: 'assistant', pin: '1234' });
    for (let i = 1; i < SIGN_IN_FAILURES_BEFORE_LOCK; i += 1) expect(thrown(() => directory.authenticate('B-1', '0000')).details).toBeUndefined();
    const fifth = thrown(() => directory.authenticate('B-1', '0000'));
    expect(fifth.code).toBe('AUTH_FAILED');
    expect(fifth.message).toMatch(/locked for 60 s/);

    now += SIGN_IN_LOCK_MS - 1000;
    const locked = thrown(() => directory.authenticate('B-1', '1234'));
    expect(locked.code).toBe('AUTH_FAILED');
    expect(locked.message).toMatch(/locked\. Try again in 1 s/);
    expect(locked.details).toEqual({ locked: true, retryAfterSeconds: 1 });

    now += 1000;
    expect(directory.authenticate('B-1', '1234').name).toBe('Ana');
  });

  it('counts failures in a row: a success starts the count again', () => {
    directory.add({ name: 'Ana', badgeId: 'B-1', role: 'assistant', pin: '1234' });
    for (let i = 0; i < SIGN_IN_FAILURES_BEFORE_LOCK - 1; i += 1) thrown(() => directory.authenticate('B-1', '0000'));
    directory.authenticate('B-1', '1234');
    for (let i = 0; i < SIGN_IN_FAILURES_BEFORE_LOCK - 1; i += 1) thrown(() => directory.authenticate('B-1', '0000'));
    expect(directory.authenticate('B-1', '1234').name).toBe('Ana');
  });
});
