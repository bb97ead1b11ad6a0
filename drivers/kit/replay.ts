import { HubError } from '../../shared/errors.ts';
import { describeBytes, toHex } from './bytes.ts';
import { systemClock, type Clock, type Timer } from './clock.ts';
import { LinkBase } from './link.ts';
import type { Trace, TraceEvent } from './trace.ts';

export interface ReplayOptions {
  /** Ignore writes that match no request (the device stays silent). */
  loose?: boolean;
  /** Exchanges must be used in trace order. */
  inOrder?: boolean;
  /** Close the link after this long without a driver write, once nothing is left to send. Default 1000 ms. */
  idleMs?: number;
  /** HID traces: the report size, to restore trailing zero padding. */
  reportSize?: number;
  /** Start of the recording in epoch ms: trace times become clock times. Default: when replay starts. */
  startMs?: number;
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
  private realAt = systemClock.now();
  constructor(startMs: number) {
    this.base = startMs;
  }
  now(): number {
    return this.base + this.offsetMs + (systemClock.now() - this.realAt);
  }
  setTimer(ms: number, callback: () => void): Timer {
    return systemClock.setTimer(ms, callback);
  }
  moveTo(seconds: number | undefined): void {
    if (seconds === undefined) return;
    this.offsetMs = Math.max(this.offsetMs, seconds * 1000);
    this.realAt = systemClock.now();
  }
}

/**
 * The replayer plays the device side of a trace as a Link (docs/trace-format.md §3, replay
 * semantics). The host side is this object; the driver writes to it and it answers from the
 * trace's exchanges. A write that matches no request ends the link with REPLAY_MISMATCH.
 */
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

  constructor(
    trace: Trace,
    private readonly options: ReplayOptions = {},
  ) {
    super(options.reportSize);
    this.mode = /^hid\b/.test(trace.header['transport'] ?? '') ? 'reports' : 'bytes';
    const recorded = trace.header['recorded'] ? Date.parse(trace.header['recorded']) : Number.NaN;
    this.clock = new TraceClock(options.startMs ?? (Number.isFinite(recorded) ? recorded : systemClock.now()));
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
    this.play(this.opening);
    this.armIdle();
  }

  protected async send(data: Uint8Array): Promise<void> {
    const matched = this.mode === 'reports' ? this.matchReport(data) : this.matchBytes(data);
    // A loose replay ignores a write that matches nothing, and it must not postpone the end
    // either: a polling driver writes for ever, and the stream would never end.
    if (matched) this.armIdle();
  }

  protected async shutdown(): Promise<void> {
    this.idleTimer?.cancel();
    this.unusedExchanges = this.exchanges.filter((x) => !x.used).length;
  }

  private play(events: readonly TraceEvent[]): void {
    for (const event of events) {
      if (this.closed) return;
      this.clock.moveTo(event.time);
      this.deliver(this.mode === 'reports' ? this.padReport(event.bytes) : event.bytes);
    }
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

  /** False when the write matched nothing (a strict replay has then ended with a mismatch). */
  private matchBytes(data: Uint8Array): boolean {
    this.pending.push(...data);
    const written = Uint8Array.from(this.pending);
    const candidates = this.candidates();
    const hit = candidates.find((x) => matches(x.request, written, 'exact'));
    if (hit) {
      this.pending = [];
      this.answer(hit);
    } else if (!candidates.some((x) => matches(x.request, written, 'prefix'))) {
      this.pending = [];
      this.mismatch(written);
      return false;
    }
    return true;
  }

  private matchReport(data: Uint8Array): boolean {
    const report = trimZeros(data);
    const hit = this.candidates().find((x) => matches(x.request, report, 'exact', true));
    if (hit) this.answer(hit);
    else this.mismatch(report);
    return hit !== undefined;
  }

  private answer(exchange: ReplayExchange): void {
    exchange.used = true;
    this.clock.moveTo(exchange.request.time);
    queueMicrotask(() => this.play(exchange.responses));
  }

  private mismatch(written: Uint8Array): void {
    if (this.options.loose) return;
    const nearest = this.candidates()[0]?.request ?? this.exchanges.find((x) => !x.used)?.request;
    const where = nearest ? `; the next unused request is on trace line ${nearest.line} (${toHex(nearest.bytes, 24)})` : '; the trace has no unused request left';
    this.idleTimer?.cancel();
    this.ended(new HubError('REPLAY_MISMATCH', `the driver wrote ${toHex(written, 24)} ("${describeBytes(written, 24)}"), which matches no request in the trace${where}`));
  }

  /** End of stream once every response is out and the driver has been quiet for the grace period. */
  private armIdle(): void {
    this.idleTimer?.cancel();
    if (this.closed) return;
    this.idleTimer = systemClock.setTimer(this.options.idleMs ?? 1000, () => {
      if (!this.closed) void this.close();
    });
  }
}

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
