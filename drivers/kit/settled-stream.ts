import type { Clock, Timer } from './clock.ts';

/**
 * The "settled stream" rule for streaming scales (docs/adding-a-driver.md §2): while a weight is
 * locked the scale repeats the same measurement packet (Health o meter: once a second), so a
 * run of identical packets is ONE reading. The run ends — and its reading is made — when the
 * stream goes quiet (no packet for `quietMs`), when a packet with another value arrives, when an
 * unsettled packet (zero, motion) arrives, or when the connection ends (`flush`). An unsettled
 * packet is never a reading itself. Continuous monitors (SpO2, pulse) use `StabilityWindow`
 * instead: their values wander within a tolerance, a scale's locked value does not.
 */
export interface SettledStreamOptions<T> {
  /** Time for the quiet timer (the session clock: virtual in tests, trace time in replay). */
  clock: Clock;
  /** A gap longer than this ends the run. */
  quietMs: number;
  /** What makes two packets the same measurement (e.g. weight, height, BMI and units as sent). */
  key: (item: T) => string;
  /** Called once per finished run with its packets, oldest first (the reading keeps them as raw). */
  onSettled: (run: readonly T[]) => void;
}

export class SettledStream<T> {
  private run: T[] = [];
  private runKey: string | undefined;
  private timer: Timer | undefined;
  private lastAt = 0;

  constructor(private readonly options: SettledStreamOptions<T>) {}

  /**
   * One packet. `settled` is false for a zero or unstable weight: it ends the current run (the
   * patient stepped off) and is dropped.
   */
  push(item: T, settled = true): void {
    if (!settled) {
      this.finish();
      return;
    }
    const key = this.options.key(item);
    // The gap is also checked by time, not only by the timer: in a replay the trace clock jumps
    // over recorded pauses faster than a timer fires, and a pause must still end the run.
    const now = this.options.clock.now();
    if (this.runKey !== undefined && (key !== this.runKey || now - this.lastAt > this.options.quietMs)) this.finish();
    this.runKey = key;
    this.lastAt = now;
    this.run.push(item);
    this.timer?.cancel();
    this.timer = this.options.clock.setTimer(this.options.quietMs, () => {
      this.timer = undefined;
      this.finish();
    });
  }

  /** The connection ended: a pending run is complete (the last packets were the locked weight). */
  flush(): void {
    this.finish();
  }

  /** Drop a pending run without a reading and cancel the timer (the session is closing). */
  dispose(): void {
    this.timer?.cancel();
    this.timer = undefined;
    this.run = [];
    this.runKey = undefined;
  }

  /** Packets in the current run (for a manual capture or a status line). */
  get pending(): readonly T[] {
    return this.run;
  }

  private finish(): void {
    this.timer?.cancel();
    this.timer = undefined;
    const run = this.run;
    this.run = [];
    this.runKey = undefined;
    if (run.length > 0) this.options.onSettled(run);
  }
}
