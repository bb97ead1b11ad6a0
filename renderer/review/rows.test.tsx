import { describe, expect, it } from 'vitest';
import type { Patient } from '../../shared/api/model.ts';
import { JANE, pendingItem } from '../testing/fake-hub.ts';
import { assignLabel, buildRows, deviceChoices, passesFilters } from './rows.ts';

const OTHER: Patient = { mrn: 'MRN-2002', name: 'Sam Poe' };
const meter = { deviceKey: 'contour:SN9', deviceLabel: 'Contour Next (SN9)' };
const at = (iso: string) => ({ reading: { ...pendingItem().reading, effectiveTime: iso, receivedAt: iso } });

/** The rows as short words: §section(count), #device(N confirmable), and reading ids. */
function shape(rows: ReturnType<typeof buildRows>['rows']): string[] {
  return rows.map((r) => (r.kind === 'section' ? `§${r.label} (${r.count})${r.collapsed ? ' closed' : ''}` : r.kind === 'group' ? `#${r.deviceKey} ${r.confirmable}` : r.key));
}

describe('buildRows', () => {
  it('puts the selected patient first, then Unassigned with its count, then other patients (closed)', () => {
    const items = [pendingItem({ id: 'u1' }), pendingItem({ id: 'o1', patient: OTHER }), pendingItem({ id: 'j1', patient: JANE }), pendingItem({ id: 'u2', ...meter }), pendingItem({ id: 'j2', patient: JANE, ...meter })];
    const { rows, readingIds } = buildRows(items, JANE);
    expect(shape(rows)).toEqual([
      '§MRN-1001 · Jane Roe (2)',
      '#masimo-rad8:SN1 1',
      'j1',
      '#contour:SN9 1',
      'j2',
      '§Unassigned (2)',
      '#masimo-rad8:SN1 0',
      'u1',
      '#contour:SN9 0',
      'u2',
      '§MRN-2002 · Sam Poe (1) closed',
    ]);
    // The keys walk every reading in view, across sections, in display order.
    expect(readingIds).toEqual(['j1', 'j2', 'u1', 'u2']);
  });

  it('with no patient selected shows every section open and nothing confirmable', () => {
    const { rows } = buildRows([pendingItem({ id: 'o1', patient: OTHER }), pendingItem({ id: 'u1' })], undefined);
    expect(shape(rows)).toEqual(['§Unassigned (1)', '#masimo-rad8:SN1 0', 'u1', '§MRN-2002 · Sam Poe (1)', '#masimo-rad8:SN1 0', 'o1']);
  });

  it('opens and closes sections as toggled, leaving closed readings out of the key order', () => {
    const items = [pendingItem({ id: 'u1' }), pendingItem({ id: 'j1', patient: JANE })];
    const { rows, readingIds } = buildRows(items, JANE, { toggled: new Map([['unassigned', true]]) });
    expect(shape(rows)).toEqual(['§MRN-1001 · Jane Roe (1)', '#masimo-rad8:SN1 1', 'j1', '§Unassigned (1) closed']);
    expect(readingIds).toEqual(['j1']);
  });

  it('filters by device and age, and Confirm all still counts what the hub would confirm', () => {
    const now = Date.parse('2026-01-14T12:00:00Z');
    const items = [pendingItem({ id: 'old', patient: JANE, ...at('2026-01-14T08:00:00Z') }), pendingItem({ id: 'new', patient: JANE, ...at('2026-01-14T11:30:00Z') }), pendingItem({ id: 'g', patient: JANE, ...meter, ...at('2026-01-14T11:50:00Z') })];
    const hour = buildRows(items, JANE, { filters: { device: undefined, age: 'hour' }, now });
    expect(shape(hour.rows)).toEqual(['§MRN-1001 · Jane Roe (2)', '#masimo-rad8:SN1 2', 'new', '#contour:SN9 1', 'g']);
    expect(hour.hidden).toBe(1);
    const device = buildRows(items, JANE, { filters: { device: 'contour:SN9', age: 'all' }, now });
    expect(device.readingIds).toEqual(['g']);
    expect(device.hidden).toBe(2);
  });

  it('keeps "today" to readings since local midnight', () => {
    const now = new Date(2026, 0, 14, 9, 0).getTime();
    const today = pendingItem({ id: 't', ...at(new Date(2026, 0, 14, 0, 5).toISOString()) });
    const yesterday = pendingItem({ id: 'y', ...at(new Date(2026, 0, 13, 23, 55).toISOString()) });
    expect(passesFilters(today, { device: undefined, age: 'today' }, now)).toBe(true);
    expect(passesFilters(yesterday, { device: undefined, age: 'today' }, now)).toBe(false);
  });

  it('offers each device once, by label', () => {
    expect(deviceChoices([pendingItem(), pendingItem({ ...meter }), pendingItem()])).toEqual([
      { key: 'contour:SN9', label: 'Contour Next (SN9)' },
      { key: 'masimo-rad8:SN1', label: 'Masimo Rad-8 (SN1)' },
    ]);
  });
});

describe('assignLabel', () => {
  it('offers to assign an unassigned reading to the selected patient, but not one a shared device proposes for someone else', () => {
    expect(assignLabel(pendingItem(), JANE)).toMatch(/^Assign to /);
    expect(assignLabel(pendingItem(), undefined)).toBeUndefined();
    expect(assignLabel(pendingItem({ patient: JANE }), JANE)).toBeUndefined();
    expect(assignLabel(pendingItem({ proposedPatient: OTHER }), JANE)).toBeUndefined();
    expect(assignLabel(pendingItem({ proposedPatient: JANE }), JANE)).toMatch(/^Assign to /);
  });
});
