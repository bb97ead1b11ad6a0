import { describe, expect, it } from 'vitest';
import { HubError } from '../../shared/errors.ts';
import type { Reading } from '../../shared/reading.ts';
import type { HubDatabase } from './hub-database.ts';
import { bpFrames, bpReading, useTempStore } from '../../test/helpers/store-fixtures.ts';
import type { ObservationColumns } from './observation-rows.ts';
import { thrown } from '../../test/helpers/thrown.ts';

const ROW_TABLES = ['devices', 'raw_frames', 'readings', 'reading_frames', 'observations'] as const;

let store: HubDatabase;
useTempStore((opened) => ({ store } = opened));

function rowCounts(): Record<(typeof ROW_TABLES)[number], number> {
  const count = (t: string): number => store.db.prepare<[], { n: number }>(`SELECT count(*) AS n FROM ${t}`).get()?.n ?? -1;
  return Object.fromEntries(ROW_TABLES.map((t) => [t, count(t)])) as Record<(typeof ROW_TABLES)[number], number>;
}


/** An `observations` row as stored: the observation's own columns plus its place in the reading. */
interface ObsRow extends ObservationColumns {
  id: number;
  parent_id: number | null;
  ordinal: number;
}

describe('ingest', () => {
  it('stores the reading, its observations (components, unmapped) and its raw frames, linked in order', () => {
    const sessionId = store.sessions.beginSession({ driverId: 'acme-bp100', transport: 'memory' });
    const { id, isNew } = store.readings.ingest(bpReading(), bpFrames(), sessionId);
    expect(isNew).toBe(true);
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(rowCounts()).toEqual({ devices: 1, raw_frames: 3, readings: 1, reading_frames: 3, observations: 7 });

    const row = store.db
      .prepare<[string], Record<string, unknown>>(
        'SELECT r.driver_id, r.kind, r.device_time, r.clock_source, r.clock_skew_seconds, r.flags, r.context, r.state, r.session_id, d.serial, d.firmware FROM readings r JOIN devices d ON d.id = r.device_id WHERE r.id = ?',
      )
      .get(id);
    expect(row).toEqual({
      driver_id: 'acme-bp100', kind: 'patient', device_time: '2016-02-22T22:47:45', clock_source: 'device', clock_skew_seconds: 16,
      flags: '["irregular-heartbeat"]', context: '{"sequence":"0042","operatorId":"op7"}', state: 'pending', session_id: sessionId,
      serial: 'SN123', firmware: '1.2',
    });

    const obs = store.db.prepare<[string], ObsRow>('SELECT * FROM observations WHERE reading_id = ? ORDER BY id').all(id);
    const [panel, sys, dia, map, pulse, urine, glucose] = obs;
    expect(panel).toMatchObject({ parent_id: null, ordinal: 0, code: '85354-9', value_kind: null });
    expect(sys).toMatchObject({ parent_id: panel?.id, ordinal: 0, code: '8480-6', value_kind: 'quantity', value_num: 142, value_unit: 'mm[Hg]', interpretation: 'H' });
    expect(dia).toMatchObject({ parent_id: panel?.id, ordinal: 1, code: '8462-4', value_num: 91 });
    expect(map).toMatchObject({ parent_id: panel?.id, ordinal: 2, code: null, value_kind: 'unmapped', label: 'MAP?', value_text: '108' });
    expect(pulse).toMatchObject({ parent_id: null, ordinal: 1, code: '8867-4', value_num: 72, value_unit: '/min', ref_low: 50, ref_high: 100 });
    expect(urine).toMatchObject({ ordinal: 2, value_kind: 'ordinal', value_code: '1+', value_text: '1+ (100 mg/dL)' });
    expect(glucose).toMatchObject({ ordinal: 3, value_num: 600, value_unit: 'mg/dL', comparator: '>' });

    const frames = store.db
      .prepare<[string], { ordinal: number; direction: string; session_id: string }>(
        'SELECT rf.ordinal, f.direction, f.session_id FROM reading_frames rf JOIN raw_frames f ON f.id = rf.frame_id WHERE rf.reading_id = ? ORDER BY rf.ordinal',
      )
      .all(id);
    expect(frames).toEqual([
      { ordinal: 0, direction: 'in', session_id: sessionId },
      { ordinal: 1, direction: 'out', session_id: sessionId },
      { ordinal: 2, direction: 'in', session_id: sessionId },
    ]);
  });

  it('is all or nothing: a failure at the last observation leaves no device, frame, reading or link behind', () => {
    // A trigger makes the very last insert of the transaction fail, after the device upsert, the
    // frames, the reading, the links and six observations have been written.
    store.db.exec(`CREATE TEMP TRIGGER fail_glucose BEFORE INSERT ON main.observations WHEN NEW.comparator = '>'
                   BEGIN SELECT RAISE(ABORT, 'simulated failure'); END`);
    const error = thrown(() => store.readings.ingest(bpReading(), bpFrames()));
    expect(error).toBeInstanceOf(HubError);
    expect(error).toMatchObject({ code: 'STORE_FAILED', message: expect.stringMatching(/simulated failure/) });
    expect(rowCounts()).toEqual({ devices: 0, raw_frames: 0, readings: 0, reading_frames: 0, observations: 0 });

    store.db.exec('DROP TRIGGER fail_glucose');
    expect(store.readings.ingest(bpReading(), bpFrames()).isNew).toBe(true);
    expect(rowCounts()).toEqual({ devices: 1, raw_frames: 3, readings: 1, reading_frames: 3, observations: 7 });
  });

  it('recognises the same result ingested again, even with another receivedAt, and writes nothing', () => {
    const first = store.readings.ingest(bpReading(), bpFrames());
    const before = rowCounts();
    const again = store.readings.ingest(bpReading({ receivedAt: '2024-05-01T09:00:00Z', effectiveTime: '2024-05-01T09:00:00Z' }), bpFrames());
    expect(again).toEqual({ id: first.id, isNew: false });
    expect(rowCounts()).toEqual(before);
    expect(store.readings.countReadings()).toBe(1);
    expect(store.readings.hasFingerprint(bpReading({ receivedAt: '2030-01-01T00:00:00Z' }))).toBe(true);
  });

  it('stores a different result of the same device as a new reading on the same device row', () => {
    const a = store.readings.ingest(bpReading(), bpFrames());
    const b = store.readings.ingest(bpReading({ deviceTime: '2016-02-22T23:10:00', context: { sequence: '0043' } }), bpFrames());
    expect(b.isNew).toBe(true);
    expect(b.id).not.toBe(a.id);
    expect(rowCounts().devices).toBe(1);
    expect(store.readings.listReadings().map((r) => r.id)).toEqual([b.id, a.id]);
  });

  it('keeps a device without a serial as one device row', () => {
    const noSerial = { manufacturer: 'Acme', model: 'BP-100' };
    store.readings.ingest(bpReading({ device: noSerial }), []);
    store.readings.ingest(bpReading({ device: noSerial, context: { sequence: '0043' } }), []);
    expect(rowCounts().devices).toBe(1);
    expect(store.db.prepare<[], { serial: string }>('SELECT serial FROM devices').get()?.serial).toBe('');
  });

  it('rejects an invalid reading with INPUT_INVALID and stores nothing', () => {
    const bad = { ...bpReading(), kind: 'quality-control' } as unknown as Reading;
    expect(thrown(() => store.readings.ingest(bad, bpFrames()))).toMatchObject({ code: 'INPUT_INVALID' });
    const noUnit = bpReading({ observations: [{ code: '8867-4', value: { kind: 'quantity', value: 72, unit: 'bpm' } }] });
    expect(thrown(() => store.readings.ingest(noUnit, bpFrames()))).toMatchObject({ code: 'INPUT_INVALID', message: expect.stringMatching(/unit/) });
    const badFrame = [{ direction: 'sideways', bytes: new Uint8Array(1), at: '2024-01-01T00:00:00Z' }] as unknown as ReturnType<typeof bpFrames>;
    expect(thrown(() => store.readings.ingest(bpReading(), badFrame))).toMatchObject({ code: 'INPUT_INVALID' });
    expect(thrown(() => store.readings.ingest(bpReading(), bpFrames(), 'no-such-session'))).toMatchObject({ code: 'INPUT_INVALID' });
    expect(rowCounts()).toEqual({ devices: 0, raw_frames: 0, readings: 0, reading_frames: 0, observations: 0 });
  });
});

describe('reading queries', () => {
  it('getReading returns the Reading JSON, the raw bytes in order and the state', () => {
    const { id } = store.readings.ingest(bpReading(), bpFrames());
    const stored = store.readings.getReading(id);
    expect(stored?.reading).toStrictEqual(bpReading());
    expect(stored?.raw).toStrictEqual(bpFrames().map((f) => f.bytes));
    expect(stored?.state).toBe('pending');
    expect(store.readings.getReading('00000000-0000-4000-8000-000000000000')).toBeUndefined();
  });

  it('listReadings filters by driver and honours the limit; countReadings counts', () => {
    const ids = ['0001', '0002', '0003'].map((sequence) => store.readings.ingest(bpReading({ context: { sequence } }), []).id);
    const other = store.readings.ingest(bpReading({ driver: 'other-driver' }), []).id;
    expect(store.readings.countReadings()).toBe(4);
    expect(store.readings.countReadings({ driverId: 'acme-bp100' })).toBe(3);
    expect(store.readings.listReadings({ driverId: 'acme-bp100' }).map((r) => r.id)).toEqual([...ids].reverse());
    expect(store.readings.listReadings({ limit: 2 }).map((r) => r.id)).toEqual([other, ids[2]]);
    expect(thrown(() => store.readings.listReadings({ limit: 0 }))).toMatchObject({ code: 'INPUT_INVALID' });
  });
});
