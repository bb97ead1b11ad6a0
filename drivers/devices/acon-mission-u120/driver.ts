import type { DeviceIdentity } from '../../../shared/reading.ts';
import { StreamingSession, describeBytes, type Driver, type DriverContext, type DriverSession, type Timer } from '../../kit/index.ts';
import { decodeProbe } from './decode-probe.ts';
import { decodeReport } from './decode.ts';
import { manifest } from './manifest.ts';
import { normalizeReport } from './normalize.ts';
import { REPORT_IDLE_MS, ReportFramer } from './protocol.ts';
import { simulator } from './simulator.ts';
import { traceAnnotator } from './trace.ts';

/** The report carries no model or serial number; this is what we know of the device. */
export const U120_DEVICE: DeviceIdentity = { manufacturer: 'ACON Laboratories', model: 'Mission U120 / Consult 120' };

/** Longest stretch of a rejected report quoted in a problem message, in bytes. */
const QUOTE_BYTES = 80;

/**
 * A session with a Mission U120 / Consult 120: a discrete device that pushes one STX … ETX report
 * per sample. The driver never writes. A whole report that decodes is one reading; a report cut
 * short (a new STX before its ETX, no ETX within {@link REPORT_IDLE_MS}, the link ending) or one
 * that breaks the grammar is a problem and no reading, and the next report is read as usual.
 */
class U120Session extends StreamingSession<Uint8Array> {
  private idleFlush = false;
  /** Armed while a report is open; restarted by every chunk; fires after REPORT_IDLE_MS of silence. */
  private idleTimer: Timer | undefined;
  private readonly framer: ReportFramer;

  constructor(ctx: DriverContext) {
    const framer = new ReportFramer({
      afterPush: () => {
        this.idleTimer?.cancel();
        this.idleTimer = framer.open ? ctx.clock.setTimer(REPORT_IDLE_MS, () => this.giveUpStalledReport()) : undefined;
      },
      idleFlush: () => this.idleFlush,
    });
    // Every frame is a sample's result: those read while probing are kept for acquire.
    super(ctx, () => framer, manifest.deadlines.probeMs, true);
    this.framer = framer;
  }

  /** A report open and quiet for REPORT_IDLE_MS: give it up (the framer's flush reports it). */
  private giveUpStalledReport(): void {
    this.idleTimer = undefined;
    if (!this.framer.open) return;
    this.idleFlush = true;
    this.frames().discard();
    this.idleFlush = false;
  }

  protected decodes(frame: Uint8Array): boolean {
    return decodeReport(frame).ok;
  }

  protected onFrame(frame: Uint8Array): void {
    const outcome = decodeReport(frame);
    if (!outcome.ok) {
      this.ctx.emit({ type: 'problem', code: 'PROTOCOL_GARBAGE', message: `U120 report rejected (${outcome.reason}): ${describeBytes(frame, QUOTE_BYTES)}`, raw: frame });
      return;
    }
    const { report } = outcome;
    const { observations, flags, context } = normalizeReport(report);
    this.ctx.emit({
      type: 'reading',
      draft: {
        device: { ...U120_DEVICE },
        kind: 'patient',
        ...(report.date ? { deviceTime: report.date.deviceTime } : {}),
        timeBasis: 'live',
        observations,
        flags,
        ...(context ? { context } : {}),
        raw: [frame],
      },
    });
  }

  async identify(): Promise<DeviceIdentity> {
    return { ...U120_DEVICE };
  }

  override async close(): Promise<void> {
    this.idleTimer?.cancel();
    this.idleTimer = undefined;
    await super.close();
  }
}

export function createSession(ctx: DriverContext): DriverSession {
  return new U120Session(ctx);
}

/** ACON Mission U120 / McKesson Consult 120 urine strip reader: STX … ETX text reports (PROTOCOL.md). */
export const aconMissionU120Driver: Driver = { manifest, createSession, simulator, traceAnnotator, decodeProbe };
