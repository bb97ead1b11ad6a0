import { OUTBOX_STATES, type OutboxState } from '../../shared/export/targets.ts';
import { OUTBOX_STATE_TEXT } from './words.ts';

/** Which rows the Outbox table shows: failed and dead by default, the others on request. */
export function OutboxFilter({ shown, onChange }: { shown: ReadonlySet<OutboxState>; onChange: (next: ReadonlySet<OutboxState>) => void }): React.JSX.Element {
  const toggle = (state: OutboxState, on: boolean): void => {
    const next = new Set(shown);
    if (on) next.add(state);
    else next.delete(state);
    onChange(next);
  };
  return (
    <fieldset className="outbox-filter">
      <legend>Show rows that are</legend>
      {/* Problems first: the order a person works through them. */}
      {[...OUTBOX_STATES].reverse().map((state) => {
        const id = `outbox-filter-${state}`;
        return (
          <span key={state} className="checkbox">
            <input id={id} type="checkbox" data-testid={id} checked={shown.has(state)} onChange={(e) => toggle(state, e.target.checked)} />
            <label htmlFor={id}>{OUTBOX_STATE_TEXT[state]}</label>
          </span>
        );
      })}
    </fieldset>
  );
}
