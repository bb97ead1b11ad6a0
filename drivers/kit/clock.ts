import { hostTimers, yieldToHost } from './host.ts';

/** A scheduled callback that can be cancelled; cancelling twice is harmless. */
export interface Timer {
  cancel(): void;
}

/**
 * Drivers and simulators take time only from a Clock (docs/adding-a-driver.md §4, rule 4), so they run unchanged
 * live, in tests with a virtual clock, and in replay with trace time.
 */
export interface Clock {
  /** Milliseconds since the epoch. */
  now(): number;
  setTimer(ms: number, callback: () => void): Timer;
}

/** The real clock. */
export const systemClock: Clock = {
  now: () => Date.now(),
  setTimer(ms, callback) {
    const handle = hostTimers.setTimeout(callback, ms);
    return { cancel: () => hostTimers.clearTimeout(handle) };
  },
};

/** Resolves after `ms` on `clock`, or rejects with the signal's reason when aborted first. */
export function sleep(clock: Clock, ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const onAbort = (): void => {
      timer.cancel();
      reject(signal?.reason);
    };
    const timer = clock.setTimer(ms, () => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    });
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/** A clock wrapper that counts live timers, so tests can prove none outlives a session. */
export class TrackedClock implements Clock {
  private live = new Set<Timer>();
  constructor(private readonly inner: Clock) {}
  now(): number {
    return this.inner.now();
  }
  setTimer(ms: number, callback: () => void): Timer {
    const tracked: Timer = {
      cancel: () => {
        this.live.delete(tracked);
        inner.cancel();
      },
    };
    const inner = this.inner.setTimer(ms, () => {
      this.live.delete(tracked);
      callback();
    });
    this.live.add(tracked);
    return tracked;
  }
  /** Timers scheduled and neither fired nor cancelled. */
  get pending(): number {
    return this.live.size;
  }
}

/**
 * A clock that only moves when told to. `runUntilIdle` yields to the real event loop so that
 * promise chains settle, then jumps to the next timer, until nothing is left to do.
 */
export class VirtualClock implements Clock {
  private timers: { at: number; seq: number; callback: () => void; cancelled: boolean }[] = [];
  private seq = 0;
  constructor(private time = Date.UTC(2026, 0, 15, 9, 0, 0)) {}
  now(): number {
    return this.time;
  }
  setTimer(ms: number, callback: () => void): Timer {
    const entry = { at: this.time + Math.max(0, ms), seq: this.seq++, callback, cancelled: false };
    this.timers.push(entry);
    return { cancel: () => void (entry.cancelled = true) };
  }
  /**
   * Move the time forward to `epochMs` (never back), running the timers due by then in order
   * and letting promise chains settle after each. Cheap when none is due, so a benchmark can
   * deliver a device's writes at their own times one after another (bench/decode-throughput.ts).
   */
  async advanceTo(epochMs: number): Promise<void> {
    for (let next = this.takeDue(epochMs); next; next = this.takeDue(epochMs)) {
      this.time = Math.max(this.time, next.at);
      next.callback();
      await settle();
    }
    this.time = Math.max(this.time, epochMs);
  }

  /** Run every timer due up to `limitMs` past now (default: until no timer is left). */
  async runUntilIdle(limitMs = Number.POSITIVE_INFINITY): Promise<void> {
    const end = this.time + limitMs;
    for (;;) {
      await settle();
      const next = this.takeDue(end);
      if (!next) return;
      this.time = Math.max(this.time, next.at);
      next.callback();
    }
  }

  /** The earliest live timer due at or before `limit`, taken off the list; undefined when none is. */
  private takeDue(limit: number): { at: number; callback: () => void } | undefined {
    this.timers = this.timers.filter((t) => !t.cancelled);
    this.timers.sort((a, b) => a.at - b.at || a.seq - b.seq);
    const next = this.timers[0];
    if (!next || next.at > limit) return undefined;
    this.timers.shift();
    return next;
  }
}

/** Let pending promise chains and already-queued host callbacks run. */
export async function settle(rounds = 3): Promise<void> {
  for (let i = 0; i < rounds; i++) await yieldToHost();
}
