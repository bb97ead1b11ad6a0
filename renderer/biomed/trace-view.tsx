import { useLayoutEffect, useRef, useState } from 'react';
import type { TraceEntry } from '../../shared/api/ports-model.ts';
import { TraceRow } from './trace-row.tsx';
import { useTrace } from './use-trace.ts';
import { countText } from './words.ts';

type DirectionFilter = 'all' | TraceEntry['direction'];

/** Within this many pixels of the bottom counts as "at the newest": follow new rows. */
const FOLLOW_SLACK_PX = 24;

function matches(entry: TraceEntry, direction: DirectionFilter, text: string): boolean {
  if (direction !== 'all' && entry.direction !== direction) return false;
  if (text === '') return true;
  const needle = text.toLowerCase();
  return entry.text.toLowerCase().includes(needle) || entry.hex.includes(needle) || (entry.frame?.note?.toLowerCase().includes(needle) ?? false);
}

/**
 * The live protocol trace of one port, newest at the bottom. It follows new rows unless the
 * person scrolled up to read; Pause holds new rows back (counting them) until Resume.
 */
export function TraceView({ portId, path }: { portId: string; path: string }): React.JSX.Element {
  const [paused, setPaused] = useState(false);
  const [direction, setDirection] = useState<DirectionFilter>('all');
  const [text, setText] = useState('');
  const { entries, held } = useTrace(portId, paused);
  const box = useRef<HTMLDivElement>(null);
  const follow = useRef(true);
  const [following, setFollowing] = useState(true);
  const shown = entries.filter((e) => matches(e, direction, text.trim()));

  useLayoutEffect(() => {
    const el = box.current;
    if (el && follow.current) el.scrollTop = el.scrollHeight;
  }, [shown.length, entries]);

  const onScroll = (): void => {
    const el = box.current;
    if (!el) return;
    follow.current = el.scrollHeight - el.scrollTop - el.clientHeight <= FOLLOW_SLACK_PX;
    setFollowing(follow.current);
  };

  const toNewest = (): void => {
    follow.current = true;
    setFollowing(true);
    const el = box.current;
    if (el) el.scrollTop = el.scrollHeight;
  };

  return (
    <section className="trace" aria-labelledby="trace-title" data-testid="trace-view" data-paused={paused}>
      <h3 id="trace-title" className="trace-title">
        Live protocol trace <span className="cell-note">{path}</span>
      </h3>
      <div className="trace-controls">
        <button type="button" className={`button${paused ? ' button--primary' : ''}`} data-testid="trace-pause" aria-pressed={paused} onClick={() => setPaused((p) => !p)}>
          {paused ? 'Resume' : 'Pause'}
        </button>
        <span className="trace-held" aria-live="polite" data-testid="trace-held">
          {paused && `Paused: ${countText(held, 'new entry', 'new entries')} waiting`}
        </span>
        <div className="trace-filter">
          <label htmlFor="trace-filter-direction">Direction</label>
          <select id="trace-filter-direction" data-testid="trace-filter-direction" value={direction} onChange={(e) => setDirection(e.target.value === 'in' || e.target.value === 'out' ? e.target.value : 'all')}>
            <option value="all">Both directions</option>
            <option value="in">→ To host (from the device)</option>
            <option value="out">← To device (from the host)</option>
          </select>
        </div>
        <div className="trace-filter">
          <label htmlFor="trace-filter-text">Contains</label>
          <input id="trace-filter-text" data-testid="trace-filter-text" value={text} autoComplete="off" spellCheck={false} placeholder="text or hex, e.g. 02" onChange={(e) => setText(e.target.value)} />
        </div>
        {!following && (
          <button type="button" className="button" data-testid="trace-follow" onClick={toNewest}>
            Go to newest ↓
          </button>
        )}
      </div>
      <p className="trace-count" data-testid="trace-count">
        {shown.length === entries.length ? countText(entries.length, 'entry', 'entries') : `${shown.length} of ${countText(entries.length, 'entry', 'entries')} shown`}
      </p>
      {/* Focusable so the keyboard can scroll it; labelled for screen readers. */}
      <div ref={box} className="trace-scroll" tabIndex={0} role="region" aria-label={`Trace of ${path}`} onScroll={onScroll}>
        <table className="table trace-table">
          <caption className="visually-hidden">Bytes exchanged on {path}, oldest first</caption>
          <thead>
            <tr>
              <th scope="col">Time</th>
              <th scope="col">Direction</th>
              <th scope="col">Hex</th>
              <th scope="col">Text</th>
              <th scope="col">Frame</th>
            </tr>
          </thead>
          <tbody>
            {shown.map((e) => (
              <TraceRow key={e.seq} entry={e} />
            ))}
          </tbody>
        </table>
        {entries.length === 0 && <p className="empty">No bytes yet. Connect the port, or Test connection, and what passes shows here.</p>}
      </div>
    </section>
  );
}
