import { useEffect, useState } from 'react';
import type { MethodInput, MethodName, MethodOutput } from '../../shared/api/contract.ts';
import type { ApiError } from '../../shared/api/model.ts';
import { usePageStateStore } from '../state/use-hub.tsx';

type QueryState<T> = { status: 'loading' } | { status: 'ok'; value: T } | { status: 'error'; error: ApiError };

/**
 * Run a query and run it again whenever `deps` change (e.g. the store's review version). The
 * previous value stays on screen while the next one loads, so the page does not flicker.
 */
export function useQuery<M extends MethodName>(method: M, input: MethodInput<M> | undefined, deps: readonly unknown[]): QueryState<MethodOutput<M>> {
  const store = usePageStateStore();
  const [state, setState] = useState<QueryState<MethodOutput<M>>>({ status: 'loading' });
  const key = JSON.stringify(input);
  useEffect(() => {
    if (input === undefined) return;
    let live = true;
    void store.call(method, input).then((result) => {
      if (!live) return;
      setState(result.ok ? { status: 'ok', value: result.value } : { status: 'error', error: result.error });
    });
    return () => {
      live = false;
    };
    // `key` stands for `input` (a new object each render); the caller's deps say when to reload.
  }, [store, method, key, ...deps]);
  return state;
}
