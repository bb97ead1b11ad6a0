import { z } from 'zod';
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

/**
 * Check a value at the store's trust boundary.
 * @throws HubError `INPUT_INVALID` naming every problem found.
 */
export function parseInput<T>(schema: z.ZodType<T>, value: unknown, what: string): T {
  const parsed = schema.safeParse(value);
  if (!parsed.success) {
    throw new HubError('INPUT_INVALID', `Invalid ${what}: ${z.prettifyError(parsed.error)}`, { cause: parsed.error });
  }
  return parsed.data;
}
