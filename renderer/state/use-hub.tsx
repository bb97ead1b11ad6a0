import { createContext, useContext, useEffect, useState, useSyncExternalStore, type ReactNode } from 'react';
import type { HubClient } from '../../shared/api/client.ts';
import { PageStateStore, type HubSnapshot } from './page-state-store.ts';

const StoreContext = createContext<PageStateStore | undefined>(undefined);

/** Makes one PageStateStore over `client` available to the tree and keeps it subscribed while mounted. */
export function HubProvider({ client, children }: { client: HubClient; children: ReactNode }): React.JSX.Element {
  const [store] = useState(() => new PageStateStore(client));
  useEffect(() => store.start(), [store]);
  return <StoreContext.Provider value={store}>{children}</StoreContext.Provider>;
}

/** The store, for actions (`store.call`, `store.applyItems`, `store.notify`). */
export function usePageStateStore(): PageStateStore {
  const store = useContext(StoreContext);
  if (!store) throw new Error('usePageStateStore outside <HubProvider>');
  return store;
}

/**
 * A slice of the hub's state. `select` must return a value that only changes identity when the
 * data changed (a snapshot field, not a new object), or the component re-renders on every event.
 */
export function useHub<T>(select: (s: HubSnapshot) => T): T {
  const store = usePageStateStore();
  return useSyncExternalStore(store.subscribe, () => select(store.getSnapshot()));
}
