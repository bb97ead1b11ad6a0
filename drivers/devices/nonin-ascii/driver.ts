import type { DeviceIdentity } from '../../../shared/reading.ts';
import { describeBytes, type Driver, type DriverContext, type DriverSession, FrameReader, type ReadingDraft } from '../../kit/index.ts';
import { type CaptureHow, OximetryCapture } from '../../families/oximetry/capture.ts';
import { lineTime } from './cadence.ts';
import { decodeLine, type NoninRecord } from './decode.ts';
import { decodeProbe } from './decode-probe.ts';
import { manifest } from './manifest.ts';
import { normalize, type NoninSample } from './normalize.ts';
import { createLineFramer } from './protocol.ts';
import { simulator } from './simulator.ts';
import { traceAnnotator } from './trace.ts';

/** The lines do not say which model sends them (PROTOCOL.md §2), nor a serial number. */
const IDENTITY: DeviceIdentity = { manufacturer: 'Nonin', model: 'ASCII real-time (2500 / 8500 / 9847 / 8600V / BT4000 / Avant 9600 / 7500FO)' };

/** A decoded line with what we made of it; the item the stability window carries. */
interface Line {
  record: NoninRecord;
  sample: NoninSample;
}

/**
 * One session with a wired Nonin oximeter (continuous, docs/adding-a-driver.md §2): every data
 * line is shown live; a reading is made when SpO2 and pulse have been valid and stable for the
 * window, or when the assistant presses Capture. The window runs on the session clock at each
 * line's arrival, kept to the one-second beat (cadence.ts): the optional time prefix has no date and most models send none (PROTOCOL.md §5).
 */
class NoninAsciiSession implements DriverSession {
  private reader: FrameReader<Uint8Array> | undefined;
  private readonly oximetry: OximetryCapture<Line>;
  /** The time the previous data line stood for (cadence.ts). */
  private lastAt: number | undefined;

  constructor(private readonly ctx: DriverContext) {
    this.oximetry = new OximetryCapture<Line>(ctx, { sampleOf: (line) => line.sample, onReading: (line, window, how) => this.emitReading(line, window, how) });
  }

  /** Does a Nonin oximeter talk on this link? True at the first data line (headers do not count). */
  async probe(signal: AbortSignal): Promise<boolean> {
    const found = await this.lineReader().find(signal, { clock: this.ctx.clock, ms: manifest.deadlines.probeMs }, (line) => decodeLine(line).ok);
    return found !== undefined;
  }

  async open(_signal: AbortSignal): Promise<void> {
    this.lineReader();
  }

  /** The oximeter answers nothing and prints no identity in its data lines. */
  async identify(_signal: AbortSignal): Promise<DeviceIdentity> {
    return IDENTITY;
  }

  async acquire(signal: AbortSignal): Promise<void> {
    const reader = this.lineReader();
    for (let line = await reader.next(signal); line !== undefined; line = await reader.next(signal)) this.onLine(line);
  }

  async close(): Promise<void> {
    this.reader?.dispose();
  }

  /** The assistant's Capture: a reading from the newest line if it is valid. */
  capture(): boolean {
    return this.oximetry.capture();
  }

  private lineReader(): FrameReader<Uint8Array> {
    this.reader ??= new FrameReader(this.ctx, createLineFramer());
    return this.reader;
  }

  private onLine(raw: Uint8Array): void {
    const decoded = decodeLine(raw);
    if (!decoded.ok) {
      // The power-up header is expected and says nothing we use (PROTOCOL.md §4).
      if (!decoded.header) this.ctx.emit({ type: 'problem', code: decoded.code, message: `${decoded.message}: ${describeBytes(raw)}`, raw });
      return;
    }
    const { record } = decoded;
    const at = lineTime(this.lastAt, this.ctx.clock.now());
    this.lastAt = at;
    this.oximetry.offer(at, { record, sample: normalize(record) });
  }

  private emitReading(line: Line, window: readonly Line[], how: CaptureHow): void {
    const raw = window.map((l) => l.record.raw);
    const draft: ReadingDraft = { device: IDENTITY, kind: 'patient', timeBasis: 'live', observations: line.sample.observations, flags: [...line.sample.flags, how], raw };
    this.ctx.emit({ type: 'reading', draft });
  }
}

/** A session of the Nonin ASCII driver (the `Driver` contract's factory). */
export const createSession = (context: DriverContext): DriverSession => new NoninAsciiSession(context);

/** Nonin wired oximeters (2500, 8500, 9847, 8600V, BT4000, Avant 9600, 7500FO), ASCII real-time output. */
export const noninAsciiDriver: Driver = { manifest, createSession, simulator, traceAnnotator, decodeProbe };
