import { describe, expect, it } from 'vitest';
import type { HubDatabase } from './hub-database.ts';
import { bpFrames, useTempStore } from '../../test/helpers/store-fixtures.ts';

interface SessionRow {
  driver_id: string;
  transport: string;
  started_at: string;
  ended_at: string | null;
  end_reason: string | null;
  error_code: string | null;
  error_message: string | null;
}

let store: HubDatabase;
useTempStore((opened) => ({ store } = opened));

const session = (id: string): SessionRow | undefined =>
  store.db.prepare<[string], SessionRow>('SELECT driver_id, transport, started_at, ended_at, end_reason, error_code, error_message FROM sessions WHERE id = ?').get(id);

describe('sessions', () => {
  it('record start and a failed end with its machine-readable code apart from the text', () => {
    const id = store.sessions.beginSession({ driverId: 'acme-bp100', transport: 'tcp 10.0.0.5:4001', at: '2024-03-01T10:00:00Z' });
    expect(session(id)).toMatchObject({ driver_id: 'acme-bp100', transport: 'tcp 10.0.0.5:4001', started_at: '2024-03-01T10:00:00Z', ended_at: null });

    store.sessions.endSession(id, { reason: 'failed', errorCode: 'DEVICE_NO_RESPONSE', errorMessage: 'The cuff did not answer.', at: '2024-03-01T10:00:30Z' });
    // The routine close that follows a failure must not overwrite why the session ended.
    store.sessions.endSession(id, { reason: 'completed' });
    expect(session(id)).toMatchObject({
      ended_at: '2024-03-01T10:00:30Z', end_reason: 'failed', error_code: 'DEVICE_NO_RESPONSE', error_message: 'The cuff did not answer.',
    });
  });

  it('refuse an unknown session id and an unknown error code', () => {
    expect(() => store.sessions.endSession('nope', { reason: 'completed' })).toThrow(expect.objectContaining({ code: 'INPUT_INVALID' }));
    const id = store.sessions.beginSession({ driverId: 'acme-bp100', transport: 'memory' });
    // @ts-expect-error an error code outside shared/errors.ts
    expect(() => store.sessions.endSession(id, { reason: 'failed', errorCode: 'OOPS' })).toThrow(expect.objectContaining({ code: 'INPUT_INVALID' }));
    expect(session(id)?.ended_at).toBeNull();
  });

  it('recordFrames stores frames that belong to no reading, in order, under their session', () => {
    const id = store.sessions.beginSession({ driverId: 'acme-bp100', transport: 'memory' });
    const frameIds = store.sessions.recordFrames(id, bpFrames());
    expect(frameIds).toHaveLength(3);
    const rows = store.db
      .prepare<[string], { id: number; direction: string; bytes: Buffer }>('SELECT id, direction, bytes FROM raw_frames WHERE session_id = ? ORDER BY id')
      .all(id);
    expect(rows.map((r) => r.id)).toEqual(frameIds);
    expect(rows.map((r) => new Uint8Array(r.bytes))).toStrictEqual(bpFrames().map((f) => f.bytes));
    expect(store.db.prepare('SELECT count(*) AS n FROM reading_frames').get()).toEqual({ n: 0 });
    expect(() => store.sessions.recordFrames('nope', bpFrames())).toThrow(expect.objectContaining({ code: 'INPUT_INVALID' }));
  });
});
