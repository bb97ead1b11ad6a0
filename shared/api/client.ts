import type { ApiError } from './model.ts';
import type { EventName, EventPayload, MethodInput, MethodName, MethodOutput } from './contract.ts';

/** Every call's answer: a value, or an error as data. */
export type ApiResult<T> = { ok: true; value: T } | { ok: false; error: ApiError };

/** The one typed client the renderer uses; its binding (Electron IPC or HTTP/WebSocket) is hidden. */
export interface HubClient {
  call<M extends MethodName>(method: M, input: MethodInput<M>): Promise<ApiResult<MethodOutput<M>>>;
  on<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void): () => void;
  /** Is the hub reachable right now? Drives the offline banner. */
  onConnection(listener: (connected: boolean) => void): () => void;
}

/**
 * What the Electron preload puts on `window.hub`: exactly the contract's methods, by name, and a
 * subscription to its events — never a raw ipcRenderer (docs/architecture.md §10).
 */
export type HubBridge = { [M in MethodName]: (input: MethodInput<M>) => Promise<ApiResult<MethodOutput<M>>> } & {
  subscribe<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void): () => void;
};
