import type { ExportAttempt, OutboxRow } from '../../shared/api/model.ts';
import { Dialog } from '../components/dialog.tsx';
import { errorText, formatInstant, mrnText } from '../format/words.ts';
import { useQuery } from '../history/use-query.ts';
import { OUTBOX_STATE_TEXT } from './words.ts';

const OUTCOME_TEXT: Readonly<Record<ExportAttempt['outcome'], string>> = {
  done: 'Sent',
  retry: 'Failed, retried later',
  dead: 'Refused: given up',
};

/** How long an attempt took, for telling a timeout from a quick refusal. */
function tookText(a: ExportAttempt): string {
  const ms = new Date(a.endedAt).getTime() - new Date(a.startedAt).getTime();
  if (!Number.isFinite(ms) || ms < 0) return '';
  return ms < 1000 ? `${ms} ms` : `${(ms / 1000).toFixed(1)} s`;
}

/** One outbox row with every delivery attempt and the receiver's answer to each (getOutboxRow). */
export function OutboxDetailsDialog({ row, version, onClose }: { row: OutboxRow; version: number; onClose: () => void }): React.JSX.Element {
  // Reloaded when the outbox changes, so an attempt made while the dialog is open shows up.
  const details = useQuery('getOutboxRow', { id: row.id }, [version]);
  const current = details.status === 'ok' ? details.value.row : row;

  return (
    <Dialog
      title={`Export to ${current.targetName}`}
      onClose={onClose}
      testId="outbox-details-dialog"
      description={<p>{`${current.summary.join(', ')} for ${mrnText(current.patientMrn)}, measured ${formatInstant(current.effectiveTime)}`}</p>}
    >
      <div className="outbox-details">
        <dl className="outbox-facts">
          <div>
            <dt>State</dt>
            <dd data-testid="outbox-details-state">{OUTBOX_STATE_TEXT[current.state]}</dd>
          </div>
          <div>
            <dt>Queued</dt>
            <dd>{formatInstant(current.createdAt, true)}</dd>
          </div>
          {current.doneAt && (
            <div>
              <dt>Sent</dt>
              <dd>{formatInstant(current.doneAt, true)}</dd>
            </div>
          )}
          <div>
            <dt>Message id</dt>
            <dd>
              <code>{current.controlId}</code>
            </dd>
          </div>
        </dl>
        {details.status === 'loading' && <p className="empty">Loading the attempts…</p>}
        {details.status === 'error' && <p className="form-error">{errorText(details.error)}</p>}
        {details.status === 'ok' && details.value.attempts.length === 0 && <p className="empty">No attempts yet.</p>}
        {details.status === 'ok' && details.value.attempts.length > 0 && (
          <table className="table">
            <caption className="visually-hidden">Every attempt, with the receiver's answer</caption>
            <thead>
              <tr>
                <th scope="col">Time</th>
                <th scope="col">Outcome</th>
                <th scope="col">Status</th>
                <th scope="col">Response</th>
              </tr>
            </thead>
            <tbody>
              {details.value.attempts.map((a, i) => (
                <tr key={`${a.startedAt}-${i}`} data-testid={`outbox-attempt-${i}`} data-outcome={a.outcome}>
                  <td className="cell-time">
                    {formatInstant(a.startedAt, true)}
                    <div className="cell-note">{tookText(a)}</div>
                  </td>
                  <td>{OUTCOME_TEXT[a.outcome]}</td>
                  <td>{a.status}</td>
                  <td>
                    <pre className="outbox-response">{a.response || '—'}</pre>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </div>
      <div className="form-actions">
        <button type="button" className="button" data-testid="outbox-details-close" data-autofocus onClick={onClose}>
          Close
        </button>
      </div>
    </Dialog>
  );
}
