import type { ApiResult, HubBridge, HubClient } from '../../shared/api/client.ts';
import type { EventName, EventPayload, MethodInput, MethodName, MethodOutput } from '../../shared/api/contract.ts';
import { UNREACHABLE, parseEventPayload, parseResult } from './validate.ts';

/**
 * The HubClient of the Electron shell: the preload's `window.hub` (the contract's methods by
 * name and `subscribe`). Answers and events are still checked against the contract, so the
 * screens see the same checked data in both bindings.
 */
export function createBridgeClient(bridge: HubBridge): HubClient {
  return {
    async call<M extends MethodName>(method: M, input: MethodInput<M>): Promise<ApiResult<MethodOutput<M>>> {
      // Indexing the mapped bridge type by a generic key loses the per-method signature.
      const invoke = bridge[method] as (input: MethodInput<M>) => Promise<unknown>;
      try {
        return parseResult(method, await invoke(input));
      } catch {
        return { ok: false, error: UNREACHABLE };
      }
    },
    on<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void): () => void {
      return bridge.subscribe(event, (payload: unknown) => {
        const checked = parseEventPayload(event, payload);
        if (checked !== undefined) listener(checked);
      });
    },
    // In-process IPC to our own main process: it is there as long as the window is.
    onConnection(listener) {
      listener(true);
      return () => undefined;
    },
  };
}
