import { HubError } from '../../shared/errors.ts';

/** The HubError `fn` throws, for asserting its code and message; anything else fails the test. */
export function thrown(fn: () => unknown): HubError {
  try {
    fn();
  } catch (e) {
    if (e instanceof HubError) return e;
    throw e;
  }
  throw new Error('expected a HubError');
}
