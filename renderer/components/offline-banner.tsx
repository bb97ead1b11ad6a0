import { useHub } from '../state/use-hub.tsx';

/**
 * Shown while the hub cannot be reached. Calm words, fixed at the bottom of the window so the
 * page does not move; the client reconnects by itself, and the store reloads when it does.
 */
export function OfflineBanner(): React.JSX.Element | null {
  const connected = useHub((s) => s.connected);
  if (connected) return null;
  return (
    <div className="offline-banner" role="alert" data-testid="offline-banner">
      <strong>Not connected to the hub.</strong> Trying again automatically… Readings already received are kept
      on the hub; you can continue when this message goes away.
    </div>
  );
}
