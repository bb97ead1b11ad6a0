import type { DeviceIdentity } from '../../../shared/reading.ts';
import { localToEpochMs } from '../../../shared/time.ts';
import { DEFAULT_CLOCK_SKEW_THRESHOLD_MS, type Driver, type DriverContext, type DriverSession, FrameReader, type ReadingDraft } from '../../kit/index.ts';
import { type CaptureHow, OximetryCapture, onBeat } from '../../families/oximetry/capture.ts';
import { decodeClockReply, decodeDf8, decodeSpotCheck } from './decode.ts';
import { decodeProbe } from './decode-probe.ts';
import { Df7Packets } from './df7.ts';
import { manifest } from './manifest.ts';
import { normalizeDisplay, normalizeSpotCheck, type OnyxReading } from './normalize.ts';
import { COMMAND, type OnyxFormat, OnyxFramer, type OnyxFrame } from './protocol.ts';
import { simulator } from './simulator.ts';
import { traceAnnotator } from './trace.ts';

const IDENTITY: DeviceIdentity = { manufacturer: 'Nonin', model: 'Onyx II 9560 / WristOx2 3150' };
/** How long open waits for the clock reply and the select-format ACK; both come at once inside the 5 s window (PROTOCOL.md §2). */
const REPLY_WAIT_MS = 1500;
/** DF8 sends one sample a second (PROTOCOL.md §5); a sample within 400 ms of the beat is placed on it. */
const DF8_PERIOD_MS = 1000;

interface Item {
  reading: OnyxReading;
  raw: Uint8Array;
}

/**
 * One session with an Onyx II 9560 (PROTOCOL.md §7). Open reads the device clock and, for DF8/DF7,
 * selects the format, inside the 5 s command window. DF13: one reading per spot-check record with
 * a measurement, timed by the device (a record from memory keeps its time, corrected by the skew
 * read at open). DF8/DF7: every sample shown live; a reading when SpO2 and pulse are stable.
 */
class OnyxSession implements DriverSession {
  private readonly format: OnyxFormat;
  private readonly framer: OnyxFramer;
  private reader: FrameReader<OnyxFrame> | undefined;
  /** Data frames that came while open waited for the replies; handled first by acquire. */
  private early: OnyxFrame[] = [];
  private skewMs: number | undefined;
  private readonly oximetry: OximetryCapture<Item>;
  private readonly setClockWhenOff: boolean;
  private lastAt: number | undefined;
  private readonly df7 = new Df7Packets();

  constructor(private readonly ctx: DriverContext) {
    const format = ctx.options['dataFormat'];
    this.format = format === 'df8' || format === 'df7' ? format : 'df13';
    this.framer = new OnyxFramer(this.format);
    this.setClockWhenOff = ctx.options['setClockWhenOff'] === true;
    this.oximetry = new OximetryCapture<Item>(ctx, { sampleOf: (item) => item.reading, onReading: (item, window, how) => this.emitLive(item, window, how) });
  }

  /** Does a 9560 answer on this link? It answers the read-clock command inside its 5 s window. */
  async probe(signal: AbortSignal): Promise<boolean> {
    await this.ctx.link.write(COMMAND.readClock);
    return (await this.waitFor((f) => f.kind === 'clock' && decodeClockReply(f.bytes).ok, manifest.deadlines.probeMs, signal)) !== undefined;
  }

  async open(signal: AbortSignal): Promise<void> {
    this.frameReader();
    await this.ctx.link.write(COMMAND.readClock);
    const clock = await this.waitFor((f) => f.kind === 'clock', REPLY_WAIT_MS, signal);
    if (clock) this.onClock(clock.bytes);
    else this.ctx.emit({ type: 'problem', code: 'PROTOCOL_UNEXPECTED', message: 'the oximeter did not answer the read-clock command; stored records keep their device time uncorrected' });
    // Setting the clock must also happen inside the 5 s window, so it is done here when the person
    // asked for it by the option; the session runner's setClock after acquire is usually too late.
    if (this.setClockWhenOff && this.skewMs !== undefined && Math.abs(this.skewMs) > DEFAULT_CLOCK_SKEW_THRESHOLD_MS) await this.setClock(this.ctx.clock.now(), signal);
    if (this.format === 'df13') return;
    await this.ctx.link.write(COMMAND.selectFormat(this.format));
    const answer = await this.waitFor((f) => f.kind === 'ack' || f.kind === 'nak', REPLY_WAIT_MS, signal);
    if (answer?.kind !== 'ack') {
      const why = answer ? 'refused (NAK)' : 'was not answered';
      this.ctx.emit({ type: 'problem', code: 'PROTOCOL_UNEXPECTED', message: `selecting ${this.format.toUpperCase()} ${why}; the oximeter only takes commands in the first 5 s of a connection` });
    }
  }

  async identify(_signal: AbortSignal): Promise<DeviceIdentity> {
    return IDENTITY;
  }

  async acquire(signal: AbortSignal): Promise<void> {
    const reader = this.frameReader();
    const early = this.early;
    this.early = [];
    for (const frame of early) this.onFrame(frame);
    for (let frame = await reader.next(signal); frame !== undefined; frame = await reader.next(signal)) this.onFrame(frame);
  }

  async close(): Promise<void> {
    this.reader?.dispose();
  }

  /** DF8/DF7: the assistant's Capture from the newest valid sample. DF13 has nothing to capture. */
  capture(): boolean {
    return this.format !== 'df13' && this.oximetry.capture();
  }

  /**
   * Set the device clock (local time of `epochMs`). The command has no reply, and the oximeter
   * takes commands only in the first 5 s of a connection (PROTOCOL.md §2): later it may be ignored.
   */
  async setClock(epochMs: number, _signal: AbortSignal): Promise<void> {
    const t = new Date(epochMs);
    await this.ctx.link.write(COMMAND.setClock(t.getFullYear(), t.getMonth() + 1, t.getDate(), t.getHours(), t.getMinutes(), t.getSeconds()));
  }

  private frameReader(): FrameReader<OnyxFrame> {
    this.reader ??= new FrameReader(this.ctx, this.framer);
    return this.reader;
  }

  /** Wait for a frame that `wanted` accepts; data frames met on the way are kept for acquire. */
  private async waitFor(wanted: (f: OnyxFrame) => boolean, ms: number, signal: AbortSignal): Promise<OnyxFrame | undefined> {
    return this.frameReader().find(signal, { clock: this.ctx.clock, ms }, wanted, (frame) => this.early.push(frame));
  }

  private onClock(bytes: Uint8Array): void {
    const decoded = decodeClockReply(bytes);
    if (!decoded.ok) {
      this.ctx.emit({ type: 'problem', code: decoded.code, message: decoded.message, raw: bytes });
      return;
    }
    this.skewMs = this.ctx.clock.now() - localToEpochMs(decoded.value);
    this.ctx.emit({ type: 'device-clock', deviceTime: decoded.value, skewMs: this.skewMs, canSet: true });
  }

  private onFrame(frame: OnyxFrame): void {
    switch (frame.kind) {
      case 'df13':
        return this.onSpotCheck(frame.bytes);
      case 'df8':
        return this.onDisplay(normalizeDisplay(decodeDf8(frame.bytes)), frame.bytes);
      case 'df7': {
        const out = this.df7.push(frame.bytes);
        if (out.problem) this.ctx.emit({ type: 'problem', code: 'PROTOCOL_GARBAGE', message: out.problem, raw: frame.bytes });
        if (out.sample) this.onDisplay(normalizeDisplay(out.sample.value), out.sample.raw);
        return;
      }
      case 'clock':
        return this.onClock(frame.bytes);
      default:
        // A late ACK/NAK says nothing more than open already reported.
        return;
    }
  }

  private onSpotCheck(bytes: Uint8Array): void {
    const decoded = decodeSpotCheck(bytes);
    if (!decoded.ok) {
      this.ctx.emit({ type: 'problem', code: decoded.code, message: decoded.message, raw: bytes });
      return;
    }
    const record = decoded.value;
    const reading = normalizeSpotCheck(record);
    // No measurement (NOMS, or a missing value) is no reading (PROTOCOL.md §7).
    if (!reading.valid) return;
    const draft: ReadingDraft = {
      device: IDENTITY,
      kind: 'patient',
      deviceTime: record.deviceTime,
      timeBasis: record.fromMemory ? 'stored' : 'live',
      observations: reading.observations,
      flags: reading.flags,
      raw: [record.raw],
    };
    if (record.fromMemory && this.skewMs !== undefined) draft.deviceClockSkewMs = this.skewMs;
    this.ctx.emit({ type: 'reading', draft });
  }

  private onDisplay(reading: OnyxReading, raw: Uint8Array): void {
    const at = onBeat(this.lastAt, this.ctx.clock.now(), DF8_PERIOD_MS);
    this.lastAt = at;
    this.oximetry.offer(at, { reading, raw });
  }

  private emitLive(item: Item, window: readonly Item[], how: CaptureHow): void {
    const raw = window.map((i) => i.raw);
    const draft: ReadingDraft = { device: IDENTITY, kind: 'patient', timeBasis: 'live', observations: item.reading.observations, flags: [...item.reading.flags, how], raw };
    this.ctx.emit({ type: 'reading', draft });
  }
}

/** A session of the Onyx 9560 driver (the `Driver` contract's factory). */
export const createSession = (context: DriverContext): DriverSession => new OnyxSession(context);

/** Nonin Onyx II 9560 / WristOx2 3150 over Bluetooth SPP: DF13 spot checks, or DF8/DF7 streams. */
export const noninOnyx9560Driver: Driver = { manifest, createSession, simulator, traceAnnotator, decodeProbe };
