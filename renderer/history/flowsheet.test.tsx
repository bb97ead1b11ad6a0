import { describe, expect, it } from 'vitest';
import type { ReviewItem } from '../../shared/api/model.ts';
import { bloodPressurePanel, pulseRate } from '../../shared/blood-pressure.ts';
import { observe, quantity, type Observation } from '../../shared/observation.ts';
import { JANE, pendingItem } from '../testing/fake-hub.ts';
import { buildFlowsheet, type Flowsheet, type FlowsheetEntry } from './flowsheet.ts';

const item = (id: string, at: string, observations: Observation[], over: Partial<ReviewItem> = {}): ReviewItem => {
  const base = pendingItem({ id, patient: JANE, observations, state: 'confirmed', decidedBy: { id: 'op', name: 'Dana' } });
  return { ...base, reading: { ...base.reading, effectiveTime: at }, ...over };
};
const bp = (sys: number, dia: number): Observation => ({
  code: '85354-9',
  display: 'Blood pressure panel',
  components: [observe('bpSystolic', quantity(sys, 'mm[Hg]')), observe('bpDiastolic', quantity(dia, 'mm[Hg]'))],
});
const ord = (key: 'urineGlucosePresence' | 'urineNitritePresence', code: 'neg' | 'pos' | '1+', text: string): Observation =>
  observe(key, { kind: 'ordinal', code, text });

/** Row label → column key → the entries' texts, for reading a whole sheet at a glance. */
const cellsOf = (sheet: Flowsheet, rowId: string): Record<string, readonly FlowsheetEntry[]> =>
  sheet.groups.flatMap((g) => g.rows).find((r) => r.id === rowId)?.cells ?? {};

describe('buildFlowsheet', () => {
  it('makes a column per minute, newest first, and a row per vital sign with the unit once; BP as systolic/diastolic', () => {
    const sheet = buildFlowsheet(
      [
        item('a', '2026-01-14T08:00:10Z', [bp(128, 84), observe('heartRate', quantity(72, '/min'))]),
        item('b', '2026-01-14T09:30:00Z', [observe('spo2', quantity(97, '%')), observe('pulseRateOximeter', quantity(70, '/min'))]),
      ],
      { showRejected: false },
    );
    expect(sheet.columns.map((c) => [c.key, c.date, c.time, c.seconds])).toEqual([
      ['2026-01-14T09:30:00.000Z', '14 Jan 2026', '09:30', false],
      ['2026-01-14T08:00:00.000Z', '14 Jan 2026', '08:00', false],
    ]);
    expect(sheet.groups.map((g) => [g.title, g.rows.map((r) => `${r.label} (${r.unit})`)])).toEqual([
      ['Vital signs', ['Blood pressure (mmHg)', 'Pulse (/min)', 'SpO₂ (%)']],
    ]);
    expect(cellsOf(sheet, 'bp|mm[Hg]')['2026-01-14T08:00:00.000Z']?.map((e) => e.text)).toEqual(['128/84']);
    // Pulse from the monitor and from the oximeter share one row.
    const pulse = cellsOf(sheet, 'heartRate|/min');
    expect(Object.values(pulse).flat().map((e) => e.text)).toEqual(['72', '70']);
  });

  it('marks abnormal, critical and impossible values by the limits table, and by the device flag', () => {
    const sheet = buildFlowsheet(
      [
        item('n', '2026-01-14T08:00:00Z', [observe('spo2', quantity(97, '%'))]),
        item('l', '2026-01-14T08:01:00Z', [observe('spo2', quantity(92, '%'))]),
        item('c', '2026-01-14T08:02:00Z', [observe('spo2', quantity(85, '%'))]),
        item('i', '2026-01-14T08:03:00Z', [observe('spo2', quantity(250, '%'))]),
        item('f', '2026-01-14T08:04:00Z', [observe('glucoseMassMeter', quantity(100, 'mg/dL'), { interpretation: 'HH' })]),
        item('b', '2026-01-14T08:05:00Z', [bp(190, 80)]),
      ],
      { showRejected: false },
    );
    const spo2 = Object.values(cellsOf(sheet, 'spo2|%')).flat();
    expect(Object.fromEntries(spo2.map((e) => [e.text, e.mark]))).toEqual({ '97': 'normal', '92': 'low', '85': 'critical-low', '250': 'impossible' });
    expect(Object.values(cellsOf(sheet, 'glucoseMassMeter|mg/dL')).flat()[0]?.mark).toBe('critical-high');
    // The worse of systolic (critical) and diastolic (normal) marks the BP cell.
    expect(Object.values(cellsOf(sheet, 'bp|mm[Hg]')).flat()[0]).toMatchObject({ text: '190/80', mark: 'critical-high' });
  });

  it('puts urine analytes under Urinalysis; a positive dipstick pad is abnormal', () => {
    const sheet = buildFlowsheet(
      [item('u', '2026-01-14T08:00:00Z', [observe('urinePh', quantity(6, '[pH]')), ord('urineGlucosePresence', 'neg', 'NEG'), ord('urineNitritePresence', 'pos', 'POS')])],
      { showRejected: false },
    );
    expect(sheet.groups.map((g) => g.title)).toEqual(['Urinalysis']);
    const rows = sheet.groups[0]?.rows ?? [];
    expect(rows.map((r) => [r.label, r.unit, Object.values(r.cells).flat()[0]?.text, Object.values(r.cells).flat()[0]?.mark])).toEqual([
      ['pH', '', '6', 'normal'],
      ['Urine glucose', '', 'NEG', 'normal'],
      ['Nitrite', '', 'POS', 'abnormal'],
    ]);
  });

  it('keeps pending values as pending; leaves rejected ones out unless asked, then shows them as rejected', () => {
    const history = [
      item('p', '2026-01-14T08:00:00Z', [observe('spo2', quantity(97, '%'))], { state: 'pending' }),
      item('r', '2026-01-14T09:00:00Z', [observe('spo2', quantity(60, '%'))], { state: 'rejected', rejectReason: 'measurement-error' }),
    ];
    const hidden = buildFlowsheet(history, { showRejected: false });
    expect(hidden.hiddenRejected).toBe(1);
    expect(hidden.columns).toHaveLength(1);
    expect(Object.values(cellsOf(hidden, 'spo2|%')).flat().map((e) => e.state)).toEqual(['pending']);
    const shown = buildFlowsheet(history, { showRejected: true });
    expect(shown.hiddenRejected).toBe(0);
    expect(shown.columns.flatMap((c) => cellsOf(shown, 'spo2|%')[c.key] ?? []).map((e) => [e.text, e.state])).toEqual([
      ['60', 'rejected'],
      ['97', 'pending'],
    ]);
  });

  it('groups readings of one minute into one column, each value with its seconds', () => {
    const sheet = buildFlowsheet(
      [item('a', '2026-01-14T08:00:05Z', [observe('spo2', quantity(97, '%'))]), item('b', '2026-01-14T08:00:40Z', [observe('spo2', quantity(96, '%'))])],
      { showRejected: false },
    );
    expect(sheet.columns).toEqual([{ key: '2026-01-14T08:00:00.000Z', date: '14 Jan 2026', time: '08:00', seconds: true }]);
    expect(Object.values(cellsOf(sheet, 'spo2|%')).flat().map((e) => [e.time, e.text])).toEqual([
      ['08:00:40', '96'],
      ['08:00:05', '97'],
    ]);
  });

  it('leaves control results out (they belong to QC) and keeps unmapped values in their own rows', () => {
    const control = item('q', '2026-01-14T08:00:00Z', [observe('glucoseMassMeter', quantity(110, 'mg/dL'))]);
    const sheet = buildFlowsheet(
      [{ ...control, reading: { ...control.reading, kind: 'control' } }, item('x', '2026-01-14T08:05:00Z', [{ value: { kind: 'unmapped', label: 'PI', text: '2.3' } }])],
      { showRejected: false },
    );
    expect(sheet.groups.map((g) => [g.title, g.rows.map((r) => r.label)])).toEqual([['Other values', ['PI']]]);
  });

  it('shows a BP panel from shared/blood-pressure.ts as systolic/diastolic (mean) in one row, no separate mean row', () => {
    const sheet = buildFlowsheet(
      [
        item('p', '2026-01-14T08:00:00Z', [bloodPressurePanel({ systolic: 128, diastolic: 84, mean: 99, unit: 'mmHg' }), pulseRate(72, 'nibp')]),
        item('q', '2026-01-14T09:00:00Z', [bloodPressurePanel({ systolic: 185, diastolic: 80, unit: 'mmHg' })]),
      ],
      { showRejected: false },
    );
    expect(sheet.groups.map((g) => [g.title, g.rows.map((r) => `${r.label} (${r.unit})`)])).toEqual([['Vital signs', ['Blood pressure (mmHg)', 'Pulse (/min)']]]);
    const cells = cellsOf(sheet, 'bp|mm[Hg]');
    expect(cells['2026-01-14T08:00:00.000Z']?.map((e) => [e.text, e.mark])).toEqual([['128/84 (99)', 'normal']]);
    // No mean from the device: none shown; the critical systolic marks the cell.
    expect(cells['2026-01-14T09:00:00.000Z']?.map((e) => [e.text, e.mark])).toEqual([['185/80', 'critical-high']]);
  });
});
