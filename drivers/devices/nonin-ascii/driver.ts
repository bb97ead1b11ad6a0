import type { DeviceIdentity } from '../../../shared/reading.ts';
import { describeBytes, type Driver, type DriverContext, type DriverSession, FrameReader, type ReadingDraft, StabilityWindow } from '../../kit/index.ts';
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
  private readonly window: StabilityWindow<Line>;
  private readonly autoCapture: boolean;
  /** The newest data line, valid or not: Capture takes it only when it is valid. */
  private newest: Line | undefined;
  /** The time the previous data line stood for (cadence.ts). */
  private lastAt: number | undefined;

  constructor(private readonly ctx: DriverContext) {
    this.autoCapture = ctx.options['autoCapture'] !== false;
    this.window = new StabilityWindow<Line>({
      windowMs: numberOption(ctx, 'stabilityWindowSeconds') * 1000,
      tolerances: { spo2: numberOption(ctx, 'spo2Tolerance'), pulse: numberOption(ctx, 'pulseTolerance') },
    });
  }

  /** Does a Nonin oximeter talk on this link? True at the first data line (headers do not count). */
  async probe(signal: AbortSignal): Promise<boolean> {
    const reader = this.lineReader();
    const end = this.ctx.clock.now() + manifest.deadlines.probeMs;
    for (;;) {
      const left = end - this.ctx.clock.now();
      if (left <= 0 || signal.aborted) return false;
      const line = await reader.next(signal, { clock: this.ctx.clock, ms: left });
      if (line === undefined) return false;
      if (decodeLine(line).ok) return true;
    }
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
    const line = this.newest;
    if (!line?.sample.valid) return false;
    this.window.disarm();
    this.emitReading(line, [line.record.raw], 'manual-capture');
    return true;
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
    const sample = normalize(record);
    const line: Line = { record, sample };
    const at = lineTime(this.lastAt, this.ctx.clock.now());
    this.lastAt = at;
    this.newest = line;
    this.ctx.emit({ type: 'live', at, observations: sample.observations, flags: sample.flags, valid: sample.valid });
    const captured = this.window.push({ at, valid: sample.valid, values: sample.values as Record<string, number>, item: line });
    if (captured && this.autoCapture) this.emitReading(line, captured.map((s) => s.item.record.raw), 'auto-capture');
  }

  private emitReading(line: Line, raw: Uint8Array[], how: 'auto-capture' | 'manual-capture'): void {
    const draft: ReadingDraft = { device: IDENTITY, kind: 'patient', timeBasis: 'live', observations: line.sample.observations, flags: [...line.sample.flags, how], raw };
    this.ctx.emit({ type: 'reading', draft });
  }
}

function numberOption(ctx: DriverContext, key: string): number {
  const value = ctx.options[key];
  const fallback = manifest.options.find((o) => o.key === key)?.default;
  return typeof value === 'number' ? value : (fallback as number);
}

/** A session of the Nonin ASCII driver (the `Driver` contract's factory). */
export const createSession = (context: DriverContext): DriverSession => new NoninAsciiSession(context);

/** Nonin wired oximeters (2500, 8500, 9847, 8600V, BT4000, Avant 9600, 7500FO), ASCII real-time output. */
export const noninAsciiDriver: Driver = { manifest, createSession, simulator, traceAnnotator, decodeProbe };
