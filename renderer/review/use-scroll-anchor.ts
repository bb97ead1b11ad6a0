import type { Virtualizer } from '@tanstack/react-virtual';
import { useLayoutEffect, useRef, type RefObject } from 'react';
import type { ReviewListRow } from './rows.ts';

interface ScrollAnchorOptions {
  readonly rows: readonly ReviewListRow[];
  readonly virtualizer: Virtualizer<HTMLDivElement, Element>;
  readonly scrollRef: RefObject<HTMLDivElement | null>;
  /** The selected patient: a new one resets the view to the top, where their readings come. */
  readonly patientMrn: string | undefined;
  readonly onPatientChange: () => void;
}

/**
 * Scroll anchoring for the review list: a reading that arrives (or leaves) above the rows in view
 * must not move them. Remembers the row at the top of the view and where it sat; when the rows
 * change, puts it back there (the virtualizer itself already compensates size changes of rows
 * above). Two exceptions, because the selected patient's readings are what the screen is for: a
 * newly selected patient starts at the top, and a new reading of theirs (the first section) is
 * shown rather than held off screen. Returns the scroll handler that records the anchor.
 */
export function useScrollAnchor({ rows, virtualizer, scrollRef, patientMrn, onPatientChange }: ScrollAnchorOptions): () => void {
  const anchor = useRef<{ key: string; offset: number }>(undefined);
  // Rows of this render, and the rows the anchor was last put back for. A scroll the virtualizer
  // makes while new rows are committed (measuring them) must not move the anchor before it is used.
  const renderedRows = useRef(rows);
  renderedRows.current = rows;
  const anchoredRows = useRef(rows);
  const patientCount = useRef(0);

  useLayoutEffect(() => {
    anchoredRows.current = rows;
    const head = rows[0];
    const hers = head?.kind === 'section' && head.sectionKind === 'patient' ? head.count : 0;
    const grew = hers > patientCount.current;
    patientCount.current = hers;
    const a = anchor.current;
    const el = scrollRef.current;
    if (!a || !el) return;
    const index = rows.findIndex((r) => r.key === a.key);
    if (grew && !inPatientSection(rows, index)) {
      anchor.current = undefined;
      el.scrollTop = 0;
      return;
    }
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

  const shownPatient = useRef(patientMrn);
  useLayoutEffect(() => {
    if (shownPatient.current === patientMrn) return;
    shownPatient.current = patientMrn;
    anchor.current = undefined;
    onPatientChange();
    if (scrollRef.current) scrollRef.current.scrollTop = 0;
  }, [patientMrn]);

  return () => {
    if (anchoredRows.current !== renderedRows.current) return;
    const top = scrollRef.current?.scrollTop ?? 0;
    const item = top > 0 ? virtualizer.getVirtualItemForOffset(top) : undefined;
    anchor.current = item ? { key: String(item.key), offset: top - item.start } : undefined;
  };
}

/** Whether row `index` lies in the selected patient's section (the first, when there is one). */
function inPatientSection(rows: readonly ReviewListRow[], index: number): boolean {
  for (let i = index; i >= 0; i--) {
    const r = rows[i];
    if (r?.kind === 'section') return r.sectionKind === 'patient';
  }
  return false;
}
