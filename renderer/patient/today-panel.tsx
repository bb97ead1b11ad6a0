import { useCallback, useEffect, useId, useRef, useState } from 'react';
import type { MethodInput } from '../../shared/api/contract.ts';
import type { TodayEntry, TodayList } from '../../shared/api/today-model.ts';
import { errorText, formatBirthDate, patientText } from '../format/words.ts';
import { useHub, usePageStateStore } from '../state/use-hub.tsx';
import { PendingDecisionDialog, pendingCountOf, type PendingAction } from './pending-decision.tsx';

/** How often the open page asks the hub for the list again; the hub asks the EHR at most every few minutes. */
const POLL_MS = 60_000;
const STATE_WORDS: Record<TodayEntry['state'], string> = { planned: 'booked', arrived: 'arrived', 'in-progress': 'in progress', finished: 'finished', cancelled: 'cancelled' };

const pad = (n: number): string => String(n).padStart(2, '0');
/** `08:42` in the workstation's zone. */
export function clockTime(iso: string | undefined): string {
  if (iso === undefined) return '—';
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : `${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

/** Entries whose name, MRN or room holds every word typed (case and accents' composition ignored). */
export function filterToday(entries: readonly TodayEntry[], query: string): TodayEntry[] {
  const norm = (s: string): string => s.normalize('NFC').toLocaleLowerCase('en');
  const words = norm(query).split(/[\s,]+/).filter((w) => w !== '');
  return entries.filter((e) => {
    // "room 5" finds room 5: the word is part of what is searched, as the row shows it.
    const text = norm([e.patient.name ?? '', e.patient.mrn, e.room === undefined ? '' : `room ${e.room}`, e.location ?? ''].join(' '));
    return words.every((w) => text.includes(w));
  });
}

type SelectInput = MethodInput<'selectPatient'>;

/**
 * Today (docs/architecture.md §8, "Patient context"): the patients scheduled or arrived for this
 * workstation today, searchable and keyboard-first — type to filter, ↑/↓ to move, Enter to pick.
 * Picking selects the patient with the identifiers the source gave and the visit, so the banner
 * and every reading assigned from then on carry the encounter. Shown only when the hub has a
 * list to show (a configured source or visits on file), so a hub without sources looks as before.
 */
export function TodayPanel({ onSelected }: { onSelected?: () => void }): React.JSX.Element | null {
  const store = usePageStateStore();
  const role = useHub((s) => s.state?.operator?.role);
  const current = useHub((s) => s.state?.patient);
  const [list, setList] = useState<TodayList>();
  const [query, setQuery] = useState('');
  const [active, setActive] = useState(0);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  const [ask, setAsk] = useState<{ input: SelectInput; count: number | undefined }>();
  const ids = { title: useId(), list: useId(), search: useId() };
  const listRef = useRef<HTMLUListElement>(null);

  const load = useCallback(
    async (refresh: boolean): Promise<void> => {
      const r = await store.call('listToday', refresh ? { refresh: true } : {});
      if (r.ok) setList(r.value);
      else if (refresh) setError(errorText(r.error));
    },
    [store],
  );

  useEffect(() => {
    if (role !== 'assistant') return;
    void load(false);
    const timer = setInterval(() => void load(false), POLL_MS);
    return () => clearInterval(timer);
  }, [load, role]);

  if (role !== 'assistant' || list === undefined || (list.entries.length === 0 && !list.canRefresh)) return null;
  const shown = filterToday(list.entries, query);
  const at = Math.min(active, Math.max(0, shown.length - 1));

  const send = async (input: SelectInput): Promise<void> => {
    setBusy(true);
    const result = await store.call('selectPatient', input);
    setBusy(false);
    if (result.ok) {
      setAsk(undefined);
      setError(undefined);
      setQuery('');
      store.notify(`Patient selected from Today: ${patientText(result.value)}.`);
      await store.load();
      onSelected?.();
      return;
    }
    if (result.error.code === 'PENDING_DECISION_REQUIRED') return setAsk({ input, count: pendingCountOf(result.error.details) });
    setAsk(undefined);
    setError(errorText(result.error));
  };

  const pick = (e: TodayEntry | undefined): void => {
    if (e === undefined || busy) return;
    // The identifiers the source gave: the date of birth first, as a wristband check would.
    const second = e.patient.birthDate !== undefined ? { birthDate: e.patient.birthDate } : e.patient.name !== undefined ? { name: e.patient.name } : undefined;
    if (second === undefined) return setError(`MRN ${e.patient.mrn} has no date of birth or name on file: scan the wristband instead.`);
    void send({ mrn: e.patient.mrn, ...second, visitId: e.visitId });
  };

  const onKey = (ev: React.KeyboardEvent<HTMLInputElement>): void => {
    if (ev.key === 'ArrowDown' || ev.key === 'ArrowUp') {
      ev.preventDefault();
      const next = Math.min(Math.max(at + (ev.key === 'ArrowDown' ? 1 : -1), 0), Math.max(0, shown.length - 1));
      setActive(next);
      // Keep the active row in the list's own scroll box (the page itself never scrolls).
      const row = listRef.current?.children[next];
      if (row instanceof HTMLElement && typeof row.scrollIntoView === 'function') row.scrollIntoView({ block: 'nearest' });
    } else if (ev.key === 'Enter') {
      ev.preventDefault();
      pick(shown[at]);
    } else if (ev.key === 'Escape') {
      setQuery('');
    }
  };

  const optionId = (i: number): string => `${ids.list}-${i}`;
  return (
    <section className="panel today-panel" aria-labelledby={ids.title} data-testid="today-panel">
      <div className="today-head">
        <h2 id={ids.title} className="panel-title">
          Today <span className="today-count">({list.entries.length})</span>
        </h2>
        <span className="today-updated" data-testid="today-updated">
          {list.refreshedAt !== undefined ? `updated ${clockTime(list.refreshedAt)}` : 'from this workstation'}
        </span>
        {list.canRefresh && (
          <button type="button" className="button button--quiet" data-testid="today-refresh" disabled={busy} onClick={() => void load(true)}>
            Refresh
          </button>
        )}
      </div>
      {list.refreshProblem !== undefined && (
        <p className="form-warning" data-testid="today-problem">
          {list.refreshProblem}
        </p>
      )}
      <label htmlFor={ids.search} className="visually-hidden">
        Search today's patients by name, MRN or room
      </label>
      <input
        id={ids.search}
        className="today-search"
        data-testid="today-search"
        placeholder="Type a name, MRN or room"
        title="Type to filter; ↑/↓ move; Enter picks the patient and the visit"
        autoComplete="off"
        spellCheck={false}
        role="combobox"
        aria-expanded="true"
        aria-controls={ids.list}
        aria-activedescendant={shown.length > 0 ? optionId(at) : undefined}
        value={query}
        onChange={(e) => {
          setQuery(e.target.value);
          setActive(0);
        }}
        onKeyDown={onKey}
      />
      <ul id={ids.list} ref={listRef} className="today-list" role="listbox" aria-label="Today's patients" data-testid="today-list">
        {shown.map((e, i) => {
          const selected = current?.mrn === e.patient.mrn && current.encounter?.visitId === e.visitId;
          return (
            <li
              key={e.visitId}
              id={optionId(i)}
              role="option"
              aria-selected={i === at}
              className={`today-row${i === at ? ' today-row--active' : ''}${selected ? ' today-row--current' : ''}`}
              data-testid={`today-row-${e.patient.mrn}`}
              data-visit={e.visitId}
              title={`${STATE_WORDS[e.state]} · ${e.source}`}
              onMouseDown={(ev) => ev.preventDefault()}
              onClick={() => {
                setActive(i);
                pick(e);
              }}
            >
              <span className="today-time">{clockTime(e.time)}</span>
              <span className="today-name clip" title={e.patient.name}>
                {e.patient.name ?? '(no name)'}
              </span>
              <span className="today-room">{e.room !== undefined ? `Room ${e.room}` : (e.location ?? '')}</span>
              <span className="today-ids clip">
                <span className="today-mrn">{e.patient.mrn}</span>
                {e.patient.birthDate !== undefined && <span className="today-dob"> · {formatBirthDate(e.patient.birthDate)}</span>}
              </span>
            </li>
          );
        })}
        {shown.length === 0 && <li className="today-empty">{list.entries.length === 0 ? 'No patients on today’s list.' : 'No patient matches.'}</li>}
      </ul>
      <p className="form-error" aria-live="assertive" data-testid="today-error">
        {error}
      </p>
      {ask && (
        <PendingDecisionDialog
          previous={current}
          count={ask.count}
          next={`switch to MRN ${ask.input.mrn}`}
          onChoose={(action: PendingAction) => void send({ ...ask.input, pending: action })}
          onCancel={() => setAsk(undefined)}
        />
      )}
    </section>
  );
}
