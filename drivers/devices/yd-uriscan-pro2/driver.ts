import type { DeviceIdentity } from '../../../shared/reading.ts';
import { FrameReader, describeBytes, type Driver, type DriverContext, type DriverSession } from '../../kit/index.ts';
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
export function createSession(ctx: DriverContext): DriverSession {
  let reader: FrameReader<Uint8Array> | undefined;
  /** Reports a probe read, handed to acquire so a result that arrived during the probe is not lost. */
  const held: Uint8Array[] = [];
  const frames = (): FrameReader<Uint8Array> => (reader ??= new FrameReader<Uint8Array>(ctx, createReportFramer()));

  const emitReading = (report: UriscanReport, frame: Uint8Array): void => {
    if (report.dateProblem !== undefined) {
      ctx.emit({
        type: 'problem',
        code: 'PROTOCOL_UNEXPECTED',
        message: `URiSCAN report date not read (${report.dateProblem}); the reading keeps the hub's received time`,
        raw: frame,
      });
    }
    const { observations, context } = normalizeReport(report);
    ctx.emit({
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
  };

  const handle = (frame: Uint8Array): void => {
    const outcome = decodeReport(frame);
    if (outcome.ok) return emitReading(outcome.report, frame);
    ctx.emit({ type: 'problem', code: outcome.code, message: `URiSCAN report rejected (${outcome.reason}): ${describeBytes(frame, QUOTE_BYTES)}`, raw: frame });
  };

  return {
    async probe(signal) {
      // The analyzer speaks only after a strip is read: wait up to the probe deadline for one report.
      const reader = frames();
      const until = ctx.clock.now() + manifest.deadlines.probeMs;
      for (;;) {
        const left = until - ctx.clock.now();
        if (left <= 0 || signal.aborted) return false;
        const frame = await reader.next(signal, { clock: ctx.clock, ms: left });
        if (frame === undefined) return false;
        held.push(frame);
        if (decodeReport(frame).ok) return true;
      }
    },
    async open() {
      frames();
    },
    async identify() {
      return { ...URISCAN_DEVICE };
    },
    async acquire(signal) {
      const reader = frames();
      for (let frame = held.shift(); frame !== undefined; frame = held.shift()) handle(frame);
      for (;;) {
        const frame = await reader.next(signal);
        if (frame === undefined) return;
        handle(frame);
      }
    },
    async close() {
      reader?.dispose();
    },
  };
}

/** YD Diagnostics URiSCAN PRO II: fixed-layout STX … ETX reports over RS-232 (PROTOCOL.md). */
export const ydUriscanPro2Driver: Driver = { manifest, createSession, simulator, traceAnnotator, decodeProbe };
