import { isHubError } from '../shared/errors.ts';

/**
 * How a bug is written to the log. A bug is any failure that is not an expected HubError; the
 * person who fixes it needs where it was thrown and why, so the log line carries the stack and
 * every nested `cause` (the user is only told that it happened).
 */

/** Causes nested deeper than this are cut: a cycle or a runaway wrapper must not flood the log. */
const MAX_CAUSE_DEPTH = 8;

function describeOne(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const text = error.stack ?? `${error.name}: ${error.message}`;
  // A HubError's code is not in its stack, and it says which expected failure was wrapped.
  return isHubError(error) ? `[${error.code}] ${text}` : text;
}

/** The stack of `error` and of each `cause` under it, one "caused by:" per level. */
export function describeBug(error: unknown): string {
  const parts = [describeOne(error)];
  const seen = new Set<unknown>([error]);
  let current: unknown = error;
  while (current instanceof Error && current.cause !== undefined && parts.length <= MAX_CAUSE_DEPTH) {
    current = current.cause;
    if (seen.has(current)) break;
    seen.add(current);
    parts.push(`caused by: ${describeOne(current)}`);
  }
  return parts.join('\n');
}

/**
 * True for a bug: anything but a HubError, or a HubError that only wraps one (a driver's
 * unexpected throw ends its session as a HubError marked `details.bug`, the throw as its cause).
 */
export function isBug(error: unknown): boolean {
  return !isHubError(error) || error.details?.['bug'] === true;
}

/** An expected failure in its own words; a bug with its stack and causes (`describeBug`). */
export function failureText(error: unknown): string {
  return isHubError(error) && !isBug(error) ? error.message : describeBug(error);
}

/** The log line of a bug caught in `where` (a method, an event, a listener…). */
export function bugLine(where: string, error: unknown): string {
  return `pochub: bug in ${where}: ${describeBug(error)}`;
}
