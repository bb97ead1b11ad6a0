import { useHub } from '../state/use-hub.tsx';

/**
 * The last action's outcome in words ("Confirmed … for …", or why a key did nothing). One line,
 * always present, so a message appearing does not push the page down.
 */
export function StatusLine(): React.JSX.Element {
  const notice = useHub((s) => s.notice);
  return (
    <p className={`status-line${notice ? ` status-line--${notice.tone}` : ''}`} role="status" data-testid="status-line" data-notice={notice?.id}>
      <span key={notice?.id}>{notice?.text ?? '\u00a0'}</span>
    </p>
  );
}
