// @vitest-environment jsdom
import { cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import type { ReviewItem } from '../../shared/api/model.ts';
import { observe, quantity } from '../../shared/observation.ts';
import { App } from '../app.tsx';
import { JANE, createFakeHub, pendingItem } from '../testing/fake-hub.ts';

afterEach(cleanup);

const spo2 = (id: string, value: number, at: string, state: ReviewItem['state']): ReviewItem => {
  const base = pendingItem({ id, patient: JANE, observations: [observe('spo2', quantity(value, '%'))] });
  return { ...base, state, reading: { ...base.reading, effectiveTime: at }, ...(state === 'rejected' ? { rejectReason: 'measurement-error' as const } : {}) };
};

describe('History screen', () => {
  it('shows the flowsheet with marks in words, rejected values only on request, and the trend with its reference band', async () => {
    const hub = createFakeHub({ patient: JANE });
    hub.handle('getHistory', () => ({
      ok: true,
      value: [spo2('a', 92, '2026-01-14T09:00:00Z', 'confirmed'), spo2('b', 97, '2026-01-14T08:00:00Z', 'confirmed'), spo2('c', 40, '2026-01-14T08:30:00Z', 'rejected')],
    }));
    window.location.hash = '#/history';
    render(<App client={hub} />);
    const grid = await screen.findByTestId('flowsheet');
    const row = within(grid).getByTestId('flowsheet-row-spo2|%');
    expect(within(row).getByRole('rowheader').textContent).toBe('SpO₂ (%)');
    expect(row.querySelector('[data-mark="low"]')?.textContent).toContain('Low');
    expect(grid.querySelectorAll('thead th')).toHaveLength(3);
    expect(grid.querySelector('[data-state="rejected"]')).toBeNull();

    fireEvent.click(screen.getByTestId('flowsheet-show-rejected'));
    const rejected = await within(grid).findByText('40');
    expect(rejected.tagName).toBe('DEL');
    expect(grid.querySelectorAll('thead th')).toHaveLength(4);

    const trend = screen.getByTestId('trend-59408-5|%');
    expect(trend.querySelectorAll('[data-testid="trend-band"]')).toHaveLength(1);
    expect(trend.textContent).toContain('reference range 95–100');
  });
});
