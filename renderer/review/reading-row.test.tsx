// @vitest-environment jsdom
import { cleanup, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import type { ReviewItem } from '../../shared/api/model.ts';
import { bloodPressurePanel, pulseRate } from '../../shared/blood-pressure.ts';
import { JANE, pendingItem } from '../testing/fake-hub.ts';
import { ReadingRow } from './reading-row.tsx';

afterEach(cleanup);

const row = (item: ReviewItem): void => {
  const noop = (): void => undefined;
  render(
    <ReadingRow item={item} focused position={1} total={1} confirmBlocked={undefined} assignLabel={undefined} ownerLabel={undefined} busy={false} onFocus={noop} onConfirm={noop} onReject={noop} onAssign={noop} />,
  );
};

describe('ReadingRow names its patient', () => {
  it('an assigned row says whose it is, and Confirm says whom it confirms for', () => {
    row(pendingItem({ id: 'r1', patient: JANE }));
    expect(screen.getByTestId('patient-of-r1').textContent).toBe('Jane Roe (MRN-1001)');
    expect(screen.getByTestId('confirm-r1').textContent).toBe('Confirm for Jane Roe (MRN-1001) Enter');
  });

  it('an unassigned row names nobody', () => {
    row(pendingItem({ id: 'r2' }));
    expect(screen.queryByTestId('patient-of-r2')).toBeNull();
    expect(screen.getByTestId('confirm-r2').textContent).toBe('Confirm Enter');
  });
});

describe('ReadingRow shows a blood pressure as clinicians write it', () => {
  it('one "Blood pressure 128/84 (99) mmHg" value for a BP panel, the pulse beside it, and the same in its accessible name', () => {
    row(pendingItem({ id: 'bp1', patient: JANE, observations: [bloodPressurePanel({ systolic: 128, diastolic: 84, mean: 99, unit: 'mmHg' }), pulseRate(72, 'nibp')] }));
    const values = screen.getByRole('list', { name: 'Values' });
    expect([...values.querySelectorAll('li')].map((li) => li.textContent)).toEqual(['Blood pressure128/84 (99)mmHg', 'Pulse72/min']);
    // Its own class: the style keeps "128/84 (99)" on one line, two columns wide (styles.css).
    expect([...values.querySelectorAll('li')].map((li) => li.classList.contains('obs--bp'))).toEqual([true, false]);
    expect(screen.getByRole('article').getAttribute('aria-labelledby')).toBeTruthy();
    expect(screen.getByText(/^Reading 1 of 1: Blood pressure 128\/84 \(99\) mmHg, Pulse 72 \/min/)).toBeTruthy();
  });
});
