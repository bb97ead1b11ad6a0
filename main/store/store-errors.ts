import { HubError } from '../../shared/errors.ts';

/**
 * Run one store operation and turn any SQLite failure (disk full, locked too long, constraint)
 * into `STORE_FAILED` with the original error as its cause. HubErrors pass through unchanged,
 * so an `INPUT_INVALID` raised inside a transaction keeps its code.
 */
export function guardStore<T>(what: string, fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    if (e instanceof HubError) throw e;
    const reason = e instanceof Error ? e.message : String(e);
    throw new HubError('STORE_FAILED', `Could not ${what}: ${reason}`, { cause: e });
  }
}
