import { useHub } from '../state/use-hub.tsx';
import { attentionCount } from './words.ts';

/** The Outbox nav entry's badge: failed and dead rows over all targets; nothing when none. */
export function OutboxNavCount(): React.JSX.Element | null {
  // A number, so the header re-renders only when the count changes.
  const count = useHub((s) => attentionCount(s.outbox));
  if (count === 0) return null;
  return (
    <span className="nav-count nav-count--attention" data-testid="nav-outbox-count">
      {count}
      <span className="visually-hidden"> need attention</span>
    </span>
  );
}
