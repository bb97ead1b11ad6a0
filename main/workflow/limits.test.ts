import { describe, expect, it } from 'vitest';
import type { ReviewItem } from '../../shared/api/model.ts';
import { CATALOG } from '../../shared/catalog.ts';
import { observe, quantity, type Observation } from '../../shared/observation.ts';
import type { Reading } from '../../shared/reading.ts';
import type { HubDatabase } from '../store/hub-database.ts';
import { bpReading, putPatientsOnFile, useTempStore } from '../../test/helpers/store-fixtures.ts';
import { thrown } from '../../test/helpers/thrown.ts';
import { HubWorkflow } from './hub-workflow.ts';
import { hashPin } from './pin-hash.ts';
import { describeAge } from './result-age.ts';

/**
 * Plausibility and age of results (docs/architecture.md §8), through the workflow without any
 * page: impossible values are never confirmed, critical and old ones only when acknowledged,
 * and a value typed in waits for the same confirmation.
 */
const PIN_HASH = hashPin('1234');
const OXI = { key: 'masimo-rad8:1', label: 'Rad-8' };
const JANE = { mrn: '12345', birthDate: '1980-01-15' };
const MINUTE = 60_000;

let store: HubDatabase;
let wf: HubWorkflow;
let now: number;
useTempStore((opened) => {
  store = opened.store;
  putPatientsOnFile(store, JANE);
  now = Date.parse('2026-03-03T09:00:00Z');
  wf = new HubWorkflow(store, 'room-1', () => now);
  store.operators.insert({ id: 'op-ana', name: 'Ana', badgeId: 'B-1', role: 'assistant', pinHash: PIN_HASH, createdAt: '2025-01-01T00:00:00Z' });
  wf.signIn({ badgeId: 'B-1', pin: '1234' });
  wf.selectPatient(JANE);
});

let sequence = 0;
/** A reading of `observations`, measured `minutesAgo` before the workflow's clock. */
function arrive(observations: Observation[], minutesAgo = 1): ReviewItem {
  const at = new Date(now - minutesAgo * MINUTE).toISOString();
  const reading: Reading = bpReading({ context: { sequence: String((sequence += 1)) }, effectiveTime: at, receivedAt: at, observations, flags: [] });
  const { id } = store.readings.ingest(reading, []);
  const item = wf.readingArrived(id, reading, OXI);
  // Measured before Jane was selected: a bedside result then waits unassigned, and the assistant
  // assigns it (these tests are about what confirming it takes).
  return item.patient === undefined ? (wf.assignReadings({ readingIds: [id] })[0] ?? item) : item;
}
const spo2 = (v: number): Observation => observe('spo2', quantity(v, '%'));
const bp = (sys: number, dia: number): Observation => ({
  code: CATALOG.bpPanel.loinc,
  display: CATALOG.bpPanel.display,
  components: [observe('bpSystolic', quantity(sys, 'mm[Hg]')), observe('bpDiastolic', quantity(dia, 'mm[Hg]'))],
});
const auditOf = (id: string, action: string) => wf.listAudit({ limit: 100 }).find((r) => r.subject === id && r.action === action);

describe('manual entry', () => {
  // safety: SR-PLAUS-1
  it('refuses SpO₂ 250 % in plain words with the limits, and stores nothing', () => {
    const e = thrown(() => wf.enterManual({ code: 'spo2', value: 250, unit: '%' }));
    expect(e.code).toBe('INPUT_INVALID');
    expect(e.message).toBe('SpO₂ 250 % is outside what can be measured (0–100 %). Check the value and type it again.');
    expect(wf.listReview()).toEqual([]);
  });

  it('refuses a 40-digit number before it reaches the limits', () => {
    const e = thrown(() => wf.enterManual({ code: 'bodyWeight', value: 1234567890123456789012345678901234567890, unit: 'kg' }));
    expect(e.code).toBe('INPUT_INVALID');
    expect(e.message).toMatch(/more digits than any measurement/);
  });

  // safety: SR-PLAUS-2
  it('stores SpO₂ 45 % pending and flagged critical; it is confirmed only with the critical acknowledged, and stays flagged', () => {
    const item = wf.enterManual({ code: 'spo2', value: 45, unit: '%' });
    expect(item).toMatchObject({ state: 'pending', manual: true, patient: JANE });
    expect(item.checks).toEqual({ impossible: [], critical: ['SpO₂ 45 % is critically low (below 88 %)'], abnormal: [] });
    const e = thrown(() => wf.confirmReading({ readingId: item.id }));
    expect(e.code).toBe('CONFLICT');
    expect(e.message).toBe('SpO₂ 45 % is critically low (below 88 %): confirm that you have seen the critical value.');
    expect(wf.getReview(item.id)?.state).toBe('pending');
    const confirmed = wf.confirmReading({ readingId: item.id, acknowledge: ['critical'] });
    expect(confirmed).toMatchObject({ state: 'confirmed', checks: { critical: ['SpO₂ 45 % is critically low (below 88 %)'] } });
    expect(auditOf(item.id, 'reading.confirm')?.details).toMatchObject({ acknowledged: ['critical'], critical: ['SpO₂ 45 % is critically low (below 88 %)'] });
  });

  it('stores a normal value pending, confirmed without any question', () => {
    const item = wf.enterManual({ code: 'bodyTemperature', value: 36.8, unit: 'Cel' });
    expect(item.checks).toEqual({ impossible: [], critical: [], abnormal: [] });
    expect(wf.confirmReading({ readingId: item.id }).state).toBe('confirmed');
    expect(auditOf(item.id, 'reading.confirm')?.details['acknowledged']).toBeUndefined();
  });
});

describe('received values', () => {
  // safety: SR-PLAUS-1
  it('keeps an impossible value, flags it, and never confirms it: reject it and enter the right value by hand', () => {
    const item = arrive([spo2(250)]);
    expect(item.checks?.impossible).toEqual(['SpO₂ 250 % is outside what can be measured (0–100 %)']);
    for (const acknowledge of [undefined, ['critical', 'old'] as const]) {
      const e = thrown(() => wf.confirmReading({ readingId: item.id, ...(acknowledge ? { acknowledge: [...acknowledge] } : {}) }));
      expect(e.code).toBe('CONFLICT');
      expect(e.message).toMatch(/^SpO₂ 250 % is outside what can be measured \(0–100 %\)\. A value that cannot be real is never confirmed: reject this reading, or reject it and enter the right value by hand\.$/);
    }
    wf.rejectReading({ readingId: item.id, reason: 'measurement-error' });
    const manual = wf.enterManual({ code: 'spo2', value: 97, unit: '%', replacesReadingId: item.id });
    expect(wf.confirmReading({ readingId: manual.id })).toMatchObject({ state: 'confirmed', replaces: item.id });
  });

  // safety: SR-PLAUS-1
  it('flags a pressure whose systolic is not above its diastolic as impossible', () => {
    const item = arrive([bp(80, 90)]);
    expect(item.checks?.impossible).toEqual(['Systolic 80 mmHg is not above diastolic 90 mmHg: one of them is wrong']);
    expect(thrown(() => wf.confirmReading({ readingId: item.id })).code).toBe('CONFLICT');
    expect(arrive([bp(90, 90)]).checks?.impossible).toHaveLength(1);
    expect(arrive([bp(142, 91)]).checks).toEqual({
      impossible: [],
      critical: [],
      abnormal: ['Systolic 142 mmHg is high (usual range 90–129 mmHg)', 'Diastolic 91 mmHg is high (usual range 60–84 mmHg)'],
    });
  });

  it('judges a meter’s "above range" by its edge: >600 mg/dL is critical', () => {
    const item = arrive([observe('glucoseMassMeter', quantity(600, 'mg/dL', '>'))]);
    expect(item.checks?.critical).toEqual(['Glucose >600 mg/dL is critically high (above 400 mg/dL)']);
  });
});

describe('age of a result', () => {
  // safety: SR-AGE-1
  it('shows the age of a result older than the limit, and confirms it only with old acknowledged', () => {
    const old = arrive([spo2(97)], 15 * 24 * 60);
    expect(old.checks?.old).toEqual({ minutes: 15 * 24 * 60, age: '15 days' });
    const e = thrown(() => wf.confirmReading({ readingId: old.id }));
    expect(e.code).toBe('CONFLICT');
    expect(e.message).toBe('This result was measured 15 days ago: confirm that it belongs to this visit.');
    expect(wf.confirmReading({ readingId: old.id, acknowledge: ['old'] }).state).toBe('confirmed');
    expect(auditOf(old.id, 'reading.confirm')?.details).toMatchObject({ acknowledged: ['old'], ageMinutes: 15 * 24 * 60 });
    // Decided, its age no longer matters: History does not call it old.
    expect(wf.getReview(old.id)?.checks?.old).toBeUndefined();
  });

  it('uses the workstation’s limit (60 minutes unless the configuration says otherwise) and the workflow’s clock', () => {
    const recent = arrive([spo2(97)], 60);
    expect(recent.checks?.old).toBeUndefined();
    now += MINUTE;
    expect(wf.getReview(recent.id)?.checks?.old).toEqual({ minutes: 61, age: '61 minutes' });
    store.reviewSettings.set({ resultAgeMinutes: 24 * 60 }, new Date(now).toISOString());
    expect(wf.getReview(recent.id)?.checks?.old).toBeUndefined();
  });

  it('asks both questions at once for an old critical value', () => {
    const item = arrive([spo2(45)], 3 * 60);
    expect(thrown(() => wf.confirmReading({ readingId: item.id })).message).toBe(
      'SpO₂ 45 % is critically low (below 88 %): confirm that you have seen the critical value; and this result was measured 3 hours ago: confirm that it belongs to this visit.',
    );
    expect(thrown(() => wf.confirmReading({ readingId: item.id, acknowledge: ['critical'] })).message).toMatch(/^This result was measured 3 hours ago/);
    expect(wf.confirmReading({ readingId: item.id, acknowledge: ['critical', 'old'] }).state).toBe('confirmed');
  });

  it('words ages naturally', () => {
    expect([1, 61, 119, 120, 47 * 60, 48 * 60, 15 * 24 * 60].map(describeAge)).toEqual(['1 minute', '61 minutes', '119 minutes', '2 hours', '47 hours', '2 days', '15 days']);
  });
});

describe('confirm all of a device', () => {
  // safety: SR-BATCH-1
  it('refuses a batch holding an impossible, critical or old result, naming them, and confirms nothing', () => {
    const clean = arrive([spo2(97)]);
    const critical = arrive([spo2(45)]);
    const old = arrive([spo2(96)], 2 * 24 * 60);
    const e = thrown(() => wf.confirmDevice({ deviceKey: OXI.key }));
    expect(e.code).toBe('CONFLICT');
    expect(e.message).toBe(
      '2 of these 3 readings need to be decided one by one (SpO₂ 45 % is critically low (below 88 %); measured 2 days ago): nothing was confirmed. Confirm or reject them first, then confirm the rest.',
    );
    expect(e.details?.['readingIds']).toEqual([critical.id, old.id]);
    expect(wf.getReview(clean.id)?.state).toBe('pending');
    wf.confirmReading({ readingId: critical.id, acknowledge: ['critical'] });
    wf.rejectReading({ readingId: old.id, reason: 'wrong-patient' });
    expect(wf.confirmDevice({ deviceKey: OXI.key }).map((i) => [i.id, i.state])).toEqual([[clean.id, 'confirmed']]);
  });
});
