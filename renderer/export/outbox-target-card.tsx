import { useId } from 'react';
import type { OutboxSummary } from '../../shared/api/model.ts';
import { OUTBOX_STATES } from '../../shared/export/targets.ts';
import { formatInstant } from '../format/words.ts';
import { KIND_TEXT, OUTBOX_STATE_TEXT, agoText } from './words.ts';

/** One target on the Outbox screen: counts per state, how far behind it is, its last problem. */
export function OutboxTargetCard({ summary: s, onRetry }: { summary: OutboxSummary; onRetry: () => void }): React.JSX.Element {
  const titleId = useId();
  return (
    <article className="outbox-card" data-testid={`outbox-target-${s.targetId}`} aria-labelledby={titleId}>
      <h3 id={titleId} className="outbox-card-title">
        {s.targetName} <span className="outbox-kind">({KIND_TEXT[s.kind]})</span>
        {!s.enabled && <span className="tag tag--off">Disabled: not sending</span>}
      </h3>
      <dl className="outbox-counts">
        {OUTBOX_STATES.map((state) => (
          <div key={state} className={`outbox-count outbox-count--${state}`}>
            <dt>{OUTBOX_STATE_TEXT[state]}</dt>
            <dd data-testid={`outbox-count-${s.targetId}-${state}`}>{s.counts[state]}</dd>
          </div>
        ))}
      </dl>
      <p className="outbox-oldest" data-testid={`outbox-oldest-${s.targetId}`}>
        {s.oldestWaitingAt
          ? `Oldest waiting since ${formatInstant(s.oldestWaitingAt)} (${agoText(s.oldestWaitingAt)} ago)`
          : 'Nothing waiting: every confirmed reading is sent or set aside.'}
      </p>
      {s.lastProblem && (
        <p className="outbox-problem" data-testid={`outbox-problem-${s.targetId}`}>
          <strong>Last problem:</strong> {s.lastProblem}
        </p>
      )}
      <div className="form-actions">
        <button type="button" className="button" data-testid={`outbox-retry-target-${s.targetId}`} onClick={onRetry}>
          Retry all failed now<span className="visually-hidden"> for {s.targetName}</span>
        </button>
      </div>
    </article>
  );
}
