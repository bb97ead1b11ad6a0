import type { DeviceIdentity } from '../../../shared/reading.ts';
import { localToEpochMs } from '../../../shared/time.ts';
import { describeBytes, type Driver, type DriverContext, type DriverSession, type ReadingDraft } from '../../kit/index.ts';
import type { CaptureHow } from '../../families/oximetry/capture.ts';
import { OximeterSession } from '../../families/oximetry/oximeter-session.ts';
import { decodeLine, type Rad8Record } from './decode.ts';
import { manifest } from './manifest.ts';
import { normalize, type Rad8Sample } from './normalize.ts';
import { createLineFramer } from './protocol.ts';
import { simulator } from './simulator.ts';
import { traceAnnotator } from './trace.ts';
import { decodeProbe } from './decode-probe.ts';

/** The device does not say which model it is; ASCII 1 is the same on all of them (PROTOCOL.md §3). */
const MODEL = 'Rad-8 / Radical-7 / Rad-87';
const MANUFACTURER = 'Masimo';

/** A decoded line with what we made of it; the item the stability window carries. */
interface Line {
  record: Rad8Record;
  sample: Rad8Sample;
  /** Device time in epoch ms (device local time read in the workstation's zone). */
  at: number;
}

/**
 * One session with a Masimo monitor in ASCII 1 mode (continuous, docs/adding-a-driver.md §2): every line is
 * shown live; a reading is made when SpO2 and pulse have been valid and stable for the window
 * (by the device's own clock), or when the assistant presses Capture.
 */
class Rad8Session extends OximeterSession<Uint8Array, Line> {
  private serial: string | undefined;

  constructor(ctx: DriverContext) {
    super(ctx, createLineFramer, manifest.deadlines.probeMs, (line) => line.sample);
  }

  /** Probe: true at the first line that decodes. */
  protected decodes(line: Uint8Array): boolean {
    return decodeLine(line).ok;
  }

  /** The monitor sends no identity on request; the serial comes with the lines (`SN=`). */
  async identify(_signal: AbortSignal): Promise<DeviceIdentity> {
    return this.identity();
  }


  private identity(): DeviceIdentity {
    return this.serial ? { manufacturer: MANUFACTURER, model: MODEL, serial: this.serial } : { manufacturer: MANUFACTURER, model: MODEL };
  }

  protected onFrame(raw: Uint8Array): void {
    const decoded = decodeLine(raw);
    if (!decoded.ok) {
      this.ctx.emit({ type: 'problem', code: decoded.code, message: `${decoded.message}: ${describeBytes(raw)}`, raw });
      return;
    }
    const { record } = decoded;
    if (record.serial && record.serial !== this.serial) {
      this.serial = record.serial;
      this.ctx.emit({ type: 'identity', device: this.identity() });
    }
    const line: Line = { record, sample: normalize(record), at: localToEpochMs(record.time) };
    // The window runs on the device's own clock (the time on each line).
    this.oximetry.offer(line.at, line);
  }

  protected emitReading(line: Line, window: readonly Line[], how: CaptureHow): void {
    const draft: ReadingDraft = {
      device: this.identity(),
      kind: 'patient',
      deviceTime: line.record.time,
      timeBasis: 'live',
      observations: line.sample.observations,
      flags: [...line.sample.flags, how],
      raw: window.map((l) => l.record.raw),
    };
    this.ctx.emit({ type: 'reading', draft });
  }
}

/** A session of the Rad-8 driver (the `Driver` contract's factory). */
export const createSession = (context: DriverContext): DriverSession => new Rad8Session(context);

/** Masimo Rad-8 / Radical-7 / Rad-87 / Radical-5 pulse oximeters, serial output "ASCII 1". */
export const masimoRad8Driver: Driver = { manifest, createSession, simulator, traceAnnotator, decodeProbe };
