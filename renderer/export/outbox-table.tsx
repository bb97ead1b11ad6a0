import type { OutboxRow } from '../../shared/api/model.ts';
import { formatInstant, mrnText } from '../format/words.ts';
import { OUTBOX_STATE_SYMBOL, OUTBOX_STATE_TEXT, valuesText } from './words.ts';

interface OutboxTableProps {
  readonly rows: readonly OutboxRow[];
  /** Requeue is for admins only (the hub refuses it to others). */
  readonly mayRequeue: boolean;
  readonly onRetry: (row: OutboxRow) => void;
  readonly onRequeue: (row: OutboxRow) => void;
  readonly onDetails: (row: OutboxRow) => void;
}

/** Outbox rows, newest first, with what the receiver said and what a person can do about it. */
export function OutboxTable({ rows, mayRequeue, onRetry, onRequeue, onDetails }: OutboxTableProps): React.JSX.Element {
  return (
    <table className="table outbox-table">
      <caption className="visually-hidden">Exports, newest first</caption>
      <thead>
        <tr>
          <th scope="col">Patient</th>
          <th scope="col">Values</th>
          <th scope="col">Target</th>
          <th scope="col">State</th>
          <th scope="col">Attempts</th>
          <th scope="col">Last answer</th>
          <th scope="col">Next attempt</th>
          <th scope="col">Actions</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((row) => {
          const what = `${valuesText(row.summary)} for ${mrnText(row.patientMrn)} to ${row.targetName}`;
          return (
            <tr key={row.id} data-testid={`outbox-row-${row.id}`} data-state={row.state}>
              <td className="outbox-patient">
                {mrnText(row.patientMrn)}
                <div className="cell-note">{formatInstant(row.effectiveTime)}</div>
              </td>
              <td className="outbox-values">{valuesText(row.summary)}</td>
              <td>{row.targetName}</td>
              <td>
                <span className={`outbox-state outbox-state--${row.state}`}>
                  <span aria-hidden="true">{OUTBOX_STATE_SYMBOL[row.state]}</span> {OUTBOX_STATE_TEXT[row.state]}
                </span>
              </td>
              <td>{row.attempts}</td>
              <td className="cell-details outbox-answer">
                {row.lastStatus && <strong>{row.lastStatus}</strong>}
                {row.lastStatus && row.lastMessage && ': '}
                {row.lastMessage}
                {!row.lastStatus && !row.lastMessage && '—'}
              </td>
              <td>{row.state === 'failed' || row.state === 'pending' ? formatInstant(row.nextAttemptAt, true) : '—'}</td>
              <td>
                <div className="outbox-actions">
                  {row.state === 'failed' && (
                    <button type="button" className="button" data-testid={`outbox-retry-${row.id}`} aria-label={`Retry now: ${what}`} onClick={() => onRetry(row)}>
                      Retry now
                    </button>
                  )}
                  {row.state === 'dead' && mayRequeue && (
                    <button type="button" className="button" data-testid={`outbox-requeue-${row.id}`} aria-label={`Requeue: ${what}`} onClick={() => onRequeue(row)}>
                      Requeue
                    </button>
                  )}
                  <button type="button" className="button button--quiet" data-testid={`outbox-details-${row.id}`} aria-label={`Details and attempts: ${what}`} onClick={() => onDetails(row)}>
                    Details
                  </button>
                </div>
              </td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
