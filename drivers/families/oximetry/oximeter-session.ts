import { type DriverContext, type Framer, StreamingSession } from '../../kit/index.ts';
import { type CaptureHow, OximetryCapture, type OximetrySample } from './capture.ts';

/**
 * A session with an oximeter that streams unasked (the kit's `StreamingSession`) and captures
 * through the family's `OximetryCapture`: the driver's `onFrame` decodes, maps and times each
 * sample and hands it to `this.oximetry` (`offer`, or `remember`/`show`/`watch`); `emitReading`
 * builds the reading draft; Capture is the family's.
 */
export abstract class OximeterSession<F, T> extends StreamingSession<F> {
  protected readonly oximetry: OximetryCapture<T>;

  constructor(ctx: DriverContext, createFramer: () => Framer<F>, probeMs: number, sampleOf: (item: T) => OximetrySample) {
    super(ctx, createFramer, probeMs);
    this.oximetry = new OximetryCapture<T>(ctx, { sampleOf, onReading: (item, window, how) => this.emitReading(item, window, how) });
  }

  /** Emit the reading for `item` made from `window` (oldest first), flagged `how`. */
  protected abstract emitReading(item: T, window: readonly T[], how: CaptureHow): void;

  /** The assistant's Capture: a reading from the newest sample if it is valid. */
  capture(): boolean {
    return this.oximetry.capture();
  }
}
