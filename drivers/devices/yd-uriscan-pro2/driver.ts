import type { DeviceIdentity } from '../../../shared/reading.ts';
import { StreamingSession, describeBytes, type Driver, type DriverContext, type DriverSession } from '../../kit/index.ts';
import { decodeProbe } from './decode-probe.ts';
import { decodeReport, type UriscanReport } from './decode.ts';
import { manifest } from './manifest.ts';
import { normalizeReport } from './normalize.ts';
import { createReportFramer } from './protocol.ts';
import { simulator } from './simulator.ts';
import { traceAnnotator } from './trace.ts';

/** The report names no model or serial; this is what we know of the device. */
export const URISCAN_DEVICE: DeviceIdentity = { manufacturer: 'YD Diagnostics', model: 'URiSCAN PRO II' };

/** Longest stretch of a rejected report quoted in a problem message, in bytes. */
const QUOTE_BYTES = 80;

/**
 * A session with a URiSCAN PRO II: a discrete device that pushes one STX … ETX report per
 * strip. The driver never writes. A whole, readable report is one reading; a report cut short
 * (no ETX, a new STX first) is reported by the framer and makes none; a damaged one is
 * PROTOCOL_GARBAGE; a date that cannot be read leaves the reading without device time and is
 * reported (PROTOCOL.md §3–5).
 */
class UriscanSession extends StreamingSession<Uint8Array> {
  constructor(ctx: DriverContext) {
    // Every frame is a strip's result: those read while probing are kept for acquire.
    super(ctx, createReportFramer, manifest.deadlines.probeMs, true);
  }

  protected decodes(frame: Uint8Array): boolean {
    return decodeReport(frame).ok;
  }

  protected onFrame(frame: Uint8Array): void {
    const outcome = decodeReport(frame);
    if (outcome.ok) return this.emitReading(outcome.report, frame);
    this.ctx.emit({ type: 'problem', code: outcome.code, message: `URiSCAN report rejected (${outcome.reason}): ${describeBytes(frame, QUOTE_BYTES)}`, raw: frame });
  }

  async identify(): Promise<DeviceIdentity> {
    return { ...URISCAN_DEVICE };
  }

  private emitReading(report: UriscanReport, frame: Uint8Array): void {
    if (report.dateProblem !== undefined) {
      this.ctx.emit({
        type: 'problem',
        code: 'PROTOCOL_UNEXPECTED',
        message: `URiSCAN report date not read (${report.dateProblem}); the reading keeps the hub's received time`,
        raw: frame,
      });
    }
    const { observations, context } = normalizeReport(report);
    this.ctx.emit({
      type: 'reading',
      draft: {
        device: { ...URISCAN_DEVICE },
        kind: 'patient',
        ...(report.deviceTime === undefined ? {} : { deviceTime: report.deviceTime }),
        timeBasis: 'live',
        observations,
        flags: [],
        ...(context === undefined ? {} : { context }),
        raw: [frame],
      },
    });
  }
}

export function createSession(ctx: DriverContext): DriverSession {
  return new UriscanSession(ctx);
}

/** YD Diagnostics URiSCAN PRO II: fixed-layout STX … ETX reports over RS-232 (PROTOCOL.md). */
export const ydUriscanPro2Driver: Driver = { manifest, createSession, simulator, traceAnnotator, decodeProbe };
