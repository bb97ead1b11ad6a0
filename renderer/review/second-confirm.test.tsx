// @vitest-environment jsdom
import { fireEvent, screen, waitFor } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { ReviewItem } from '../../shared/api/model.ts';
import { JANE, createFakeHub, pendingItem, type FakeHub } from '../testing/fake-hub.ts';
import { jsdomScope } from '../testing/jsdom-scope.ts';
import { showReviewList } from '../testing/review-list-harness.tsx';

/**
 * The page's side of docs/architecture.md §8 rule 11: the checks on a row in words, the second
 * question before a critical or old result is confirmed, and no Confirm for an impossible value.
 */
function hubWith(review: ReviewItem[]): FakeHub {
  const hub = createFakeHub({ review, patient: JANE });
  hub.handle('confirmReading', ({ readingId }) => ({ ok: true, value: { ...(review.find((r) => r.id === readingId) ?? pendingItem()), state: 'confirmed' } }));
  return hub;
}

jsdomScope();

const none = { impossible: [], critical: [], abnormal: [] };

describe('checks on the review list', () => {
  it('asks the second question for a critical, old value, naming the patient, and sends both acknowledgements', async () => {
    const item = pendingItem({ id: 'c1', patient: JANE, checks: { ...none, critical: ['SpO₂ 45 % is critically low (below 88 %)'], old: { minutes: 21_600, age: '15 days' } } });
    const hub = hubWith([item]);
    await showReviewList(hub);
    expect(screen.getByTestId('check-critical-c1').textContent).toBe('Critical: SpO₂ 45 % is critically low (below 88 %)');
    expect(screen.getByTestId('check-old-c1').textContent).toBe('Measured 15 days ago');
    fireEvent.click(screen.getByTestId('confirm-c1'));
    expect(await screen.findByTestId('second-confirm')).toBeTruthy();
    expect(screen.getByTestId('second-confirm-old').textContent).toBe('This result is 15 days old.');
    expect(screen.getByTestId('second-confirm-question').textContent).toBe('Confirm it for Jane Roe (MRN-1001)?');
    expect(hub.callsOf('confirmReading')).toEqual([]);
    fireEvent.click(screen.getByTestId('second-confirm-submit'));
    await waitFor(() => expect(hub.callsOf('confirmReading')).toEqual([{ readingId: 'c1', acknowledge: ['critical', 'old'] }]));
  });

  it('confirms a clean reading at once, and never offers Confirm for an impossible one', async () => {
    const clean = pendingItem({ id: 'ok1', patient: JANE, checks: none });
    const bad = pendingItem({ id: 'bad1', patient: JANE, checks: { ...none, impossible: ['SpO₂ 250 % is outside what can be measured (0–100 %)'] } });
    const hub = hubWith([clean, bad]);
    await showReviewList(hub);
    expect((screen.getByTestId('confirm-bad1') as HTMLButtonElement).disabled).toBe(true);
    expect(screen.getByTestId('blocked-bad1').textContent).toMatch(/^Cannot be confirmed: SpO₂ 250 % is outside what can be measured \(0–100 %\)\. Reject it/);
    fireEvent.click(screen.getByTestId('confirm-ok1'));
    await waitFor(() => expect(hub.callsOf('confirmReading')).toEqual([{ readingId: 'ok1' }]));
    expect(screen.queryByTestId('second-confirm')).toBeNull();
  });

  it('a result that aged past the limit while shown: the hub refuses, the page reads it again and asks', async () => {
    const item = pendingItem({ id: 'o1', patient: JANE, checks: none });
    const hub = hubWith([item]);
    const aged = { ...item, checks: { ...none, old: { minutes: 61, age: '61 minutes' } } };
    hub.handle('confirmReading', ({ readingId, acknowledge }) =>
      acknowledge
        ? { ok: true, value: { ...aged, state: 'confirmed' } }
        : { ok: false, error: { code: 'CONFLICT', message: 'This result was measured 61 minutes ago: confirm that it belongs to this visit.', details: { readingId, acknowledge: ['old'] } } },
    );
    await showReviewList(hub);
    hub.handle('listReview', () => ({ ok: true, value: [aged] }));
    fireEvent.click(screen.getByTestId('confirm-o1'));
    expect((await screen.findByTestId('second-confirm-old')).textContent).toBe('This result is 61 minutes old.');
    fireEvent.click(screen.getByTestId('second-confirm-submit'));
    await waitFor(() => expect(hub.callsOf('confirmReading')).toEqual([{ readingId: 'o1' }, { readingId: 'o1', acknowledge: ['old'] }]));
  });
});
