import { useEffect, useState } from 'react';
import type { DiscoveryStatus, Port } from '../../shared/api/ports-model.ts';
import { errorText, formatInstant } from '../format/words.ts';
import { usePageStateStore } from '../state/use-hub.tsx';

/**
 * How port listing is doing, above the port list: whether the hub lists on its own, what keeps
 * a listing incomplete (udev missing, HID access refused — each with what to do), and Scan now
 * for a device just plugged in or a problem just fixed. Asked again whenever the ports change.
 */
export function DiscoveryBar({ ports }: { ports: readonly Port[] | undefined }): React.JSX.Element {
  const store = usePageStateStore();
  const [status, setStatus] = useState<DiscoveryStatus>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();

  useEffect(() => {
    let live = true;
    void store.call('getDiscovery', {}).then((result) => {
      if (!live) return;
      if (result.ok) setStatus(result.value);
      setError(result.ok ? undefined : errorText(result.error));
    });
    return () => {
      live = false;
    };
  }, [store, ports]);

  const scan = async (): Promise<void> => {
    setBusy(true);
    const result = await store.call('scanPorts', {});
    setBusy(false);
    if (!result.ok) return setError(errorText(result.error));
    setError(undefined);
    setStatus(result.value);
    const problems = result.value.problems.length;
    store.notify(problems > 0 ? 'Listed the ports, but the list may be incomplete: see the problem above the list.' : 'Listed the ports.', problems > 0 ? 'warn' : 'ok');
  };

  return (
    <div className="discovery-bar" data-testid="discovery">
      <p className="panel-hint" data-testid="discovery-status">
        {status === undefined
          ? ' '
          : status.polling
            ? `Ports are listed every ${Math.round(status.pollMs / 100) / 10} s.`
            : `Automatic listing is off: press Scan now to list the ports${status.lastScanAt ? ` (last listed ${formatInstant(status.lastScanAt, true)})` : ''}.`}{' '}
        <button type="button" className="button" data-testid="scan-ports" disabled={busy} onClick={() => void scan()}>
          {busy ? 'Scanning…' : 'Scan now'}
        </button>
      </p>
      {status?.problems.map((p) => (
        <p key={p} className="form-error" role="alert" data-testid="discovery-problem">
          {p}
        </p>
      ))}
      {error && <p className="form-error">{error}</p>}
    </div>
  );
}
