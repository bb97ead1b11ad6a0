// @vitest-environment jsdom
import { act, fireEvent, render, screen } from '@testing-library/react';
import { createRef } from 'react';
import { describe, expect, it } from 'vitest';
import type { Patient, ReviewItem } from '../../shared/api/model.ts';
import { HubProvider, useHub } from '../state/use-hub.tsx';
import { JANE, createFakeHub, pendingItem, type FakeHub } from '../testing/fake-hub.ts';
import { ReviewList, type ReviewListHandle } from './review-list.tsx';
import { jsdomScope } from '../testing/jsdom-scope.ts';

const OTHER: Patient = { mrn: 'MRN-2002', name: 'Sam Poe' };
const meter = { deviceKey: 'contour:SN9', deviceLabel: 'Contour Next (SN9)' };

function ConnectedList({ handle }: { handle?: React.Ref<ReviewListHandle> }): React.JSX.Element {
  const items = useHub((s) => s.pending);
  const patient = useHub((s) => s.state?.patient);
  const notice = useHub((s) => s.notice);
  return (
    <>
      <ReviewList ref={handle} items={items} patient={patient} />
      <p data-testid="notice">{notice?.text}</p>
    </>
  );
}

async function show(review: ReviewItem[], handle?: React.Ref<ReviewListHandle>): Promise<FakeHub> {
  const hub = createFakeHub({ review, patient: JANE });
  hub.handle('confirmDevice', () => ({ ok: false, error: { code: 'NOT_FOUND', message: 'Nothing to confirm: no pending reading from Contour Next (SN9) is assigned to MRN-1001.' } }));
  render(
    <HubProvider client={hub}>
      <ConnectedList handle={handle} />
    </HubProvider>,
  );
  await screen.findByTestId('review-list');
  await act(async () => {});
  return hub;
}

const ids = (): string[] => screen.queryAllByRole('article').map((r) => r.dataset.readingId ?? '');

jsdomScope({ viewportPx: 3000 });

describe('ReviewList sections', () => {
  const items = (): ReviewItem[] => [pendingItem({ id: 'u1', ...meter }), pendingItem({ id: 'o1', patient: OTHER }), pendingItem({ id: 'j1', patient: JANE }), pendingItem({ id: 'u2' })];

  it('shows the patient first, Unassigned (N) collapsible, other patients closed; keys walk across sections', async () => {
    await show(items());
    expect(screen.getByTestId('section-label-patient').textContent).toBe('MRN-1001 · Jane Roe (1)');
    expect(screen.getByTestId('section-label-unassigned').textContent).toBe('Unassigned (2)');
    expect(screen.getByTestId('section-label-other:MRN-2002').textContent).toBe('MRN-2002 · Sam Poe (1)');
    expect(ids()).toEqual(['j1', 'u1', 'u2']);
    act(() => screen.getByTestId('reading-j1').focus());
    fireEvent.keyDown(document.activeElement as Element, { key: 'j' });
    expect(document.activeElement).toBe(screen.getByTestId('reading-u1'));
    fireEvent.keyDown(document.activeElement as Element, { key: 'End' });
    expect(document.activeElement).toBe(screen.getByTestId('reading-u2'));
    fireEvent.keyDown(document.activeElement as Element, { key: 'Home' });
    expect(document.activeElement).toBe(screen.getByTestId('reading-j1'));

    fireEvent.click(screen.getByTestId('section-unassigned'));
    expect(screen.getByTestId('section-unassigned').getAttribute('aria-expanded')).toBe('false');
    expect(ids()).toEqual(['j1']);
    fireEvent.click(screen.getByTestId('section-other:MRN-2002'));
    expect(ids()).toEqual(['j1', 'o1']);
  });

  it('hides "Confirm all" where nothing is confirmable; Shift+C there says why in words', async () => {
    const hub = await show(items());
    expect(screen.getByTestId('confirm-device-masimo-rad8:SN1').textContent).toBe('Confirm 1 from this device');
    expect(screen.queryByTestId('confirm-device-contour:SN9')).toBeNull();
    expect(screen.queryAllByText(/Confirm all 0/)).toEqual([]);
    fireEvent.keyDown(screen.getByTestId('reading-u1'), { key: 'C', shiftKey: true });
    await act(async () => {});
    expect(hub.callsOf('confirmDevice')).toEqual([{ deviceKey: 'contour:SN9' }]);
    expect(screen.getByTestId('notice').textContent).toMatch(/Nothing to confirm/);
  });

  it('filters by device and says how many it hides', async () => {
    await show(items());
    fireEvent.change(screen.getByTestId('review-filter-device'), { target: { value: 'contour:SN9' } });
    expect(ids()).toEqual(['u1']);
    expect(screen.getByTestId('review-hidden').textContent).toBe('3 hidden by the filters');
    fireEvent.change(screen.getByTestId('review-filter-age'), { target: { value: 'hour' } });
    // The fixtures are from January 2026: none is from the last hour.
    expect(ids()).toEqual([]);
    expect(screen.getByText('No pending reading matches the filters.')).toBeTruthy();
  });

  it('reveals a captured reading: opens its section, clears filters that hide it, focuses it', async () => {
    const handle = createRef<ReviewListHandle>();
    const hub = await show(items(), handle);
    fireEvent.change(screen.getByTestId('review-filter-device'), { target: { value: 'contour:SN9' } });
    act(() => handle.current?.reveal('o2'));
    // Not in the list yet: revealed when it arrives.
    await act(async () => hub.emit('review', pendingItem({ id: 'o2', patient: OTHER })));
    await act(async () => {});
    expect(document.activeElement).toBe(screen.getByTestId('reading-o2'));
    expect((screen.getByTestId('review-filter-device') as HTMLSelectElement).value).toBe('');
    expect(screen.getByTestId('section-other:MRN-2002').getAttribute('aria-expanded')).toBe('true');
  });
});
