import { CancelledError, HubError, isHubError, type ErrorCode } from '../../shared/errors.ts';
import { ReadingSchema, type DeviceIdentity, type Reading } from '../../shared/reading.ts';
import type { Clock } from './clock.ts';
import { withDeadline } from './deadline.ts';
import type { Driver, DriverEvent, DriverSession, ReadingDraft } from './driver.ts';
import type { Link } from './link.ts';
import { resolveOptions } from './manifest.ts';
import { DEFAULT_CLOCK_SKEW_THRESHOLD_MS, finishReading, type TimePolicy } from './times.ts';

/** What the session runner tells its caller, as it happens. */
export type SessionEvent =
  | Exclude<DriverEvent, { type: 'reading' }>
  | { type: 'reading'; reading: Reading; raw: Uint8Array[] };

export interface SessionOptions {
  driver: Driver;
  link: Link;
  clock: Clock;
  /** Abort to stop the session (a `--timeout`, the user, app shutdown): a normal end. */
  signal?: AbortSignal;
  options?: Record<string, unknown>;
  timePolicy?: Partial<TimePolicy>;
  onEvent?: (event: SessionEvent) => void;
  /**
   * A person asked to set the device clock: after acquire, if the device reported a clock off by
   * more than the threshold and the driver can set it, set it to the workstation time.
   */
  setDeviceClock?: boolean;
  /**
   * Keep every reading in `SessionResult.readings` (default true). A caller that takes each
   * reading from `onEvent` as it comes (the hub stores it there) passes false: a monitor's
   * session can run for weeks, and the list would grow for as long (docs/architecture.md §12).
   */
  keepReadings?: boolean;
  /**
   * Commands from the manifest's `commands` to send once identify is done, in order, while
   * acquire runs (`pochub read --command`); their replies come back in `result.commands`.
   */
  commands?: readonly string[];
}

export interface SessionResult {
  identity?: DeviceIdentity;
  /** Every reading of the session, in order; empty when the caller asked not to keep them. */
  readings: Reading[];
  /** Problems seen in the input, by code (garbage, checksum, truncation …). */
  problems: Partial<Record<ErrorCode, number>>;
  /** `completed`: the driver finished; `ended`: the link ended; `aborted`: the signal fired. */
  end: 'completed' | 'ended' | 'aborted' | 'failed';
  /** Why it failed, or why the link ended abnormally. */
  error?: HubError;
  /** The device clock as read at session start, and whether it was set on request. */
  deviceClock?: { deviceTime: string; skewMs: number; canSet: boolean; set: boolean };
  /** The replies to `SessionOptions.commands`, in order (a refused one carries the reason). */
  commands?: { id: string; accepted: boolean; reply: string }[];
}

/**
 * Run one driver session over a link: open → identify → acquire → close, each step under its
 * deadline and the caller's signal. Readings are stamped (received and effective time) and
 * checked against the Reading schema before they are passed on. Never throws: failures come
 * back in the result, as data.
 */
export async function runSession(opts: SessionOptions): Promise<SessionResult> {
  const { driver, link, clock } = opts;
  const { deadlines } = driver.manifest;
  const outer = opts.signal ?? new AbortController().signal;
  const controller = new AbortController();
  const abortInner = (): void => controller.abort(new CancelledError());
  outer.addEventListener('abort', abortInner, { once: true });
  const policy: TimePolicy = { skewCheck: true, thresholdMs: DEFAULT_CLOCK_SKEW_THRESHOLD_MS, ...opts.timePolicy };
  const result: SessionResult = { readings: [], problems: {}, end: 'completed' };
  let linkError: HubError | undefined;
  const offClose = link.onClose((error) => {
    linkError = error;
  });

  const emit = (event: DriverEvent): void => {
    if (event.type === 'reading') {
      const reading = stamp(event.draft);
      if (reading) {
        if (opts.keepReadings !== false) result.readings.push(reading);
        opts.onEvent?.({ type: 'reading', reading, raw: event.draft.raw });
      }
      return;
    }
    if (event.type === 'problem') result.problems[event.code] = (result.problems[event.code] ?? 0) + 1;
    if (event.type === 'identity') result.identity = event.device;
    if (event.type === 'device-clock') result.deviceClock = { deviceTime: event.deviceTime, skewMs: event.skewMs, canSet: event.canSet, set: false };
    opts.onEvent?.(event);
  };

  const stamp = (draft: ReadingDraft): Reading | undefined => {
    const reading = finishReading(draft, driver.manifest.id, clock.now(), policy);
    const checked = ReadingSchema.safeParse(reading);
    if (checked.success) return reading;
    // A driver produced something the model does not allow: a bug, reported loudly, not stored.
    emit({ type: 'problem', code: 'PROTOCOL_UNEXPECTED', message: `driver ${driver.manifest.id} produced an invalid reading: ${checked.error.message}` });
    return undefined;
  };

  let session;
  try {
    session = driver.createSession({ link, clock, signal: controller.signal, options: resolveOptions(driver.manifest, opts.options), emit });
  } catch (e) {
    outer.removeEventListener('abort', abortInner);
    offClose();
    return { ...result, end: 'failed', error: asHubError(e) };
  }
  try {
    await withDeadline(clock, deadlines.openMs, controller.signal, 'opening the device', (s) => session.open(s));
    const identity = await withDeadline(clock, deadlines.identifyMs, controller.signal, 'identifying the device', (s) => session.identify(s));
    result.identity = { ...identity, ...result.identity };
    emit({ type: 'identity', device: result.identity });
    const commands = opts.commands?.length ? sendCommands(session, opts.commands, controller.signal) : undefined;
    await session.acquire(controller.signal);
    if (commands) result.commands = await commands;
    const clockOff = result.deviceClock && Math.abs(result.deviceClock.skewMs) > policy.thresholdMs;
    if (opts.setDeviceClock && clockOff && session.setClock && !controller.signal.aborted) {
      const setClock = session.setClock.bind(session);
      await withDeadline(clock, deadlines.identifyMs, controller.signal, 'setting the device clock', (s) => setClock(clock.now(), s));
      if (result.deviceClock) result.deviceClock.set = true;
    }
    if (controller.signal.aborted) result.end = 'aborted';
    else if (link.closed && driver.manifest.kind !== 'download') result.end = 'ended';
  } catch (e) {
    if (e instanceof CancelledError || controller.signal.aborted) result.end = 'aborted';
    else {
      result.end = 'failed';
      result.error = asHubError(e);
    }
  } finally {
    try {
      await withDeadline(clock, deadlines.closeMs, new AbortController().signal, 'closing the device', async () => session.close());
    } catch (e) {
      result.error ??= asHubError(e);
    }
    outer.removeEventListener('abort', abortInner);
    offClose();
  }
  // A link that ended abnormally (unplugged, replay mismatch) is the reason, even if acquire ended quietly.
  if (linkError && result.end !== 'aborted') {
    result.end = 'failed';
    result.error ??= linkError;
  }
  return result;
}

/**
 * Send the requested commands one after the other while acquire runs. A command the driver
 * does not accept, or one that fails, is answered in words, never thrown: the session goes on.
 */
async function sendCommands(session: DriverSession, ids: readonly string[], signal: AbortSignal): Promise<NonNullable<SessionResult['commands']>> {
  const out: NonNullable<SessionResult['commands']> = [];
  for (const id of ids) {
    if (!session.command) {
      out.push({ id, accepted: false, reply: 'this driver accepts no commands' });
      continue;
    }
    try {
      out.push({ id, ...(await session.command(id, signal)) });
    } catch (e) {
      out.push({ id, accepted: false, reply: e instanceof Error ? e.message : String(e) });
    }
  }
  return out;
}

function asHubError(e: unknown): HubError {
  if (isHubError(e)) return e;
  // Not an expected failure: keep the original as the cause, marked as a bug, so it is logged
  // loudly upstream with its stack.
  return new HubError('PROTOCOL_UNEXPECTED', e instanceof Error ? e.message : String(e), { cause: e, details: { bug: true } });
}
