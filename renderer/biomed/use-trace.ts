import { useEffect, useRef, useState } from 'react';
import type { TraceEntry } from '../../shared/api/ports-model.ts';
import { useHub, usePageStateStore } from '../state/use-hub.tsx';

/**
 * At most this many rows in the view (and in the pause buffer): enough for minutes of a chatty
 * device, few enough that the browser draws them all without a virtual list.
 */
const TRACE_ROWS_MAX = 2000;
/** How many of the newest entries to ask for when the view opens or the hub is back. */
const TRACE_FIRST_LOAD = 500;

interface TraceState {
  readonly entries: readonly TraceEntry[];
  /** Entries that arrived while paused (counted even beyond what the buffer keeps). */
  readonly held: number;
}

const keepNewest = <T>(list: readonly T[]): T[] => (list.length > TRACE_ROWS_MAX ? list.slice(list.length - TRACE_ROWS_MAX) : [...list]);

/**
 * A port's protocol trace: the newest entries from getTrace, then every `trace` event for the
 * port. Entries are kept in seq order without duplicates (an event may repeat what the query
 * already gave). While `paused`, new entries wait in a buffer and join the view on resume.
 */
export function useTrace(portId: string, paused: boolean): TraceState {
  const store = usePageStateStore();
  const connected = useHub((s) => s.connected);
  const [entries, setEntries] = useState<readonly TraceEntry[]>([]);
  const [held, setHeld] = useState(0);
  const lastSeq = useRef(-1);
  const heldEntries = useRef<TraceEntry[]>([]);
  const pausedRef = useRef(paused);
  pausedRef.current = paused;

  // A new port starts a new view.
  useEffect(() => {
    lastSeq.current = -1;
    heldEntries.current = [];
    setEntries([]);
    setHeld(0);
  }, [portId]);

  useEffect(() => {
    if (!connected) return;
    let live = true;
    // Events that come while the first answer is on its way are newer than it: keep them for after.
    let early: TraceEntry[] | undefined = [];

    const add = (incoming: readonly TraceEntry[]): void => {
      const fresh = incoming.filter((e) => e.seq > lastSeq.current);
      if (fresh.length === 0) return;
      lastSeq.current = fresh[fresh.length - 1]?.seq ?? lastSeq.current;
      if (pausedRef.current) {
        heldEntries.current = keepNewest([...heldEntries.current, ...fresh]);
        setHeld((n) => n + fresh.length);
      } else setEntries((list) => keepNewest([...list, ...fresh]));
    };

    const off = store.client.on('trace', (event) => {
      if (event.portId !== portId) return;
      if (early) early.push(...event.entries);
      else add(event.entries);
    });
    void store.call('getTrace', { portId, limit: TRACE_FIRST_LOAD }).then((result) => {
      if (!live) return;
      const first = result.ok ? result.value : [];
      const newest = first[first.length - 1]?.seq ?? -1;
      if (newest < lastSeq.current) {
        // The hub numbers afresh after a restart: what we had belongs to an older run.
        lastSeq.current = -1;
        heldEntries.current = [];
        setEntries([]);
        setHeld(0);
      }
      add([...first].sort((a, b) => a.seq - b.seq));
      const later = early ?? [];
      early = undefined;
      add(later);
    });
    return () => {
      live = false;
      off();
    };
  }, [store, portId, connected]);

  // Resume: what waited joins the view.
  useEffect(() => {
    if (paused || heldEntries.current.length === 0) return;
    const waiting = heldEntries.current;
    heldEntries.current = [];
    setEntries((list) => keepNewest([...list, ...waiting]));
    setHeld(0);
  }, [paused]);

  return { entries, held };
}
