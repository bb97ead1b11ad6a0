import { HubError } from '../../shared/errors.ts';
import { describeBytes, toHex } from './bytes.ts';
import { systemClock, type Clock, type Timer } from './clock.ts';
import { yieldToHost } from './host.ts';
import { LinkBase } from './link.ts';
import type { Trace, TraceEvent } from './trace.ts';

export interface ReplayOptions {
  /** Ignore writes that match no request (the device stays silent; they do not restart the idle period). */
  loose?: boolean;
  /** Exchanges must be used in trace order. */
  inOrder?: boolean;
  /** Close the link after this long without a driver write that matched, once nothing is left to send. Default 1000 ms. */
  idleMs?: number;
  /** HID traces: the report size, to restore trailing zero padding. */
  reportSize?: number;
  /** Start of the recording in epoch ms: trace times become clock times. Default: when replay starts. */
  startMs?: number;
  /**
   * The clock the replay runs on between events (deadlines, the idle grace period). Default: the
   * system clock. A VirtualClock runs a whole replay in fake time, as the fuzzer does.
   */
  clock?: Clock;
}

interface ReplayExchange {
  request: TraceEvent;
  responses: TraceEvent[];
  used: boolean;
}

/**
 * A clock that follows the trace: while events are delivered it reads the event's time; in
 * between it runs on with real time, so driver deadlines still fire (docs/trace-format.md §3.4).
 */
class TraceClock implements Clock {
  private base: number;
  private offsetMs = 0;
  private realAt: number;
  constructor(
    startMs: number,
    private readonly inner: Clock = systemClock,
  ) {
    this.base = startMs;
    this.realAt = inner.now();
  }
  now(): number {
    return this.base + this.offsetMs + (this.inner.now() - this.realAt);
  }
  setTimer(ms: number, callback: () => void): Timer {
    return this.inner.setTimer(ms, callback);
  }
  moveTo(seconds: number | undefined): void {
    if (seconds === undefined) return;
    this.offsetMs = Math.max(this.offsetMs, seconds * 1000);
    this.realAt = this.inner.now();
  }
}

/**
 * The replayer plays the device side of a trace as a Link (docs/trace-format.md §3, replay
 * semantics). The host side is this object; the driver writes to it and it answers from the
 * trace's exchanges. A write that matches no request ends the link with REPLAY_MISMATCH.
 */
/** The longest recorded pause the idle grace waits out after an answered request (a slow poll). */
export const MAX_RECORDED_GAP_MS = 60_000;

export class ReplayLink extends LinkBase {
  readonly mode: 'bytes' | 'reports';
  readonly clock: TraceClock;
  /** Exchanges never requested by the driver, for a warning after the run. */
  unusedExchanges = 0;
  private readonly exchanges: ReplayExchange[];
  private readonly opening: TraceEvent[];
  private pending: number[] = [];
  private idleTimer: Timer | undefined;
  private started = false;
  /** Bursts are played one after the other: the chain of those queued, and how many are left. */
  private playing: Promise<void> = Promise.resolve();
  private burstsLeft = 0;
  /** Trace time of the last request answered (seconds), for the recorded pause before the next. */
  private lastAnsweredAt: number | undefined;

  constructor(
    trace: Trace,
    private readonly options: ReplayOptions = {},
  ) {
    super(options.reportSize);
    this.mode = /^hid\b/.test(trace.header['transport'] ?? '') ? 'reports' : 'bytes';
    const recorded = trace.header['recorded'] ? Date.parse(trace.header['recorded']) : Number.NaN;
    const inner = options.clock ?? systemClock;
    this.clock = new TraceClock(options.startMs ?? (Number.isFinite(recorded) ? recorded : inner.now()), inner);
    const firstRequest = trace.events.findIndex((e) => e.direction === '>');
    this.opening = firstRequest < 0 ? trace.events : trace.events.slice(0, firstRequest);
    this.exchanges = [];
    for (const event of firstRequest < 0 ? [] : trace.events.slice(firstRequest)) {
      if (event.direction === '>') this.exchanges.push({ request: event, responses: [], used: false });
      else this.exchanges[this.exchanges.length - 1]?.responses.push(event);
    }
  }

  /** Does the trace carry the wall-clock time of its recording (so device clocks can be judged)? */
  static hasRecordedTime(trace: Trace): boolean {
    return Number.isFinite(Date.parse(trace.header['recorded'] ?? ''));
  }

  /** The device speaks first, as soon as the driver listens (so trace time is right when it decodes). */
  override onData(listener: (chunk: Uint8Array) => void): () => void {
    const off = super.onData(listener);
    queueMicrotask(() => this.start());
    return off;
  }

  /** Begin: the device speaks first with whatever precedes the first request. */
  start(): void {
    if (this.started) return;
    this.started = true;
    this.enqueue(this.opening);
  }

  protected async send(data: Uint8Array): Promise<void> {
    const outcome = this.mode === 'reports' ? this.matchReport(data) : this.matchBytes(data);
    // Only a write that is (the start of) a request counts as the driver still talking. A write
    // --loose ignores leaves the idle period running: otherwise a driver that polls faster than
    // the idle period would keep the replay open for ever.
    if (outcome === 'partial') this.armIdle();
  }

  protected async shutdown(): Promise<void> {
    this.idleTimer?.cancel();
    this.unusedExchanges = this.exchanges.filter((x) => !x.used).length;
  }

  /**
   * Queue a burst (the opening, or one exchange's response) behind those already playing. The
   * idle period is stopped while anything is left to send, and starts again when all is out.
   * `requestTime`: the trace time of the request the burst answers.
   */
  private enqueue(events: readonly TraceEvent[], requestTime?: number): void {
    this.idleTimer?.cancel();
    this.burstsLeft++;
    this.playing = this.playing
      .then(() => this.play(events, requestTime))
      .catch((e: unknown) => {
        // A listener threw on delivery: a driver bug. End the replay with it rather than leave the chain broken.
        this.idleTimer?.cancel();
        this.ended(new HubError('PROTOCOL_UNEXPECTED', `replay delivery failed: ${e instanceof Error ? e.message : String(e)}`, { cause: e, details: { bug: true } }));
      })
      .finally(() => {
        this.burstsLeft--;
        this.armIdle();
      });
  }

  private async play(events: readonly TraceEvent[], requestTime?: number): Promise<void> {
    this.clock.moveTo(requestTime);
    for (const event of events) {
      if (this.closed) return;
      this.clock.moveTo(event.time);
      this.deliver(this.mode === 'reports' ? this.padReport(event.bytes) : event.bytes);
      // Let the driver take this event in (decode it, stamp a reading with the clock) before the
      // clock moves on to the next event's time: a reading is received when its own bytes were.
      await this.nextTurn();
    }
  }

  /**
   * One host turn between delivered events. On an injected clock (fake time: the conformance
   * suite, the fuzzer) the turn is a zero-delay timer of that clock, so whoever drives the clock
   * (`VirtualClock.runUntilIdle`) sees the replay still has work and keeps going instead of
   * calling the session hung; on the system clock, a plain host turn (a timer would cost 1 ms).
   */
  private nextTurn(): Promise<void> {
    const injected = this.options.clock;
    return injected ? new Promise((resolve) => injected.setTimer(0, resolve)) : yieldToHost();
  }

  private padReport(bytes: Uint8Array): Uint8Array {
    if (!this.reportSize || bytes.length >= this.reportSize) return bytes;
    const out = new Uint8Array(this.reportSize);
    out.set(bytes);
    return out;
  }

  private candidates(): ReplayExchange[] {
    const unused = this.exchanges.filter((x) => !x.used);
    return this.options.inOrder ? unused.slice(0, 1) : unused;
  }

  private matchBytes(data: Uint8Array): WriteOutcome {
    this.pending.push(...data);
    const written = Uint8Array.from(this.pending);
    const candidates = this.candidates();
    const hit = candidates.find((x) => matches(x.request, written, 'exact'));
    if (hit) {
      this.pending = [];
      this.answer(hit);
      return 'answered';
    }
    if (candidates.some((x) => matches(x.request, written, 'prefix'))) return 'partial';
    this.pending = [];
    this.mismatch(written);
    return 'ignored';
  }

  private matchReport(data: Uint8Array): WriteOutcome {
    const report = trimZeros(data);
    const hit = this.candidates().find((x) => matches(x.request, report, 'exact', true));
    if (!hit) {
      this.mismatch(report);
      return 'ignored';
    }
    this.answer(hit);
    return 'answered';
  }

  private answer(exchange: ReplayExchange): void {
    exchange.used = true;
    this.lastAnsweredAt = exchange.request.time;
    this.enqueue(exchange.responses, exchange.request.time);
  }

  private mismatch(written: Uint8Array): void {
    if (this.options.loose) return;
    const nearest = this.candidates()[0]?.request ?? this.exchanges.find((x) => !x.used)?.request;
    const where = nearest ? `; the next unused request is on trace line ${nearest.line} (${toHex(nearest.bytes, 24)})` : '; the trace has no unused request left';
    this.idleTimer?.cancel();
    this.ended(new HubError('REPLAY_MISMATCH', `the driver wrote ${toHex(written, 24)} ("${describeBytes(written, 24)}"), which matches no request in the trace${where}`));
  }

  /**
   * How long the recording shows the driver waited before its next request (a polling driver's
   * interval, docs/trace-format.md §3): the idle grace starts after that, so a poll is not taken
   * for the end of the conversation. 0 when unknown; capped at a minute.
   */
  private recordedGapMs(): number {
    const next = this.candidates()[0]?.request.time;
    if (next === undefined || this.lastAnsweredAt === undefined) return 0;
    return Math.min(MAX_RECORDED_GAP_MS, Math.max(0, (next - this.lastAnsweredAt) * 1000));
  }

  /** End of stream once every response is out and the driver has been quiet for the grace period. */
  private armIdle(): void {
    this.idleTimer?.cancel();
    if (this.closed || this.burstsLeft > 0) return;
    this.idleTimer = this.clock.setTimer((this.options.idleMs ?? 1000) + this.recordedGapMs(), () => {
      if (!this.closed) void this.close();
    });
  }
}

/** What a write did: answered a request, began one (more bytes to come), or matched nothing. */
type WriteOutcome = 'answered' | 'partial' | 'ignored';

function trimZeros(bytes: Uint8Array): Uint8Array {
  let end = bytes.length;
  while (end > 0 && bytes[end - 1] === 0) end--;
  return bytes.subarray(0, end);
}

function matches(request: TraceEvent, written: Uint8Array, how: 'exact' | 'prefix', ignorePadding = false): boolean {
  const want = ignorePadding ? trimZeros(request.bytes) : request.bytes;
  if (how === 'exact' ? written.length !== want.length : written.length > want.length) return false;
  for (let i = 0; i < written.length; i++) {
    if (!request.wildcard?.[i] && written[i] !== want[i]) return false;
  }
  return true;
}
