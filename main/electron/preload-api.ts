import type { IpcRenderer } from 'electron';
import type { HubBridge } from '../../shared/api/client.ts';
import { EVENTS, METHODS, type EventName, type MethodName } from '../../shared/api/contract.ts';
import { HUB_CALL_CHANNEL, HUB_EVENT_CHANNEL } from './channels.ts';

/** What the preload uses of ipcRenderer; the page never gets ipcRenderer itself. */
export type PreloadIpc = Pick<IpcRenderer, 'invoke' | 'on' | 'removeListener'>;

/** The methods and events `window.hub` offers: exactly the contract's, derived from it. */
export const BRIDGE_METHODS: readonly MethodName[] = Object.freeze(Object.keys(METHODS) as MethodName[]);
export const BRIDGE_EVENTS: readonly EventName[] = Object.freeze(Object.keys(EVENTS) as EventName[]);

const isMethodName = (name: string): name is MethodName => Object.hasOwn(METHODS, name);
const isEventName = (name: string): name is EventName => Object.hasOwn(EVENTS, name);

/**
 * Send one call to the main process. A name the contract does not have never leaves the
 * preload, so the page cannot use the channel to probe main for anything else.
 */
export function callHub(ipc: Pick<PreloadIpc, 'invoke'>, method: string, input: unknown): Promise<unknown> {
  if (typeof method !== 'string' || !isMethodName(method)) return Promise.reject(new Error(`There is no hub method "${String(method).slice(0, 100)}".`));
  return ipc.invoke(HUB_CALL_CHANNEL, { method, input });
}

/**
 * Listen to one contract event. The listener gets the payload only — never the IpcRendererEvent,
 * whose `sender` would hand the page ipcRenderer after all.
 */
export function subscribeHub(ipc: Pick<PreloadIpc, 'on' | 'removeListener'>, event: string, listener: (payload: unknown) => void): () => void {
  if (typeof event !== 'string' || !isEventName(event)) throw new Error(`There is no hub event "${String(event).slice(0, 100)}".`);
  if (typeof listener !== 'function') throw new TypeError('subscribe needs a listener function.');
  const onMessage = (_ipcEvent: unknown, message: unknown): void => {
    if (typeof message !== 'object' || message === null) return;
    const { event: name, payload } = message as { event?: unknown; payload?: unknown };
    if (name === event) listener(payload);
  };
  ipc.on(HUB_EVENT_CHANNEL, onMessage);
  return () => {
    ipc.removeListener(HUB_EVENT_CHANNEL, onMessage);
  };
}

/**
 * What the preload exposes as `window.hub` (shared/api/client.ts HubBridge): one function per
 * contract method, by name, and `subscribe` for its events.
 */
export function buildPreloadApi(ipc: PreloadIpc): HubBridge {
  const api: Record<string, unknown> = {};
  for (const method of BRIDGE_METHODS) api[method] = (input: unknown) => callHub(ipc, method, input);
  api['subscribe'] = (event: string, listener: (payload: unknown) => void) => subscribeHub(ipc, event, listener);
  // The answers are checked against the contract in the renderer (renderer/client/validate.ts),
  // so the per-method result types are the renderer's to establish, not this bridge's.
  return Object.freeze(api) as unknown as HubBridge;
}
