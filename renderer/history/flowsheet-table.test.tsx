// @vitest-environment jsdom
import { cleanup, render, screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import type { ReviewItem } from '../../shared/api/model.ts';
import { bloodPressurePanel } from '../../shared/blood-pressure.ts';
import { observe, quantity, type Observation } from '../../shared/observation.ts';
import { JANE, pendingItem } from '../testing/fake-hub.ts';
import { buildFlowsheet } from './flowsheet.ts';
import { FlowsheetTable } from './flowsheet-table.tsx';

afterEach(cleanup);

const item = (id: string, at: string, observations: Observation[]): ReviewItem => {
  const base = pendingItem({ id, patient: JANE, observations, state: 'confirmed', decidedBy: { id: 'op', name: 'Dana' } });
  return { ...base, reading: { ...base.reading, effectiveTime: at } };
};

describe('FlowsheetTable', () => {
  it('shows a BP panel as one systolic/diastolic (mean) value in its minute’s cell, traceable to its reading', () => {
    const sheet = buildFlowsheet(
      [
        item('bp-1', '2026-01-14T08:03:20Z', [bloodPressurePanel({ systolic: 124, diastolic: 78, mean: 92, unit: 'mmHg' })]),
        item('spo2-1', '2026-01-14T08:01:05Z', [observe('spo2', quantity(97, '%'))]),
      ],
      { showRejected: false },
    );
    render(<FlowsheetTable sheet={sheet} caption="History" />);
    const row = screen.getByTestId('flowsheet-row-bp|mm[Hg]');
    expect(within(row).getByRole('rowheader').textContent).toBe('Blood pressure (mmHg)');
    const cell = row.querySelector('td[data-col="2026-01-14T08:03:00.000Z"]');
    expect(cell?.querySelector('[data-reading-id="bp-1"] strong')?.textContent).toBe('124/78 (92)');
    // The other minute's cell of the BP row is empty; no separate systolic, diastolic or mean rows.
    expect(row.querySelector('td[data-col="2026-01-14T08:01:00.000Z"]')?.textContent).toBe('');
    expect(screen.getByTestId('flowsheet').querySelectorAll('[data-reading-id="bp-1"]')).toHaveLength(1);
    expect(screen.getByTestId('flowsheet-row-spo2|%').querySelector('td[data-col="2026-01-14T08:01:00.000Z"] [data-reading-id="spo2-1"]')?.textContent).toContain('97');
  });
});
