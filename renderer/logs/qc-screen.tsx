import { useState } from 'react';
import type { ReviewItem } from '../../shared/api/model.ts';
import type { QcLot } from '../../shared/api/qc-model.ts';
import { useQuery } from '../history/use-query.ts';
import { errorText, formatInstant } from '../format/words.ts';
import { useHub, usePageStateStore } from '../state/use-hub.tsx';
import { lotsFor, rangeText, resultText, verdictText } from './qc-words.ts';

/**
 * The QC log (docs/architecture.md §8 rules 4 and 11): control results kept apart from patients'
 * readings, each with its lot, level, expected range and verdict, and an Evaluate action for a
 * control the device did not name a lot and level for. Devices locked by QC are listed on top.
 */
export function QcScreen(): React.JSX.Element {
  const version = useHub((s) => s.reviewVersion);
  const devices = useHub((s) => s.state?.devices);
  const qc = useQuery('listQc', {}, [version]);
  const lots = useQuery('listQcLots', {}, [version]);
  const locked = (devices ?? []).filter((d) => d.qcLock !== undefined);
  return (
    <section className="panel" aria-labelledby="qc-title">
      <h2 id="qc-title" className="panel-title">
        QC log
      </h2>
      <p className="panel-hint">Control and calibration results. They never go to a patient's chart.</p>
      {locked.length > 0 && (
        <ul className="qc-locks" aria-label="Devices locked by QC">
          {locked.map((d) => (
            <li key={d.key} className="qc-lock" data-testid={`qc-lock-${d.key}`}>
              <strong>Locked:</strong> {d.qcLock?.message}
            </li>
          ))}
        </ul>
      )}
      {qc.status === 'error' && <p className="form-error">{errorText(qc.error)}</p>}
      {qc.status === 'ok' && qc.value.length === 0 && <p className="empty">No control results yet.</p>}
      {qc.status === 'ok' && qc.value.length > 0 && (
        <table className="table">
          <caption className="visually-hidden">Control results</caption>
          <thead>
            <tr>
              <th scope="col">Time</th>
              <th scope="col">Device</th>
              <th scope="col">Lot</th>
              <th scope="col">Level</th>
              <th scope="col">Expected</th>
              <th scope="col">Result</th>
              <th scope="col">Verdict</th>
            </tr>
          </thead>
          <tbody>
            {qc.value.map((item) => (
              <QcRow key={item.id} item={item} lots={lots.status === 'ok' ? lots.value : []} />
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

function QcRow({ item, lots }: { item: ReviewItem; lots: readonly QcLot[] }): React.JSX.Element {
  const verdict = verdictText(item);
  const e = item.qc;
  return (
    <tr data-testid={`qc-${item.id}`} data-verdict={e?.verdict ?? 'none'}>
      <td className="cell-time">{formatInstant(item.reading.effectiveTime, true)}</td>
      <td>{item.deviceLabel}</td>
      <td>{e?.lotNumber ?? '—'}</td>
      <td>{e?.level ?? '—'}</td>
      <td>{e ? rangeText(e.low, e.high, e.unit) : '—'}</td>
      <td>{resultText(item)}</td>
      <td>
        <span className={`qc-verdict qc-verdict--${verdict.tone}`} data-testid={`qc-verdict-${item.id}`}>
          {verdict.text}
        </span>
        {e?.evaluatedBy && <div className="cell-note">by {e.evaluatedBy.name}</div>}
        {e === undefined && item.reading.kind === 'control' && <EvaluateForm item={item} lots={lotsFor(item, lots)} />}
      </td>
    </tr>
  );
}

/** Choose the lot and level the control was run with; the hub judges it. Never guessed from the value. */
function EvaluateForm({ item, lots }: { item: ReviewItem; lots: readonly QcLot[] }): React.JSX.Element {
  const store = usePageStateStore();
  const [lotId, setLotId] = useState('');
  const [level, setLevel] = useState('');
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);
  const lot = lots.find((l) => l.id === lotId);
  if (lots.length === 0) return <div className="cell-note">No control lot in use for this analyte: an admin adds it under QC lots.</div>;
  const submit = async (): Promise<void> => {
    setBusy(true);
    const result = await store.call('evaluateQc', { readingId: item.id, lotId, level });
    setBusy(false);
    // On success the hub's review event reloads the log (and the locks, through the state event).
    if (!result.ok) setError(errorText(result.error));
  };
  return (
    <form
      className="qc-evaluate"
      aria-label="Evaluate this control"
      onSubmit={(ev) => {
        ev.preventDefault();
        void submit();
      }}
    >
      <select aria-label="Lot" value={lotId} data-testid={`qc-lot-${item.id}`} onChange={(ev) => (setLotId(ev.target.value), setLevel(''))}>
        <option value="">Lot…</option>
        {lots.map((l) => (
          <option key={l.id} value={l.id}>
            {l.lotNumber} (expires {l.expiresOn})
          </option>
        ))}
      </select>
      <select aria-label="Level" value={level} disabled={lot === undefined} data-testid={`qc-level-${item.id}`} onChange={(ev) => setLevel(ev.target.value)}>
        <option value="">Level…</option>
        {lot?.levels.map((l) => (
          <option key={l.level} value={l.level}>
            {l.level} ({rangeText(l.low, l.high, lot.unit)})
          </option>
        ))}
      </select>
      <button type="submit" className="button button--quiet" disabled={busy || lotId === '' || level === ''} data-testid={`qc-evaluate-${item.id}`}>
        Evaluate
      </button>
      {error && <p className="form-error">{error}</p>}
    </form>
  );
}
