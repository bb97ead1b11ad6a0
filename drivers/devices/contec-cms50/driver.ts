import type { DeviceIdentity } from '../../../shared/reading.ts';
import { concatBytes, type Driver, type DriverContext, type DriverSession, type ReadingDraft, type Timer } from '../../kit/index.ts';
import type { CaptureHow } from '../../families/oximetry/capture.ts';
import { OximeterSession } from '../../families/oximetry/oximeter-session.ts';
import { decodeFrame, type Cms50Sample } from './decode.ts';
import { decodeProbe } from './decode-probe.ts';
import { Cms50Framer } from './format-detect.ts';
import { manifest } from './manifest.ts';
import { normalize, type Cms50Reading } from './normalize.ts';
import { type Cms50Format, type Cms50Frame, COMMAND, encodeCommand } from './protocol.ts';
import { simulator } from './simulator.ts';
import { traceAnnotator } from './trace.ts';

/** The V7.0 stream stops unless the host sends keep-alive about every 5 s (PROTOCOL.md §3.2). */
const KEEP_ALIVE_MS = 5000;
/** Both firmwares send 60 samples a second (PROTOCOL.md §3.4; inferred for the older one, §4). */
const SAMPLES_PER_SECOND = 60;
/** A pause in arrival longer than this is real time without samples, added to the sample clock. */
const PAUSE_MS = 1500;
/** Valid samples between two watched ones while nothing changes: one a second (PROTOCOL.md §6). */
const LIVE_EVERY = SAMPLES_PER_SECOND;

interface Item {
  sample: Cms50Sample;
  reading: Cms50Reading;
}

/**
 * One session with a CMS50 (continuous, docs/adding-a-driver.md §2). V7.0: start the real-time
 * stream, keep it alive every 5 s, stop it on close; older firmware streams by itself. Samples
 * feed the kit's stability rule on a sample clock (60 a second, pauses added) so that the time
 * a window spans does not depend on how the bytes were buffered (PROTOCOL.md §6).
 */
class Cms50Session extends OximeterSession<Cms50Frame, Item> {
  private readonly framer: Cms50Framer;
  private readonly mode: Cms50Format | 'auto';
  private keepAlive: Timer | undefined;
  /** The sample clock's origin: the first arrival, plus the pauses since (sampleTime). */
  private base: number | undefined;
  private lastArrival = 0;
  private count = 0;
  private lastValid: boolean | undefined;

  constructor(ctx: DriverContext) {
    const protocol = ctx.options['protocol'];
    const mode = protocol === 'v7' || protocol === 'legacy' ? protocol : 'auto';
    // One framer for the session: it tells the formats apart, and close asks it which one it found.
    const framer = new Cms50Framer(mode);
    super(ctx, () => framer, manifest.deadlines.probeMs, (item) => item.reading);
    this.mode = mode;
    this.framer = framer;
  }

  /** Does a CMS50 talk on this link? Start the stream (V7.0) and wait for a sample. */
  override async probe(signal: AbortSignal): Promise<boolean> {
    await this.start();
    return super.probe(signal);
  }

  protected decodes(frame: Cms50Frame): boolean {
    return decodeFrame(frame).ok;
  }

  override async open(signal: AbortSignal): Promise<void> {
    await super.open(signal);
    await this.start();
  }

  async identify(_signal: AbortSignal): Promise<DeviceIdentity> {
    return this.identity();
  }

  override async close(): Promise<void> {
    this.keepAlive?.cancel();
    this.keepAlive = undefined;
    await super.close();
    // Say goodbye to a V7.0 device (or one not yet told apart); the link may already be gone.
    if (this.framer.format !== 'legacy' && !this.ctx.link.closed) await this.ctx.link.write(encodeCommand(COMMAND.stop)).catch(() => undefined);
  }

  /** V7.0 (or auto): send start and keep the stream alive; the older firmware needs nothing. */
  private async start(): Promise<void> {
    if (this.mode === 'legacy' || this.keepAlive) return;
    await this.ctx.link.write(encodeCommand(COMMAND.start));
    const tick = (): void => {
      if (this.framer.format === 'legacy' || this.ctx.link.closed) {
        this.keepAlive = undefined;
        return;
      }
      void this.ctx.link.write(encodeCommand(COMMAND.keepAlive)).catch(() => undefined);
      this.keepAlive = this.ctx.clock.setTimer(KEEP_ALIVE_MS, tick);
    };
    this.keepAlive = this.ctx.clock.setTimer(KEEP_ALIVE_MS, tick);
  }

  private identity(): DeviceIdentity {
    const format = this.framer.format;
    const model = format === 'v7' ? 'CMS50 (V7.0 protocol)' : format === 'legacy' ? 'CMS50 (older firmware)' : 'CMS50';
    return { manufacturer: 'Contec', model };
  }

  protected onFrame(frame: Cms50Frame): void {
    const decoded = decodeFrame(frame);
    if (!decoded.ok) {
      if (!decoded.ignored) this.ctx.emit({ type: 'problem', code: decoded.code, message: decoded.message, raw: frame.bytes });
      return;
    }
    if (this.count === 0) this.ctx.emit({ type: 'identity', device: this.identity() });
    const item: Item = { sample: decoded.sample, reading: normalize(decoded.sample) };
    const at = this.sampleTime();
    this.oximetry.remember(item);
    // One sample a second, and every invalid one, is shown live and watched by the stability
    // rule (PROTOCOL.md §6): SpO2 and pulse change about once a second, 60 live events a second
    // would only load the UI, and an invalid sample (finger out) must always reset the window.
    const changed = item.reading.valid !== this.lastValid;
    this.lastValid = item.reading.valid;
    const shown = this.count % LIVE_EVERY === 0 || changed;
    this.count++;
    if (shown) this.oximetry.show(at, item);
    if (!shown && item.reading.valid) return;
    this.oximetry.watch(at, item);
  }

  /**
   * The sample clock: the first arrival plus 1/60 s per sample, plus every pause in arrival.
   * Counted as a whole number of samples so that 600 samples are exactly 10 s, never 9.999….
   */
  private sampleTime(): number {
    const arrival = this.ctx.clock.now();
    if (this.base === undefined) this.base = arrival;
    else if (arrival - this.lastArrival > PAUSE_MS) this.base += arrival - this.lastArrival;
    this.lastArrival = arrival;
    return this.base + (this.count * 1000) / SAMPLES_PER_SECOND;
  }

  /** The window's samples as one raw record: 60 a second would make hundreds of tiny ones. */
  protected emitReading(item: Item, window: readonly Item[], how: CaptureHow): void {
    const raw = [concatBytes(window.map((i) => i.sample.raw))];
    const draft: ReadingDraft = { device: this.identity(), kind: 'patient', timeBasis: 'live', observations: item.reading.observations, flags: [...item.reading.flags, how], raw };
    this.ctx.emit({ type: 'reading', draft });
  }
}

/** A session of the CMS50 driver (the `Driver` contract's factory). */
export const createSession = (context: DriverContext): DriverSession => new Cms50Session(context);

/** Contec CMS50D+ / E / F / EW pulse oximeters: V7.0 protocol and the older 5-byte firmware. */
export const contecCms50Driver: Driver = { manifest, createSession, simulator, traceAnnotator, decodeProbe };
