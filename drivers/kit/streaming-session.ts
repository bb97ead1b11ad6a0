import type { DeviceIdentity } from '../../shared/reading.ts';
import type { DriverContext, DriverSession } from './driver.ts';
import { FrameReader } from './frame-reader.ts';
import type { Framer } from './framers/framer.ts';

/**
 * The skeleton of a session with a device that talks first and streams frames unasked (an
 * oximeter's lines once a second): one FrameReader over the driver's framer, a probe that waits
 * up to `probeMs` for one frame that decodes, an acquire loop that hands every frame to the
 * driver until the link ends or the signal aborts, and a close that stops reading. The driver
 * adds what is its own: `decodes` (for the probe), `onFrame`, `identify` and, for a continuous
 * device, `capture`.
 *
 * `keepProbed`: a device whose every frame is a result (a urine analyzer's report) must not lose
 * the one that arrived while the hub was probing, so the frames the probe read — the one that
 * decoded and any before it — are handed to `onFrame` first when acquire starts. An oximeter's
 * second of samples is not worth that, so by default the probe drops them.
 */
export abstract class StreamingSession<F> implements DriverSession {
  private reader: FrameReader<F> | undefined;
  /** Frames the probe read, for acquire (only with `keepProbed`). */
  private readonly held: F[] = [];

  constructor(
    protected readonly ctx: DriverContext,
    private readonly createFramer: () => Framer<F>,
    private readonly probeMs: number,
    private readonly keepProbed = false,
  ) {}

  /** Does this frame come from a device of the driver's family? (Probe: true at the first that does.) */
  protected abstract decodes(frame: F): boolean;
  /** One frame as acquire reads it. */
  protected abstract onFrame(frame: F): void;
  abstract identify(signal: AbortSignal): Promise<DeviceIdentity>;

  async probe(signal: AbortSignal): Promise<boolean> {
    const keep = this.keepProbed ? (frame: F): void => void this.held.push(frame) : undefined;
    const found = await this.frames().find(signal, { clock: this.ctx.clock, ms: this.probeMs }, (frame) => this.decodes(frame), keep);
    if (found !== undefined) keep?.(found);
    return found !== undefined;
  }

  async open(_signal: AbortSignal): Promise<void> {
    this.frames();
  }

  async acquire(signal: AbortSignal): Promise<void> {
    const reader = this.frames();
    for (let frame = this.held.shift(); frame !== undefined; frame = this.held.shift()) this.onFrame(frame);
    for (let frame = await reader.next(signal); frame !== undefined; frame = await reader.next(signal)) this.onFrame(frame);
  }

  async close(): Promise<void> {
    this.reader?.dispose();
  }

  /** The one reader of the session, made at first use (probe or open, whichever comes first). */
  protected frames(): FrameReader<F> {
    this.reader ??= new FrameReader(this.ctx, this.createFramer());
    return this.reader;
  }
}
