import type { DeviceIdentity } from '../../../shared/reading.ts';
import { FrameReader, describeBytes, type Driver, type DriverContext, type DriverSession, type Timer } from '../../kit/index.ts';
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
export function createSession(ctx: DriverContext): DriverSession {
  let idleFlush = false;
  /** Armed while a report is open; restarted by every chunk; fires after REPORT_IDLE_MS of silence. */
  let idleTimer: Timer | undefined;
  let reader: FrameReader<Uint8Array> | undefined;
  /** A report open and quiet for REPORT_IDLE_MS: give it up (the framer's flush reports it). */
  const giveUpStalledReport = (): void => {
    idleTimer = undefined;
    if (!framer.open || !reader) return;
    idleFlush = true;
    reader.discard();
    idleFlush = false;
  };
  const framer = new ReportFramer({
    afterPush: () => {
      idleTimer?.cancel();
      idleTimer = framer.open ? ctx.clock.setTimer(REPORT_IDLE_MS, giveUpStalledReport) : undefined;
    },
    idleFlush: () => idleFlush,
  });
  /** Reports a probe read, handed to acquire so a result that arrived during the probe is not lost. */
  const held: Uint8Array[] = [];
  const frames = (): FrameReader<Uint8Array> => (reader ??= new FrameReader<Uint8Array>(ctx, framer));

  const handle = (frame: Uint8Array): void => {
    const outcome = decodeReport(frame);
    if (!outcome.ok) {
      ctx.emit({ type: 'problem', code: 'PROTOCOL_GARBAGE', message: `U120 report rejected (${outcome.reason}): ${describeBytes(frame, QUOTE_BYTES)}`, raw: frame });
      return;
    }
    const { report } = outcome;
    const { observations, flags, context } = normalizeReport(report);
    ctx.emit({
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
  };

  return {
    async probe(signal) {
      // The analyzer speaks only when a result is printed: wait up to the probe deadline for one
      // report that decodes.
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
      return { ...U120_DEVICE };
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
      idleTimer?.cancel();
      idleTimer = undefined;
      reader?.dispose();
    },
  };
}

/** ACON Mission U120 / McKesson Consult 120 urine strip reader: STX … ETX text reports (PROTOCOL.md). */
export const aconMissionU120Driver: Driver = { manifest, createSession, simulator, traceAnnotator, decodeProbe };
