import { describe, expect, it } from 'vitest';
import { bpReading, useTempStore } from '../../test/helpers/store-fixtures.ts';
import type { HubDatabase } from '../store/hub-database.ts';
import { purgePatientCache } from './cache-expiry.ts';

let store: HubDatabase;
useTempStore((opened) => (store = opened.store));

const NOW = Date.parse('2026-12-20T12:00:00Z');
const iso = (hoursAgo: number): string => new Date(NOW - hoursAgo * 3_600_000).toISOString();

describe('patient cache expiry', () => {
  it('forgets unused patients and visits after the configured hours, keeps patients with readings, and ADT control ids for 7 days', () => {
    store.db.prepare("INSERT INTO patient_cache_settings (id, expire_hours, updated_at) VALUES (1, 24, '2026-12-01T00:00:00Z')").run();
    for (const [mrn, hoursAgo] of [['OLD', 30], ['FRESH', 2], ['READ', 30]] as const) {
      store.patients.saveFromSource({ mrn, identifiers: [{ value: mrn }], birthDate: '1980-01-15', sourceId: 'adt', verifiedAt: iso(hoursAgo) });
      store.db.prepare('UPDATE patients SET last_seen = ? WHERE mrn = ?').run(iso(hoursAgo), mrn);
    }
    const { id } = store.readings.ingest(bpReading(), []);
    store.reviews.insert({ readingId: id, deviceKey: 'bp', deviceLabel: 'BP', patientMrn: 'READ', assignedBy: null, assignedAt: iso(30), assignedVia: 'manual', decision: null, decidedBy: null, decidedAt: null, manual: false, replaces: null });
    store.visits.save({ id: 'adt:1', sourceId: 'adt', mrn: 'OLD', state: 'arrived', updatedAt: iso(30) });
    store.visits.save({ id: 'adt:2', sourceId: 'adt', mrn: 'FRESH', state: 'arrived', updatedAt: iso(2) });
    for (const [controlId, hoursAgo] of [['A', 24 * 7 + 1], ['B', 24 * 7 - 1], ['C', 30]] as const) {
      store.adtMessages.record({ sender: 'EPIC^HOSP', controlId, sourceId: 'adt', event: 'A04', ackCode: 'AA', receivedAt: iso(hoursAgo) });
    }
    expect(purgePatientCache(store, NOW)).toEqual({ patients: 1, visits: 1, adtMessages: 1 });
    expect(['OLD', 'FRESH', 'READ'].map((m) => store.patients.get(m) !== undefined)).toEqual([false, true, true]);
    expect(store.visits.get('adt:2')).toBeDefined();
    expect(['A', 'B', 'C'].map((c) => store.adtMessages.find('EPIC^HOSP', c) !== undefined)).toEqual([false, true, true]);
  });

  it('uses the default hours when none are configured', () => {
    store.visits.save({ id: 'adt:1', sourceId: 'adt', mrn: 'X', state: 'arrived', updatedAt: iso(71) });
    store.visits.save({ id: 'adt:2', sourceId: 'adt', mrn: 'X', state: 'arrived', updatedAt: iso(73) });
    expect(purgePatientCache(store, NOW).visits).toBe(1);
    expect(store.visits.get('adt:1')).toBeDefined();
  });
});
