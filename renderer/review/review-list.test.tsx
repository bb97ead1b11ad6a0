// @vitest-environment jsdom
import { act, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { Patient, ReviewItem } from '../../shared/api/model.ts';
import { observe, quantity } from '../../shared/observation.ts';
import { JANE, createFakeHub, pendingItem, type FakeHub } from '../testing/fake-hub.ts';
import { jsdomScope } from '../testing/jsdom-scope.ts';
import { showReviewList } from '../testing/review-list-harness.tsx';

function decided(item: ReviewItem, state: 'confirmed' | 'rejected', patient: Patient = JANE): ReviewItem {
  return { ...item, state, patient, decidedBy: { id: 'op-1', name: 'Alex Assistant' }, decidedAt: '2026-01-14T08:31:00Z' };
}

/** A fake hub that answers the review commands the way the real one does. */
function hubWith(review: ReviewItem[], patient: Patient | null = JANE): FakeHub {
  const hub = createFakeHub({ review, ...(patient ? { patient } : {}) });
  const find = (id: string): ReviewItem => review.find((r) => r.id === id) ?? pendingItem({ id });
  hub.handle('confirmReading', ({ readingId }) => ({ ok: true, value: decided(find(readingId), 'confirmed') }));
  hub.handle('rejectReading', ({ readingId, reason, note }) => ({ ok: true, value: { ...decided(find(readingId), 'rejected'), rejectReason: reason, ...(note ? { rejectNote: note } : {}) } }));
  hub.handle('assignReadings', ({ readingIds }) => ({ ok: true, value: readingIds.map((id) => ({ ...find(id), patient: JANE })) }));
  hub.handle('confirmDevice', ({ deviceKey }) => ({ ok: true, value: review.filter((r) => r.deviceKey === deviceKey && r.patient).map((r) => decided(r, 'confirmed')) }));
  return hub;
}

jsdomScope();

const meter = { deviceKey: 'contour:SN9', deviceLabel: 'Contour Next (SN9)', observations: [observe('glucoseMassMeter', quantity(212, 'mg/dL'), { interpretation: 'HH' })] };

describe('ReviewList', () => {
  it('groups pending readings by device, each reading under its device in arrival order', async () => {
    const items = [pendingItem({ id: 'a1', patient: JANE }), pendingItem({ id: 'g1', patient: JANE, ...meter }), pendingItem({ id: 'a2', patient: JANE })];
    await showReviewList(hubWith(items));
    const order = [...screen.getByTestId('review-list').querySelectorAll('[data-testid^="device-group-"], [data-testid^="reading-"]')].map((el) => el.getAttribute('data-testid'));
    expect(order).toEqual(['device-group-masimo-rad8:SN1', 'reading-a1', 'reading-a2', 'device-group-contour:SN9', 'reading-g1']);
    expect(within(screen.getByTestId('device-group-masimo-rad8:SN1')).getByRole('heading').textContent).toContain('(2 pending)');
    // Values with units, abnormal flags in words, unmapped values kept and marked.
    const glucose = screen.getByTestId('reading-g1');
    expect(glucose.textContent).toContain('212');
    expect(glucose.textContent).toContain('mg/dL');
    expect(glucose.textContent).toContain('Critically high');
    expect(screen.getByTestId('reading-a1').textContent).toMatch(/PI.*2\.3.*unmapped/);
  });

  it('confirms the focused reading with one Enter, and the next reading takes focus', async () => {
    const hub = hubWith([pendingItem({ id: 'a1', patient: JANE }), pendingItem({ id: 'a2', patient: JANE })]);
    await showReviewList(hub);
    const first = screen.getByTestId('reading-a1');
    act(() => first.focus());
    fireEvent.keyDown(first, { key: 'Enter' });
    await act(async () => {});
    expect(hub.callsOf('confirmReading')).toEqual([{ readingId: 'a1' }]);
    expect(screen.queryByTestId('reading-a1')).toBeNull();
    expect(document.activeElement).toBe(screen.getByTestId('reading-a2'));
    // `c` does the same for the reading now focused.
    fireEvent.keyDown(screen.getByTestId('reading-a2'), { key: 'c' });
    await act(async () => {});
    expect(hub.callsOf('confirmReading')).toEqual([{ readingId: 'a1' }, { readingId: 'a2' }]);
  });

  it('moves focus with the arrow keys and j/k', async () => {
    await showReviewList(hubWith([pendingItem({ id: 'a1', patient: JANE }), pendingItem({ id: 'a2', patient: JANE }), pendingItem({ id: 'a3', patient: JANE })]));
    act(() => screen.getByTestId('reading-a1').focus());
    fireEvent.keyDown(document.activeElement as Element, { key: 'ArrowDown' });
    expect(document.activeElement).toBe(screen.getByTestId('reading-a2'));
    fireEvent.keyDown(document.activeElement as Element, { key: 'j' });
    expect(document.activeElement).toBe(screen.getByTestId('reading-a3'));
    fireEvent.keyDown(document.activeElement as Element, { key: 'k' });
    expect(document.activeElement).toBe(screen.getByTestId('reading-a2'));
    // One tab stop: only the focused reading is in the Tab order.
    expect(screen.getAllByRole('article').map((r) => r.tabIndex)).toEqual([-1, 0, -1]);
  });

  it('does not confirm an unassigned reading until it is assigned', async () => {
    const hub = hubWith([pendingItem({ id: 'u1' })]);
    await showReviewList(hub);
    const row = screen.getByTestId('reading-u1');
    expect(row.dataset.assigned).toBe('false');
    expect(within(row).getByText('Unassigned')).toBeTruthy();
    const confirm = screen.getByTestId('confirm-u1') as HTMLButtonElement;
    expect(confirm.disabled).toBe(true);
    expect(screen.getByTestId('blocked-u1').textContent).toMatch(/assign it to the patient before confirming/);
    act(() => row.focus());
    fireEvent.keyDown(row, { key: 'Enter' });
    await act(async () => {});
    expect(hub.callsOf('confirmReading')).toEqual([]);

    fireEvent.click(screen.getByTestId('assign-u1'));
    await act(async () => {});
    expect(hub.callsOf('assignReadings')).toEqual([{ readingIds: ['u1'] }]);
    expect(screen.queryByTestId('assign-u1')).toBeNull();
    expect((screen.getByTestId('confirm-u1') as HTMLButtonElement).disabled).toBe(false);
    fireEvent.keyDown(screen.getByTestId('reading-u1'), { key: 'Enter' });
    await act(async () => {});
    expect(hub.callsOf('confirmReading')).toEqual([{ readingId: 'u1' }]);
  });

  it('offers no assignment while no patient is selected', async () => {
    await showReviewList(hubWith([pendingItem({ id: 'u1' })], null));
    expect(screen.queryByTestId('assign-u1')).toBeNull();
    expect(screen.getByTestId('blocked-u1').textContent).toMatch(/select a patient/i);
  });

  it('rejects only with a reason, and "Other" needs a note', async () => {
    const hub = hubWith([pendingItem({ id: 'a1', patient: JANE })]);
    await showReviewList(hub);
    const row = screen.getByTestId('reading-a1');
    act(() => row.focus());
    fireEvent.keyDown(row, { key: 'r' });
    const dialog = screen.getByTestId('reject-dialog');
    const submit = within(dialog).getByTestId('reject-submit') as HTMLButtonElement;
    expect(submit.disabled).toBe(true);
    expect(document.activeElement).toBe(within(dialog).getByTestId('reject-reason'));
    fireEvent.submit(submit.closest('form') as HTMLFormElement);
    expect(hub.callsOf('rejectReading')).toEqual([]);

    fireEvent.change(within(dialog).getByTestId('reject-reason'), { target: { value: 'other' } });
    expect(submit.disabled).toBe(true);
    fireEvent.change(within(dialog).getByTestId('reject-note'), { target: { value: 'cuff slipped' } });
    expect(submit.disabled).toBe(false);
    fireEvent.click(submit);
    await act(async () => {});
    expect(hub.callsOf('rejectReading')).toEqual([{ readingId: 'a1', reason: 'other', note: 'cuff slipped' }]);
    expect(screen.queryByTestId('reject-dialog')).toBeNull();
    expect(screen.queryByTestId('reading-a1')).toBeNull();
  });

  it('confirms all of one device with its group button or Shift+C', async () => {
    const hub = hubWith([pendingItem({ id: 'a1', patient: JANE }), pendingItem({ id: 'a2', patient: JANE }), pendingItem({ id: 'g1', patient: JANE, ...meter })]);
    await showReviewList(hub);
    const button = within(screen.getByTestId('device-group-masimo-rad8:SN1')).getByRole('button', { name: 'Confirm all 2 from this device' });
    fireEvent.click(button);
    await act(async () => {});
    expect(hub.callsOf('confirmDevice')).toEqual([{ deviceKey: 'masimo-rad8:SN1' }]);
    expect(screen.getAllByRole('article').map((r) => r.dataset.testid)).toEqual(['reading-g1']);
    // Shift+C on a reading does the same for its device.
    fireEvent.keyDown(screen.getByTestId('reading-g1'), { key: 'C', shiftKey: true });
    await act(async () => {});
    expect(hub.callsOf('confirmDevice')).toEqual([{ deviceKey: 'masimo-rad8:SN1' }, { deviceKey: 'contour:SN9' }]);
    expect(screen.queryAllByRole('article')).toEqual([]);
  });

  it('shows readings arriving live at the end of their device group', async () => {
    const hub = hubWith([pendingItem({ id: 'a1', patient: JANE })]);
    await showReviewList(hub);
    act(() => hub.emit('review', pendingItem({ id: 'a2', patient: JANE })));
    expect(screen.getAllByRole('article').map((r) => r.dataset.testid)).toEqual(['reading-a1', 'reading-a2']);
    act(() => hub.emit('review', decided(pendingItem({ id: 'a1' }), 'confirmed')));
    expect(screen.getAllByRole('article').map((r) => r.dataset.testid)).toEqual(['reading-a2']);
  });

  it('keeps the rows in view still when a reading arrives above them', async () => {
    const items = [pendingItem({ id: 'a1', patient: JANE }), ...Array.from({ length: 30 }, (_, i) => pendingItem({ id: `g${i}`, patient: JANE, ...meter }))];
    const hub = hubWith(items);
    await showReviewList(hub);
    const list = screen.getByTestId('review-list');
    await act(async () => {
      list.scrollTop = 2000;
      list.dispatchEvent(new Event('scroll'));
    });
    // Where a row in view sits in the viewport: its place in the list minus the scroll offset.
    const onScreen = (id: string): number => {
      const slot = screen.getByTestId(`reading-${id}`).parentElement as HTMLElement;
      return Number(/translateY\((-?[\d.]+)px\)/.exec(slot.style.transform)?.[1]) - list.scrollTop;
    };
    // The virtualized list renders the rows around the new offset after the scroll event: wait for
    // them (on a busy machine the render may come after act returns).
    const rendered = (): string[] => screen.getAllByRole('article').map((r) => r.dataset.testid?.slice('reading-'.length) ?? '');
    await waitFor(() => expect(rendered()).not.toContain('a1'));
    const inView = rendered();
    const visible = inView[Math.floor(inView.length / 2)] ?? '';
    const before = onScreen(visible);
    // a2 joins the first device's group, above everything in view.
    await act(async () => hub.emit('review', pendingItem({ id: 'a2', patient: JANE })));
    await waitFor(() => {
      expect(list.scrollTop).toBeGreaterThan(2000);
      expect(onScreen(visible)).toBe(before);
    });
    // At the top of the list, nothing moves.
    await act(async () => {
      list.scrollTop = 0;
      list.dispatchEvent(new Event('scroll'));
    });
    await act(async () => hub.emit('review', pendingItem({ id: 'a3', patient: JANE })));
    expect(list.scrollTop).toBe(0);
  });

  it('renders 1,000 pending readings without rendering 1,000 rows', async () => {
    const many = Array.from({ length: 1000 }, (_, i) => pendingItem({ id: `m${i}`, patient: JANE, ...(i % 2 ? meter : {}) }));
    await showReviewList(hubWith(many));
    const rows = screen.getAllByRole('article');
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.length).toBeLessThan(30);
    expect(rows[0]?.getAttribute('aria-setsize')).toBe('1000');
    // The last reading is still reachable from the keyboard.
    act(() => rows[0]?.focus());
    fireEvent.keyDown(rows[0] as Element, { key: 'End' });
    await waitFor(() => expect(document.activeElement).toBe(screen.getByTestId('reading-m999')));
    expect(screen.queryByTestId('reading-m0')).toBeNull();
    expect(screen.getAllByRole('article').length).toBeLessThan(30);
  });
});
