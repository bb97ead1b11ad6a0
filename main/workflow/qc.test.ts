import { describe, expect, it } from 'vitest';
import type { ReviewItem } from '../../shared/api/model.ts';
import type { SaveQcLotInput } from '../../shared/api/qc-model.ts';
import { observe, quantity } from '../../shared/observation.ts';
import type { Reading } from '../../shared/reading.ts';
import type { HubDatabase } from '../store/hub-database.ts';
import { putPatientsOnFile, useTempStore } from '../../test/helpers/store-fixtures.ts';
import { thrown } from '../../test/helpers/thrown.ts';
import { HubWorkflow } from './hub-workflow.ts';
import { hashPin } from './pin-hash.ts';

/**
 * QC at the workflow, without any UI (docs/architecture.md §8 rule 11): lots, pass/fail, the lock
 * a failed or overdue QC puts on a device's patient results, and the passing control that lifts it.
 */
const PIN_HASH = hashPin('1234'); // once per file: scrypt is slow on purpose
const METER = { key: 'contour:SN9', label: 'Contour Next' };
const JANE = { mrn: '12345', birthDate: '1980-01-15' };
const LOT: SaveQcLotInput = {
  lotNumber: 'L123',
  analyte: 'glucoseMassMeter',
  unit: 'mg/dL',
  expiresOn: '2025-12-31',
  levels: [
    { level: '1', low: 30, high: 60 },
    { level: '2', low: 250, high: 300 },
  ],
};

let store: HubDatabase;
let wf: HubWorkflow;
let now: number;
useTempStore((opened) => {
  store = opened.store;
  putPatientsOnFile(store, JANE);
  now = Date.parse('2025-03-03T09:00:00Z');
  wf = new HubWorkflow(store, 'room-1', () => now);
  store.operators.insert({ id: 'op-ada', name: 'Ada Admin', badgeId: 'A-1', role: 'admin', pinHash: PIN_HASH, createdAt: '2025-01-01T00:00:00Z' });
  store.operators.insert({ id: 'op-ana', name: 'Ana', badgeId: 'B-1', role: 'assistant', pinHash: PIN_HASH, createdAt: '2025-01-01T00:00:00Z' });
  wf.signIn({ badgeId: 'A-1', pin: '1234' });
});

/** The clock moves on; the person comes back to the (by now locked) screen with their badge. */
function later(iso: string): void {
  now = Date.parse(iso);
  wf.signIn({ badgeId: 'A-1', pin: '1234' });
}

let sequence = 0;
/** A glucose result of the meter measured at `time` (UTC `HH:MM`, on 2025-03-03 unless `day` says otherwise). */
function arrive(kind: Reading['kind'], mgdl: number, time: string, context: Reading['context'] = {}, day = '2025-03-03'): ReviewItem {
  const at = `${day}T${time}:00Z`;
  const reading: Reading = {
    driver: 'ascensia-contour-next',
    device: { manufacturer: 'Ascensia', model: 'Contour Next', serial: 'SN9' },
    kind,
    receivedAt: at,
    effectiveTime: at,
    observations: [observe('glucoseMassMeter', quantity(mgdl, 'mg/dL'))],
    flags: kind === 'control' ? ['control-solution'] : [],
    context: { sequence: String((sequence += 1)), ...context },
  };
  const { id } = store.readings.ingest(reading, []);
  return wf.readingArrived(id, reading, METER);
}
const lotId = (): string => wf.saveQcLot(LOT).id;
const auditActions = (): string[] => wf.listAudit({ limit: 100 }).map((e) => e.action);

describe('control lots', () => {
  it('saves a lot with its levels (admin only, audited) and lists it', () => {
    const lot = wf.saveQcLot(LOT);
    expect(lot).toMatchObject({ lotNumber: 'L123', analyte: 'glucoseMassMeter', unit: 'mg/dL', expiresOn: '2025-12-31', retired: false });
    expect(lot.levels.map((l) => l.level)).toEqual(['1', '2']);
    expect(wf.listQcLots()).toEqual([lot]);
    expect(auditActions()).toContain('qc.lot-add');
    // The same lot number twice for one analyte is refused; a change keeps its id.
    expect(thrown(() => wf.saveQcLot(LOT)).code).toBe('CONFLICT');
    expect(wf.saveQcLot({ ...LOT, id: lot.id, expiresOn: '2025-11-30' })).toMatchObject({ id: lot.id, expiresOn: '2025-11-30' });

    wf.signIn({ badgeId: 'B-1', pin: '1234' });
    expect(thrown(() => wf.saveQcLot({ ...LOT, lotNumber: 'L999' })).code).toBe('FORBIDDEN');
  });

  it('refuses a new lot already expired, a unit the analyte does not take, and a level without a range that makes sense', () => {
    const expired = thrown(() => wf.saveQcLot({ ...LOT, expiresOn: '2025-03-02' }));
    expect(expired.code).toBe('INPUT_INVALID');
    expect(expired.message).toBe('Lot L123 expired on 2025-03-02: an expired lot cannot be added.');
    expect(thrown(() => wf.saveQcLot({ ...LOT, unit: 'mmol/L' })).message).toMatch(/takes mg\/dL/);
    expect(thrown(() => wf.saveQcLot({ ...LOT, levels: [{ level: '1', low: 60, high: 30 }] })).code).toBe('INPUT_INVALID');
    expect(wf.listQcLots()).toEqual([]);
  });

  it('retires a lot: kept on file, no longer usable to judge a control', () => {
    const id = lotId();
    expect(wf.retireQcLot({ id }).retired).toBe(true);
    const control = arrive('control', 280, '08:00');
    expect(thrown(() => wf.evaluateQc({ readingId: control.id, lotId: id, level: '2' })).message).toBe('Lot L123 was retired: choose a lot in use.');
  });
});

describe('evaluating a control', () => {
  it('passes a control within the chosen level, and the verdict is final', () => {
    const id = lotId();
    const control = arrive('control', 280, '08:00');
    expect(control.qc).toBeUndefined(); // never guessed into a level
    const judged = wf.evaluateQc({ readingId: control.id, lotId: id, level: '2' });
    expect(judged.qc).toMatchObject({ lotNumber: 'L123', level: '2', low: 250, high: 300, value: '280', verdict: 'pass', evaluatedBy: { id: 'op-ada' } });
    expect(wf.listQc()[0]?.qc?.verdict).toBe('pass');
    expect(thrown(() => wf.evaluateQc({ readingId: control.id, lotId: id, level: '1' })).message).toMatch(/already judged a pass/);
    expect(auditActions()).toContain('qc.pass');
  });

  it('fails a control outside the range, and one run on an expired lot whatever its value', () => {
    const id = lotId();
    const high = arrive('control', 320, '08:00');
    expect(wf.evaluateQc({ readingId: high.id, lotId: id, level: '2' }).qc).toMatchObject({ verdict: 'fail', reason: 'out of range' });

    wf.saveQcLot({ ...LOT, id, expiresOn: '2025-03-03' }); // in date through its last day
    later('2025-03-05T09:00:00Z');
    const item = arrive('control', 280, '08:00', {}, '2025-03-04');
    expect(wf.evaluateQc({ readingId: item.id, lotId: id, level: '2' }).qc).toMatchObject({ verdict: 'fail', reason: 'lot expired on 2025-03-03' });
  });

  it('refuses to judge a patient result or a level the lot does not have', () => {
    const id = lotId();
    const patient = arrive('patient', 120, '08:00');
    expect(thrown(() => wf.evaluateQc({ readingId: patient.id, lotId: id, level: '2' })).code).toBe('CONFLICT');
    const control = arrive('control', 280, '08:05');
    expect(thrown(() => wf.evaluateQc({ readingId: control.id, lotId: id, level: 'high' })).message).toBe('Lot L123 has no level "high"; its levels are 1, 2.');
  });

  it('judges at once a control whose device named its lot and level', () => {
    lotId();
    const control = arrive('control', 45, '08:00', { controlLot: 'L123', controlLevel: '1' });
    expect(control.qc).toMatchObject({ verdict: 'pass', level: '1' });
    expect(control.qc?.evaluatedBy).toBeUndefined();
  });
});

describe('QC lock', () => {
  // safety: SR-QC-2
  it('a failed control locks the device: its later patient results are held and cannot be confirmed; a passing control unlocks', () => {
    const id = lotId();
    wf.selectPatient(JANE);
    const before = arrive('patient', 110, '09:00');
    const failed = arrive('control', 320, '09:12');
    wf.evaluateQc({ readingId: failed.id, lotId: id, level: '2' });
    later('2025-03-03T09:20:00Z');
    expect(wf.qcLockOf(METER.key, METER.label)).toMatchObject({ reason: 'failed', controlReadingId: failed.id });

    const held = arrive('patient', 130, '09:15');
    const message = "The Contour Next's QC failed at 09:12 (lot L123 level 2: 320 mg/dL, expected 250–300). Run a passing control, then confirm.";
    expect(held.qcLock).toEqual({ reason: 'failed', controlReadingId: failed.id, message });
    const refused = thrown(() => wf.confirmReading({ readingId: held.id }));
    expect(refused.code).toBe('CONFLICT');
    expect(refused.message).toBe(message);
    // The batch is refused as a whole: nothing confirmed around the held result.
    expect(thrown(() => wf.confirmDevice({ deviceKey: METER.key })).message).toMatch(/^1 of these results is held by QC, so none was confirmed\./);
    expect(wf.getReview(before.id)?.state).toBe('pending');
    // A result measured before the failed control is not held.
    expect(wf.confirmReading({ readingId: before.id }).state).toBe('confirmed');

    const passed = arrive('control', 270, '09:30');
    wf.evaluateQc({ readingId: passed.id, lotId: id, level: '2' });
    later('2025-03-03T09:40:00Z');
    expect(wf.qcLockOf(METER.key, METER.label)).toBeUndefined();
    const after = arrive('patient', 140, '09:35');
    expect(after.qcLock).toBeUndefined();
    expect(wf.confirmReading({ readingId: after.id }).state).toBe('confirmed');
    // Measured under the failed QC: stays held after the pass, to be rejected or measured again.
    const still = thrown(() => wf.confirmReading({ readingId: held.id }));
    expect(still.message).toMatch(/QC failed at 09:12 .* It was measured before the passing control: reject it and measure again\.$/);
    expect(wf.rejectReading({ readingId: held.id, reason: 'device-error' }).state).toBe('rejected');
  });

  // safety: SR-QC-2
  it('an overdue QC interval locks the device (fake clock); no interval, no requirement', () => {
    const id = lotId();
    wf.selectPatient(JANE);
    expect(arrive('patient', 100, '07:00').qcLock).toBeUndefined(); // the default: no QC requirement
    wf.setQcPolicy({ deviceKey: METER.key, intervalHours: 8 });
    expect(wf.listQcPolicies()).toMatchObject([{ deviceKey: METER.key, intervalHours: 8 }]);
    expect(auditActions()).toContain('qc.interval');
    const none = arrive('patient', 101, '08:00');
    expect(none.qcLock?.message).toBe('The Contour Next needs a passing control every 8 h and has none on record. Run a passing control, then confirm.');

    const pass = arrive('control', 280, '08:30');
    wf.evaluateQc({ readingId: pass.id, lotId: id, level: '2' });
    const inTime = arrive('patient', 102, '16:00');
    expect(wf.confirmReading({ readingId: inTime.id }).state).toBe('confirmed');

    later('2025-03-03T17:00:00Z');
    expect(wf.qcLockOf(METER.key, METER.label)?.reason).toBe('overdue');
    const late = arrive('patient', 103, '16:45');
    expect(thrown(() => wf.confirmReading({ readingId: late.id })).message).toBe(
      "The Contour Next's QC is overdue: its last passing control was at 08:30, and one is needed every 8 h. Run a passing control, then confirm.",
    );
    wf.setQcPolicy({ deviceKey: METER.key, intervalHours: null });
    expect(wf.qcLockOf(METER.key, METER.label)).toBeUndefined();
    wf.signIn({ badgeId: 'B-1', pin: '1234' });
    expect(thrown(() => wf.setQcPolicy({ deviceKey: METER.key, intervalHours: 8 })).code).toBe('FORBIDDEN');
  });
});
