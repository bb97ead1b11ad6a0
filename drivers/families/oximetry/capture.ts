import type { Observation } from '../../../shared/observation.ts';
import { type DriverContext, StabilityWindow } from '../../kit/index.ts';
import { oximetryCaptureSettings } from './capture-options.ts';

/**
 * What every continuous oximeter session does with its samples once it has decoded them
 * (docs/adding-a-driver.md §2): show each one live, feed the kit's stability rule, make a reading
 * when SpO2 and pulse have been valid and stable for the window (unless automatic capture is
 * off), and make one from the newest valid sample when the assistant presses Capture. The
 * driver keeps what is its own: framing, decoding, mapping, the time a sample stands for, and
 * the reading draft (identity, device time, raw bytes).
 */

/** One decoded sample in our model: what the live view shows and the stability rule watches. */
export interface OximetrySample {
  /** SpO2 and pulse under catalog codes (each only when the device gave a value), then anything unmapped. */
  observations: Observation[];
  /** The device's status words, as the driver names them. */
  flags: string[];
  /** SpO2 and pulse both present and nothing blocking them: usable for a capture. */
  valid: boolean;
  /** The numbers the stability window compares (only when valid). */
  values: { spo2?: number; pulse?: number };
}

/** The flag a reading gets for how it was made. */
export type CaptureHow = 'auto-capture' | 'manual-capture';

export interface OximetryCaptureHooks<T> {
  /** The sample an item carries. */
  sampleOf(item: T): OximetrySample;
  /**
   * Emit the reading for `item` (the newest sample). `window`: the items it was made from,
   * oldest first — the stable window for an automatic capture, `[item]` for a manual one.
   */
  onReading(item: T, window: readonly T[], how: CaptureHow): void;
}

export class OximetryCapture<T> {
  private readonly window: StabilityWindow<T>;
  private readonly autoCapture: boolean;
  private newest: T | undefined;

  constructor(
    private readonly ctx: Pick<DriverContext, 'options' | 'emit'>,
    private readonly hooks: OximetryCaptureHooks<T>,
  ) {
    const settings = oximetryCaptureSettings(ctx);
    this.autoCapture = settings.autoCapture;
    this.window = new StabilityWindow<T>({ windowMs: settings.windowMs, tolerances: settings.tolerances });
  }

  /** A sample as most oximeters need it: remembered for Capture, shown live, watched by the rule. */
  offer(at: number, item: T): void {
    this.remember(item);
    this.show(at, item);
    this.watch(at, item);
  }

  /** Keep `item` as the one Capture takes (valid or not: Capture refuses an invalid one). */
  remember(item: T): void {
    this.newest = item;
  }

  /** Emit the live event for `item`, `at` on the time basis the driver's window runs on. */
  show(at: number, item: T): void {
    const sample = this.hooks.sampleOf(item);
    this.ctx.emit({ type: 'live', at, observations: sample.observations, flags: sample.flags, valid: sample.valid });
  }

  /** Feed the stability rule; a stable window becomes a reading when automatic capture is on. */
  watch(at: number, item: T): void {
    const sample = this.hooks.sampleOf(item);
    const captured = this.window.push({ at, valid: sample.valid, values: sample.values as Record<string, number>, item });
    if (captured && this.autoCapture) this.hooks.onReading(item, captured.map((s) => s.item), 'auto-capture');
  }

  /**
   * The assistant's Capture: a reading from the newest sample if it is valid. It counts as this
   * spot check's reading, so no automatic one follows until the sensor comes off.
   */
  capture(): boolean {
    const item = this.newest;
    if (item === undefined || !this.hooks.sampleOf(item).valid) return false;
    this.window.disarm();
    this.hooks.onReading(item, [item], 'manual-capture');
    return true;
  }
}

/**
 * The time a sample stands for on a device that sends one every `periodMs` (one a second for
 * the Nonin ASCII lines and the Onyx DF8 samples): a sample arriving within `snapMs` of one
 * period after the previous one is placed exactly one period after it, so serial buffering, a
 * busy host or a replay's delivery jitter never make ten seconds of samples measure 9.99 s; one
 * off the beat (a gap, a restart) takes its arrival time. Pure.
 */
export function onBeat(previous: number | undefined, arrival: number, periodMs: number, snapMs = 400): number {
  if (previous === undefined) return arrival;
  const expected = previous + periodMs;
  return Math.abs(arrival - expected) <= snapMs ? expected : arrival;
}
