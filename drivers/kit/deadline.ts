import { CancelledError, HubError, type ErrorCode } from '../../shared/errors.ts';
import type { Clock } from './clock.ts';

/**
 * Run a step with a deadline on `clock` and the parent's AbortSignal. The step gets its own
 * signal, aborted on either; the timer is always cancelled, so no timer outlives the step.
 */
export async function withDeadline<T>(
  clock: Clock,
  ms: number,
  parent: AbortSignal,
  what: string,
  step: (signal: AbortSignal) => Promise<T>,
  code: ErrorCode = 'DEVICE_NO_RESPONSE',
): Promise<T> {
  if (parent.aborted) throw new CancelledError(`${what}: cancelled`);
  const controller = new AbortController();
  let rejectEarly: (e: unknown) => void = () => undefined;
  const early = new Promise<never>((_, reject) => (rejectEarly = reject));
  const timer = clock.setTimer(ms, () => {
    const error = new HubError(code, `${what} did not finish within ${(ms / 1000).toFixed(1)} s`);
    controller.abort(error);
    rejectEarly(error);
  });
  const onAbort = (): void => {
    const error = new CancelledError(`${what}: cancelled`);
    controller.abort(error);
    rejectEarly(error);
  };
  parent.addEventListener('abort', onAbort, { once: true });
  try {
    const running = step(controller.signal);
    // If the deadline wins, the step's own later rejection is expected: do not leave it unhandled.
    running.catch(() => undefined);
    return await Promise.race([running, early]);
  } finally {
    timer.cancel();
    parent.removeEventListener('abort', onAbort);
  }
}
