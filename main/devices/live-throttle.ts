import type { Clock, Timer } from '../../drivers/kit/index.ts';

/**
 * Pass on at most one value per interval, always the newest, and never drop the last one: the
 * first value goes out at once, later ones within the interval wait for its end (one timer at a
 * time, on the kit's clock, so tests run it on a virtual clock).
 */
export class LiveThrottle<T> {
  private latest: { value: T } | undefined;
  private lastSentAt = Number.NEGATIVE_INFINITY;
  private timer: Timer | undefined;

  constructor(
    private readonly clock: Clock,
    private readonly intervalMs: number,
    private readonly send: (value: T) => void,
  ) {}

  push(value: T): void {
    this.latest = { value };
    if (this.timer) return;
    const waitMs = this.lastSentAt + this.intervalMs - this.clock.now();
    if (waitMs <= 0) this.flush();
    else this.timer = this.clock.setTimer(waitMs, () => this.flush());
  }

  /** Drop whatever waits and stop the timer (the session ended). */
  cancel(): void {
    this.timer?.cancel();
    this.timer = undefined;
    this.latest = undefined;
  }

  private flush(): void {
    this.timer = undefined;
    const pending = this.latest;
    this.latest = undefined;
    if (!pending) return;
    this.lastSentAt = this.clock.now();
    this.send(pending.value);
  }
}
