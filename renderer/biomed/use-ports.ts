import { useCallback, useEffect, useState } from 'react';
import type { ApiError } from '../../shared/api/model.ts';
import type { Port } from '../../shared/api/ports-model.ts';
import { useHub, usePageStateStore } from '../state/use-hub.tsx';

interface PortsState {
  /** Undefined until the first answer. */
  readonly ports: readonly Port[] | undefined;
  readonly error: ApiError | undefined;
  /** Ask the hub again (after an import, or when the socket came back). */
  readonly reload: () => void;
}

/**
 * The port list: asked once when the console opens and whenever the hub is reachable again
 * (events may have been missed), then kept current by the `ports` event through the store.
 */
export function usePorts(): PortsState {
  const store = usePageStateStore();
  const ports = useHub((s) => s.ports);
  const connected = useHub((s) => s.connected);
  const [error, setError] = useState<ApiError>();
  const [tick, setTick] = useState(0);

  useEffect(() => {
    if (!connected) return;
    let live = true;
    const askedAt = store.getSnapshot().portsVersion;
    void store.call('listPorts', {}).then((result) => {
      if (!live) return;
      if (result.ok) store.notePorts(result.value, askedAt);
      setError(result.ok ? undefined : result.error);
    });
    return () => {
      live = false;
    };
  }, [store, connected, tick]);

  const reload = useCallback(() => setTick((t) => t + 1), []);
  return { ports, error, reload };
}
