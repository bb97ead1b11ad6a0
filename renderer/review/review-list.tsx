import { useVirtualizer } from '@tanstack/react-virtual';
import { useImperativeHandle, useLayoutEffect, useMemo, useRef, useState, type Ref } from 'react';
import type { Acknowledgement, ApiError, Patient, ReviewItem } from '../../shared/api/model.ts';
import { summarize } from '../format/observations.ts';
import { patientShort } from '../format/words.ts';
import { usePageStateStore } from '../state/use-hub.tsx';
import { ReadingRow } from './reading-row.tsx';
import { RejectDialog, type RejectChoice } from './reject-dialog.tsx';
import { assignLabel, buildRows, confirmBlocked, estimateRowSize } from './rows.ts';
import { SecondConfirmDialog, acknowledgementsFor } from './second-confirm-dialog.tsx';

/** Rows rendered beyond the visible ones, so fast arrow-key runs never show a blank row. */
const OVERSCAN_ROWS = 4;

/** What the review screen may ask of the list. */
export interface ReviewListHandle {
  /** Put keyboard focus on the current reading; false when the list is empty. */
  focusCurrent(): boolean;
}

interface ReviewListProps {
  readonly ref?: Ref<ReviewListHandle>;
  readonly items: readonly ReviewItem[];
  readonly patient: Patient | undefined;
  /** A digit typed on the list starts a patient scan (barcode scanners type like a keyboard). */
  readonly onStartScan?: (firstKey: string) => void;
  /** After a reject with "enter the correct value by hand". */
  readonly onEnterByHand?: (replacesReadingId: string) => void;
}

/**
 * The pending readings, grouped by device and virtualized (1,000 stay smooth). Keyboard map on
 * a focused reading: ↓/j and ↑/k move, Home/End jump, Enter or c confirms, Shift+C confirms all
 * of its device, r rejects, a assigns, a digit starts a patient scan.
 * One reading is the tab stop (roving tabindex); when it leaves the list the next one takes focus.
 */
export function ReviewList({ ref, items, patient, onStartScan, onEnterByHand }: ReviewListProps): React.JSX.Element {
  const store = usePageStateStore();
  const { rows, readingIds, rowOf } = useMemo(() => buildRows(items, patient), [items, patient]);
  const byId = useMemo(() => new Map(items.map((i) => [i.id, i])), [items]);
  const [focusedId, setFocusedId] = useState<string>();
  const [busy, setBusy] = useState<ReadonlySet<string>>(new Set());
  const [rejectFor, setRejectFor] = useState<ReviewItem>();
  /** A critical or old reading waiting for its second, explicit confirmation. */
  const [secondFor, setSecondFor] = useState<ReviewItem>();
  const scrollRef = useRef<HTMLDivElement>(null);
  const lastIndex = useRef(0);
  const keepFocus = useRef(false);
  const pendingFocus = useRef<string>(undefined);

  const virtualizer = useVirtualizer({
    count: rows.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: (i) => estimateRowSize(rows[i]),
    getItemKey: (i) => rows[i]?.key ?? i,
    overscan: OVERSCAN_ROWS,
    // React 19 batches the re-render itself; flushSync from a layout effect only warns.
    useFlushSync: false,
  });

  // Scroll anchoring: a reading that arrives (or leaves) above the rows in view must not move
  // them. Remember the row at the top of the view and where it sat; when the rows change, put
  // it back there. (The virtualizer itself already compensates size changes of rows above.)
  const anchor = useRef<{ key: string; offset: number }>(undefined);
  const recordAnchor = (): void => {
    const top = scrollRef.current?.scrollTop ?? 0;
    const item = top > 0 ? virtualizer.getVirtualItemForOffset(top) : undefined;
    anchor.current = item ? { key: String(item.key), offset: top - item.start } : undefined;
  };
  useLayoutEffect(() => {
    const a = anchor.current;
    const el = scrollRef.current;
    if (!a || !el) return;
    const index = rows.findIndex((r) => r.key === a.key);
    // Reading the items first brings the measurements up to date: rows mounted in this commit
    // have just been measured, and their real height must count, not the estimate.
    virtualizer.getVirtualItems();
    const start = index >= 0 ? virtualizer.measurementsCache[index]?.start : undefined;
    // Written to the element, not as a virtualizer scroll command: while a command waits for
    // its scroll event the virtualizer skips its own correction when the new row is measured
    // (its real height replacing the estimate), and the rows in view would still move by that.
    if (start !== undefined && Math.abs(start + a.offset - el.scrollTop) >= 1) el.scrollTop = start + a.offset;
    // Only when the rows change: a scroll by the user moves the anchor instead.
  }, [rows]);

  // The focused reading; when it left the list, the one now at its place (or the last).
  const current = focusedId !== undefined && byId.has(focusedId) ? focusedId : readingIds[Math.min(lastIndex.current, readingIds.length - 1)];

  useLayoutEffect(() => {
    if (current === undefined) return;
    lastIndex.current = Math.max(0, readingIds.indexOf(current));
    if (focusedId === current) return;
    setFocusedId(current);
    const active = document.activeElement;
    if (keepFocus.current && (!active || active === document.body || !active.isConnected)) pendingFocus.current = current;
  });

  useLayoutEffect(() => {
    const id = pendingFocus.current;
    if (id === undefined || rejectFor || secondFor) return;
    for (const el of scrollRef.current?.querySelectorAll<HTMLElement>('[data-reading-id]') ?? []) {
      if (el.dataset.readingId === id) {
        el.focus({ preventScroll: true });
        pendingFocus.current = undefined;
      }
    }
  });

  const focusReading = (id: string | undefined): void => {
    if (id === undefined) return;
    setFocusedId(id);
    pendingFocus.current = id;
    keepFocus.current = true;
    const row = rowOf.get(id);
    if (row !== undefined) virtualizer.scrollToIndex(row, { align: 'auto' });
  };

  useImperativeHandle(ref, () => ({
    focusCurrent: () => {
      if (current === undefined) return false;
      focusReading(current);
      return true;
    },
  }));

  const withBusy = async (id: string, work: () => Promise<void>): Promise<void> => {
    if (busy.has(id)) return;
    setBusy((b) => new Set(b).add(id));
    try {
      await work();
    } finally {
      setBusy((b) => {
        const next = new Set(b);
        next.delete(id);
        return next;
      });
    }
  };

  const confirm = (item: ReviewItem, acknowledge?: Acknowledgement[]): void => {
    const blocked = confirmBlocked(item, patient);
    if (blocked) return store.notify(blocked, 'warn');
    // Critical or old: one more question first; the hub refuses it without the answer anyway.
    if (acknowledge === undefined && acknowledgementsFor(item).length > 0) {
      keepFocus.current = true;
      return setSecondFor(item);
    }
    setSecondFor(undefined);
    void withBusy(item.id, async () => {
      const result = await store.call('confirmReading', { readingId: item.id, ...(acknowledge && acknowledge.length > 0 ? { acknowledge } : {}) });
      if (!result.ok) {
        // The hub judged it critical or old since the page last heard of it (a result ages while
        // it waits): read it again, and ask the second question with what the hub now says.
        if (acknowledge === undefined && Array.isArray(result.error.details?.['acknowledge'])) {
          const fresh = await store.call('listReview', {});
          const now = fresh.ok ? fresh.value.find((i) => i.id === item.id) : undefined;
          if (fresh.ok) store.applyItems(fresh.value);
          if (now && acknowledgementsFor(now).length > 0) return setSecondFor(now);
        }
        return store.notifyError(result.error);
      }
      store.applyItems([result.value]);
      store.notify(`Confirmed ${summarize(item.reading.observations, 2)} for ${patient ? patientShort(patient) : 'the patient'}.`);
    });
  };

  const assign = (item: ReviewItem): void => {
    if (item.patient !== undefined) return;
    if (!patient) return store.notify('Select a patient first, then assign the reading.', 'warn');
    void withBusy(item.id, async () => {
      const result = await store.call('assignReadings', { readingIds: [item.id] });
      if (!result.ok) return store.notifyError(result.error);
      store.applyItems(result.value);
      store.notify(`Assigned to ${patientShort(patient)}. Check it, then confirm.`);
    });
  };

  const confirmDevice = async (deviceKey: string, label: string): Promise<void> => {
    const result = await store.call('confirmDevice', { deviceKey });
    if (!result.ok) return store.notifyError(result.error);
    store.applyItems(result.value);
    store.notify(`Confirmed ${result.value.length} reading${result.value.length === 1 ? '' : 's'} from ${label}.`);
  };

  const reject = async (item: ReviewItem, choice: RejectChoice): Promise<ApiError | undefined> => {
    const result = await store.call('rejectReading', { readingId: item.id, reason: choice.reason, ...(choice.note ? { note: choice.note } : {}) });
    if (!result.ok) return result.error;
    const at = readingIds.indexOf(item.id);
    pendingFocus.current = readingIds[at + 1] ?? readingIds[at - 1];
    keepFocus.current = true;
    setRejectFor(undefined);
    store.applyItems([result.value]);
    store.notify('Reading rejected.');
    if (choice.enterByHand) onEnterByHand?.(item.id);
    return undefined;
  };

  const onKeyDown = (e: React.KeyboardEvent<HTMLDivElement>): void => {
    if (e.altKey || e.ctrlKey || e.metaKey) return;
    const target = e.target as HTMLElement;
    const rowEl = target.closest<HTMLElement>('[data-reading-id]');
    const item = rowEl?.dataset.readingId === undefined ? undefined : byId.get(rowEl.dataset.readingId);
    if (!item) return;
    const at = readingIds.indexOf(item.id);
    const onButton = target !== rowEl;
    switch (e.key) {
      case 'ArrowDown':
      case 'j':
        focusReading(readingIds[Math.min(at + 1, readingIds.length - 1)]);
        break;
      case 'ArrowUp':
      case 'k':
        focusReading(readingIds[Math.max(at - 1, 0)]);
        break;
      case 'Home':
        focusReading(readingIds[0]);
        break;
      case 'End':
        focusReading(readingIds[readingIds.length - 1]);
        break;
      case 'Enter':
        // On a button, Enter is that button's own action.
        if (onButton) return;
        confirm(item);
        break;
      case 'c':
        confirm(item);
        break;
      case 'C':
        void confirmDevice(item.deviceKey, item.deviceLabel);
        break;
      case 'r':
        keepFocus.current = true;
        setRejectFor(item);
        break;
      case 'a':
        assign(item);
        break;
      default:
        if (!/^[0-9]$/.test(e.key) || !onStartScan) return;
        onStartScan(e.key);
    }
    e.preventDefault();
  };

  const onBlur = (e: React.FocusEvent<HTMLDivElement>): void => {
    // Focus moved somewhere else on purpose (not just the focused row leaving the list).
    if (e.relatedTarget instanceof Node && !e.currentTarget.contains(e.relatedTarget)) keepFocus.current = false;
  };

  const total = readingIds.length;
  return (
    <>
      <div ref={scrollRef} className="review-scroll" role="feed" aria-label="Pending readings" aria-busy="false" data-testid="review-list" onKeyDown={onKeyDown} onBlur={onBlur} onScroll={recordAnchor}>
        {total === 0 && <p className="empty">No readings waiting. New readings appear here as devices send them.</p>}
        <div className="review-canvas" style={{ height: virtualizer.getTotalSize() }}>
          {virtualizer.getVirtualItems().map((v) => {
            const row = rows[v.index];
            if (!row) return null;
            const place = { transform: `translateY(${v.start}px)` };
            if (row.kind === 'group') {
              return (
                <div key={v.key} ref={virtualizer.measureElement} data-index={v.index} className="group-head" style={place} data-testid={`device-group-${row.deviceKey}`}>
                  <h3 className="group-title">
                    {row.label} <span className="group-count">({row.total} pending)</span>
                  </h3>
                  <button
                    type="button"
                    className="button"
                    disabled={row.confirmable === 0}
                    title={row.confirmable === 0 ? 'No reading of this device is assigned to the selected patient' : undefined}
                    data-testid={`confirm-device-${row.deviceKey}`}
                    onClick={() => void confirmDevice(row.deviceKey, row.label)}
                  >
                    {`Confirm all ${row.confirmable} from this device`}
                  </button>
                </div>
              );
            }
            const item = row.item;
            return (
              <div key={v.key} ref={virtualizer.measureElement} data-index={v.index} className="row-slot" style={place}>
                <ReadingRow
                  item={item}
                  focused={item.id === current}
                  position={row.position}
                  total={total}
                  confirmBlocked={confirmBlocked(item, patient)}
                  assignLabel={assignLabel(item, patient)}
                  ownerLabel={item.patient && item.patient.mrn !== patient?.mrn ? `For MRN ${item.patient.mrn}` : undefined}
                  busy={busy.has(item.id)}
                  onFocus={() => {
                    keepFocus.current = true;
                    if (focusedId !== item.id) setFocusedId(item.id);
                  }}
                  onConfirm={() => confirm(item)}
                  onReject={() => setRejectFor(item)}
                  onAssign={() => assign(item)}
                />
              </div>
            );
          })}
        </div>
      </div>
      {secondFor && patient && (
        <SecondConfirmDialog item={secondFor} patient={patient} onConfirm={(ack) => confirm(secondFor, ack)} onCancel={() => setSecondFor(undefined)} />
      )}
      {rejectFor && <RejectDialog item={rejectFor} onSubmit={(choice) => reject(rejectFor, choice)} onCancel={() => setRejectFor(undefined)} />}
    </>
  );
}
