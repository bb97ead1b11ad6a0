// @vitest-environment jsdom
import { cleanup, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import type { ReviewItem } from '../../shared/api/model.ts';
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
