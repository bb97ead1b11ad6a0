import { ReadingSchema } from '../../shared/reading.ts';
import { MAX_RECORDED_GAP_MS, ReplayLink, TrackedClock, VirtualClock, runSession, settle, transportFor, type Driver, type SessionEvent, type SessionResult, type Trace } from '../../drivers/kit/index.ts';
import { runConnectionTest } from './connection-test.ts';
import { deviceChunks } from './mutate.ts';

/** What the fuzzer fails on (docs/fuzzing.md §2). */
export type FindingKind = 'throw' | 'hang' | 'timer-left' | 'invalid-reading' | 'memory';

export interface Finding {
  kind: FindingKind;
  /** `decode`: the driver's decodeProbe; `session`: a whole replayed session in fake time. */
  mode: 'decode' | 'session';
  message: string;
}

/**
 * The HID report size of a driver, or undefined for byte-stream drivers. With a trace: that of the
 * link the trace was recorded on (a driver with several links, manifest `otherTransports`, has
 * serial fixtures beside its HID ones).
 */
export function reportSizeOf(driver: Driver, trace?: Trace): number | undefined {
  if (trace && !/^hid\b/.test(trace.header['transport'] ?? '')) return undefined;
  return transportFor(driver.manifest, 'hid')?.reportSize;
}

function describe(e: unknown): string {
  if (e instanceof Error) return `${e.name}: ${e.message}${e.stack ? `\n${e.stack.split('\n').slice(1, 6).join('\n')}` : ''}`;
  return String(e);
}

/**
 * A decode case: the device's bytes of the trace, as the link would hand them over, through the
 * driver's decodeProbe and (`traceFramer`) its live-trace framer. Any throw is a finding.
 */
export function runDecodeCase(driver: Driver, trace: Trace, traceFramer = true): Finding | undefined {
  const chunks = deviceChunks(trace, reportSizeOf(driver, trace));
  try {
    driver.decodeProbe?.(chunks);
    const framer = traceFramer ? driver.traceAnnotator?.framer('in') : undefined;
    if (framer) for (const chunk of chunks) framer.push(chunk);
  } catch (e) {
    return { kind: 'throw', mode: 'decode', message: describe(e) };
  }
  return undefined;
}

/**
 * How much fake time a session on this trace may take before it counts as hung: every step's
 * deadline, plus the longest deadline again for each exchange of the trace and a few spare (a
 * driver retries a command a few times within its deadlines), plus the trace's own duration, plus
 * for each exchange the longest recorded pause the replay's idle grace may wait out after answering
 * it (a polling driver's interval, docs/trace-format.md §3.2; a mutated trace's pauses are arbitrary).
 */
export function hangBoundMs(driver: Driver, trace: Trace): number {
  const d = driver.manifest.deadlines;
  const longest = Math.max(d.probeMs, d.openMs, d.identifyMs, d.closeMs);
  const exchanges = trace.events.filter((e) => e.direction === '>').length;
  const lastTime = trace.events.reduce((t, e) => Math.max(t, e.time ?? 0), 0);
  return d.probeMs + d.openMs + d.identifyMs + d.closeMs + (exchanges + 4) * longest + lastTime * 1000 + exchanges * MAX_RECORDED_GAP_MS;
}

/**
 * `session`: runSession as the device manager runs it; `set-clock`: the same with a person's
 * request to set the device clock; `probe`: the biomed console's Test connection.
 */
export const SESSION_VARIANTS = ['session', 'set-clock', 'probe'] as const;
export type SessionVariant = (typeof SESSION_VARIANTS)[number];

export interface SessionHow {
  /** Writes that match no request get silence (true) or end the link as a replay mismatch (false). */
  loose: boolean;
  variant?: SessionVariant;
  /** Driver option values (checked by the kit); default: the manifest's defaults. */
  options?: Record<string, unknown>;
}

/**
 * Option values a biomed person could set for this driver, drawn at random within the
 * manifest's types, ranges and choices (a stability window of 2 s as well as 120 s).
 */
export function drawOptions(driver: Driver, random: () => number): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const o of driver.manifest.options) {
    if (o.type === 'boolean') out[o.key] = random() < 0.5;
    else if (o.type === 'string' && o.choices) out[o.key] = o.choices[Math.floor(random() * o.choices.length)];
    else if (o.type === 'number' && o.min !== undefined && o.max !== undefined) out[o.key] = o.min + Math.floor(random() * (o.max - o.min + 1));
  }
  return out;
}

/** Rejections nobody handled while a session case ran (the fuzzer's process handler fills it). */
export const strayRejections: unknown[] = [];

/**
 * A session case: the trace replayed to the driver over the kit's ReplayLink and session runner
 * (or the Test connection steps), all on a virtual clock (no real waiting). `loose`: writes that
 * match no request get silence (the driver's deadlines must end it); otherwise they end the link
 * as a replay mismatch.
 * Findings: a bug error (a non-HubError thrown inside the driver), a rejection nobody handled,
 * an invalid reading the session had to drop, a session still running past `hangBoundMs` of fake
 * time, or a timer left behind once it ended.
 */
export async function runSessionCase(driver: Driver, trace: Trace, how: SessionHow): Promise<{ finding?: Finding; result?: SessionResult }> {
  const { loose, variant = 'session', options = {} } = how;
  const virtual = new VirtualClock();
  const clock = new TrackedClock(virtual);
  const link = new ReplayLink(trace, { loose, clock, reportSize: reportSizeOf(driver, trace) });
  const stop = new AbortController();
  const invalid: string[] = [];
  let result: SessionResult | undefined;
  let thrown: unknown;
  let settled = false;
  strayRejections.length = 0;
  const onEvent = (event: SessionEvent): void => {
    if (event.type === 'problem' && event.message.includes('produced an invalid reading')) invalid.push(event.message);
    if (event.type === 'reading' && !ReadingSchema.safeParse(event.reading).success) invalid.push('a reading that fails the Reading schema was passed on');
  };
  const timePolicy = { skewCheck: ReplayLink.hasRecordedTime(trace) };
  const run =
    variant === 'probe'
      ? runConnectionTest(driver, link, link.clock, stop.signal, options, onEvent)
      : runSession({ driver, link, clock: link.clock, signal: stop.signal, timePolicy, options, onEvent, setDeviceClock: variant === 'set-clock' });
  const running = run
    .then((r) => (result = r))
    .catch((e: unknown) => (thrown = e))
    .finally(() => (settled = true));
  const bound = hangBoundMs(driver, trace);
  await virtual.runUntilIdle(bound);
  // A few more host turns before calling it a hang: the session's last promise steps may still be queued.
  for (let i = 0; i < 5 && !settled; i++) await settle();
  const hung = !settled;
  if (hung) {
    stop.abort();
    await virtual.runUntilIdle(60_000);
    for (let i = 0; i < 5 && !settled; i++) await settle();
    // A session that ignores its abort too is left behind (reported as the hang it is), not awaited forever.
  }
  if (settled) await running;
  await link.close();
  await virtual.runUntilIdle(60_000);
  const finding = judge({ hung, bound, thrown, result, invalid, timersLeft: clock.pending });
  return { ...(finding ? { finding } : {}), ...(result ? { result } : {}) };
}

function judge(c: { hung: boolean; bound: number; thrown: unknown; result: SessionResult | undefined; invalid: string[]; timersLeft: number }): Finding | undefined {
  const session = (kind: FindingKind, message: string): Finding => ({ kind, mode: 'session', message });
  if (c.hung && c.result) return session('hang', `the session had not ended after ${(c.bound / 1000).toFixed(0)} s of fake time (its deadlines and every exchange's retries); it ended only when aborted`);
  if (c.thrown !== undefined) return session('throw', `runSession threw (it never should): ${describe(c.thrown)}`);
  const bug = c.result?.error?.details?.['bug'] === true;
  if (bug && c.result?.error) return session('throw', `the driver threw a non-HubError: ${describe(c.result.error.cause ?? c.result.error)}`);
  if (strayRejections.length > 0) return session('throw', `unhandled rejection: ${describe(strayRejections[0])}`);
  if (c.invalid.length > 0) return session('invalid-reading', c.invalid[0] ?? '');
  if (c.hung && !c.result) return session('hang', `the session ignored its deadlines and then its abort after ${(c.bound / 1000).toFixed(0)} s of fake time (its deadlines and every exchange's retries)`);
  if (c.timersLeft > 0) return session('timer-left', `${c.timersLeft} timer(s) still scheduled after the session ended`);
  return undefined;
}
