import type { DeviceIdentity } from '../../../shared/reading.ts';
import { describeBytes, type Driver, type DriverContext, type DriverSession, type ReadingDraft } from '../../kit/index.ts';
import type { CaptureHow } from '../../families/oximetry/capture.ts';
import { OximeterSession } from '../../families/oximetry/oximeter-session.ts';
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
class NoninAsciiSession extends OximeterSession<Uint8Array, Line> {
  /** The time the previous data line stood for (cadence.ts). */
  private lastAt: number | undefined;

  constructor(ctx: DriverContext) {
    super(ctx, createLineFramer, manifest.deadlines.probeMs, (line) => line.sample);
  }

  /** Probe: true at the first data line (headers do not count). */
  protected decodes(line: Uint8Array): boolean {
    return decodeLine(line).ok;
  }

  /** The oximeter answers nothing and prints no identity in its data lines. */
  async identify(_signal: AbortSignal): Promise<DeviceIdentity> {
    return IDENTITY;
  }

  protected onFrame(raw: Uint8Array): void {
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

  protected emitReading(line: Line, window: readonly Line[], how: CaptureHow): void {
    const raw = window.map((l) => l.record.raw);
    const draft: ReadingDraft = { device: IDENTITY, kind: 'patient', timeBasis: 'live', observations: line.sample.observations, flags: [...line.sample.flags, how], raw };
    this.ctx.emit({ type: 'reading', draft });
  }
}

/** A session of the Nonin ASCII driver (the `Driver` contract's factory). */
export const createSession = (context: DriverContext): DriverSession => new NoninAsciiSession(context);

/** Nonin wired oximeters (2500, 8500, 9847, 8600V, BT4000, Avant 9600, 7500FO), ASCII real-time output. */
export const noninAsciiDriver: Driver = { manifest, createSession, simulator, traceAnnotator, decodeProbe };
