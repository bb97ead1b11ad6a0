import { useVirtualizer } from '@tanstack/react-virtual';
import { useEffect, useImperativeHandle, useLayoutEffect, useMemo, useRef, useState, type Ref } from 'react';
import type { Acknowledgement, ApiError, Patient, ReviewItem } from '../../shared/api/model.ts';
import { summarize } from '../format/observations.ts';
import { mrnText, patientShort } from '../format/words.ts';
import { usePageStateStore } from '../state/use-hub.tsx';
import { ReadingRow } from './reading-row.tsx';
import { DeviceHead, FilterBar, SectionHead } from './review-heads.tsx';
import { RejectDialog, type RejectChoice } from './reject-dialog.tsx';
import { useScrollAnchor } from './use-scroll-anchor.ts';
import { NO_FILTERS, assignLabel, buildRows, confirmBlocked, defaultCollapsed, deviceChoices, estimateRowSize, passesFilters, sectionOf, type ReviewFilters } from './rows.ts';
import { SecondConfirmDialog, acknowledgementsFor } from './second-confirm-dialog.tsx';

/** Rows rendered beyond the visible ones, so fast arrow-key runs never show a blank row. */
const OVERSCAN_ROWS = 4;

/** What the review screen may ask of the list. */
export interface ReviewListHandle {
  /** Put keyboard focus on the current reading; false when the list is empty. */
  focusCurrent(): boolean;
  /**
   * Scroll to and focus one reading (what Capture just made), opening its section and clearing
   * filters that hide it; waits for the reading when it has not reached the list yet.
   */
  reveal(readingId: string): void;
}

interface ReviewListProps {
  readonly ref?: Ref<ReviewListHandle>;
  readonly items: readonly ReviewItem[];
  readonly patient: Patient | undefined;
  /** A digit typed on the list starts a patient scan (barcode scanners type like a keyboard). */
  readonly onStartScan?: (firstKey: string) => void;
  /** The list's title, shown on one line with the filters (room is short at 1366×768). */
  readonly heading?: React.ReactNode;
  /** After a reject with "enter the correct value by hand". */
  readonly onEnterByHand?: (replacesReadingId: string) => void;
}

/** How often the age filter looks at the clock again, so "last hour" stays true while open. */
const AGE_TICK_MS = 30_000;

/**
 * The pending readings in sections (the selected patient's, unassigned, other patients'), each
 * grouped by device, with device and age filters, virtualized (1,000 stay smooth). Keyboard map on
 * a focused reading: ↓/j and ↑/k move, Home/End jump, Enter or c confirms, Shift+C confirms all
 * of its device, r rejects, a assigns, a digit starts a patient scan.
 * One reading is the tab stop (roving tabindex); when it leaves the list the next one takes focus.
 */
export function ReviewList({ ref, items, patient, heading, onStartScan, onEnterByHand }: ReviewListProps): React.JSX.Element {
  const store = usePageStateStore();
  const [filters, setFilters] = useState<ReviewFilters>(NO_FILTERS);
  const [toggled, setToggled] = useState<ReadonlyMap<string, boolean>>(new Map());
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (filters.age === 'all') return;
    setNow(Date.now());
    const t = setInterval(() => setNow(Date.now()), AGE_TICK_MS);
    return () => clearInterval(t);
  }, [filters.age]);
  const { rows, readingIds, rowOf, hidden } = useMemo(() => buildRows(items, patient, { filters, toggled, now }), [items, patient, filters, toggled, now]);
  const devices = useMemo(() => deviceChoices(items), [items]);
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

  const recordAnchor = useScrollAnchor({
    rows,
    virtualizer,
    scrollRef,
    patientMrn: patient?.mrn,
    // A new patient starts at their first reading.
    onPatientChange: () => {
      lastIndex.current = 0;
    },
  });

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

  const focusReading = (id: string | undefined, align: 'auto' | 'start' = 'auto'): void => {
    if (id === undefined) return;
    setFocusedId(id);
    pendingFocus.current = id;
    keepFocus.current = true;
    const row = rowOf.get(id);
    if (row !== undefined) virtualizer.scrollToIndex(row, { align });
  };

  // A reading to reveal once it is in the list (Capture's answer can come before its event).
  const [revealId, setRevealId] = useState<string>();
  useLayoutEffect(() => {
    if (revealId === undefined) return;
    const item = byId.get(revealId);
    if (!item) return;
    if (!passesFilters(item, filters, Date.now())) return setFilters(NO_FILTERS);
    const section = sectionOf(item, patient);
    if (toggled.get(section.key) ?? defaultCollapsed(section.kind, patient)) return setToggled((t) => new Map(t).set(section.key, false));
    setRevealId(undefined);
    // At the top of the list's view: the whole reading shows, not just its last line.
    focusReading(revealId, 'start');
  });

  useImperativeHandle(ref, () => ({
    focusCurrent: () => {
      if (current === undefined) return false;
      focusReading(current);
      return true;
    },
    reveal: (id) => setRevealId(id),
  }));

  const toggleSection = (section: string, collapsed: boolean): void => setToggled((t) => new Map(t).set(section, !collapsed));

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
      <FilterBar heading={heading} filters={filters} devices={devices} hidden={hidden} onChange={setFilters} />
      <div ref={scrollRef} className="review-scroll" role="feed" aria-label="Pending readings" aria-busy="false" data-testid="review-list" onKeyDown={onKeyDown} onBlur={onBlur} onScroll={recordAnchor}>
        {items.length === 0 && <p className="empty">No readings waiting. New readings appear here as devices send them.</p>}
        {items.length > 0 && hidden === items.length && <p className="empty">No pending reading matches the filters.</p>}
        <div className="review-canvas" style={{ height: virtualizer.getTotalSize() }}>
          {virtualizer.getVirtualItems().map((v) => {
            const row = rows[v.index];
            if (!row) return null;
            const place = { transform: `translateY(${v.start}px)` };
            if (row.kind === 'section') {
              return (
                <div key={v.key} ref={virtualizer.measureElement} data-index={v.index} className="section-slot" style={place}>
                  <SectionHead section={row.section} label={row.label} count={row.count} collapsed={row.collapsed} onToggle={() => toggleSection(row.section, row.collapsed)} />
                </div>
              );
            }
            if (row.kind === 'group') {
              return (
                <div key={v.key} ref={virtualizer.measureElement} data-index={v.index} className="group-head" style={place} data-testid={`device-group-${row.testId}`}>
                  <DeviceHead
                    testId={row.testId}
                    deviceKey={row.deviceKey}
                    label={row.label}
                    total={row.total}
                    confirmable={row.confirmable}
                    onConfirmAll={() => void confirmDevice(row.deviceKey, row.label)}
                  />
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
                  ownerLabel={item.patient && item.patient.mrn !== patient?.mrn ? `For ${mrnText(item.patient.mrn)}` : undefined}
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
