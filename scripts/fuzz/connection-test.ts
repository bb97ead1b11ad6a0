import { HubError, isHubError } from '../../shared/errors.ts';
import { resolveOptions, withDeadline, type Clock, type Driver, type Link, type SessionEvent, type SessionResult } from '../../drivers/kit/index.ts';

/**
 * The steps of the biomed console's "Test connection" (main/devices/ports/port-test.ts): probe,
 * open and identify, each under its deadline, then abort and close. The only path that calls a
 * driver's `probe`, so the fuzzer runs it too. Returned in a session's terms: `failed` with the
 * error when a step failed; an error that is not a HubError is marked a bug, as runSession does.
 */
export async function runConnectionTest(
  driver: Driver,
  link: Link,
  clock: Clock,
  signal: AbortSignal,
  options: Record<string, unknown>,
  onEvent: (event: SessionEvent) => void,
): Promise<SessionResult> {
  const { manifest } = driver;
  const { probeMs, openMs, identifyMs, closeMs } = manifest.deadlines;
  const controller = new AbortController();
  const abort = (): void => controller.abort(new HubError('CANCELLED', 'aborted'));
  signal.addEventListener('abort', abort, { once: true });
  const result: SessionResult = { readings: [], problems: {}, end: 'completed' };
  const session = driver.createSession({
    link,
    clock,
    signal: controller.signal,
    options: resolveOptions(manifest, options),
    emit: (event) => {
      if (event.type === 'reading') return;
      if (event.type === 'problem') result.problems[event.code] = (result.problems[event.code] ?? 0) + 1;
      onEvent(event);
    },
  });
  try {
    if (await withDeadline(clock, probeMs, controller.signal, 'probing the device', (s) => session.probe(s))) {
      await withDeadline(clock, openMs, controller.signal, 'opening the device', (s) => session.open(s));
      result.identity = await withDeadline(clock, identifyMs, controller.signal, 'identifying the device', (s) => session.identify(s));
    }
  } catch (e) {
    result.end = controller.signal.aborted && signal.aborted ? 'aborted' : 'failed';
    result.error = isHubError(e) ? e : new HubError('PROTOCOL_UNEXPECTED', e instanceof Error ? e.message : String(e), { cause: e, details: { bug: true } });
  } finally {
    controller.abort();
    signal.removeEventListener('abort', abort);
    await withDeadline(clock, closeMs, new AbortController().signal, 'closing the device', () => session.close()).catch(() => undefined);
  }
  return result;
}
