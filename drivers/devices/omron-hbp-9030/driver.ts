import type { DeviceIdentity } from '../../../shared/reading.ts';
import { describeBytes, type Driver, type DriverContext, type DriverSession, FrameReader } from '../../kit/index.ts';
import { decodeLine, type MeasurementRecord } from './decode.ts';
import { manifest } from './manifest.ts';
import { errorMessage, normalizeMeasurement } from './normalize.ts';
import { createLineFramer } from './protocol.ts';
import { simulator } from './simulator.ts';
import { traceAnnotator } from './trace.ts';
import { decodeProbe } from './decode-probe.ts';

/** The lines carry no model or serial; the layout tells the two models apart (PROTOCOL.md §2). */
const HBP_9030: DeviceIdentity = { manufacturer: 'Omron', model: 'HBP-9030' };
const HBP_9020: DeviceIdentity = { manufacturer: 'Omron', model: 'HBP-9020' };
/** Longest stretch of a rejected line quoted in a problem message, in bytes. */
const QUOTE_BYTES = 60;

const identityOf = (record: MeasurementRecord): DeviceIdentity => ({ ...(record.format === 'hbp-9020' ? HBP_9020 : HBP_9030) });

/**
 * A session with an HBP-9030 (discrete): the host never writes. Every valid line is one reading;
 * a line with an error code is a DEVICE_ERROR problem in plain words and no reading; a line that
 * does not decode is PROTOCOL_GARBAGE.
 */
export function createSession(ctx: DriverContext): DriverSession {
  let reader: FrameReader<Uint8Array> | undefined;
  /** Lines a probe read, handed to acquire so a measurement that arrived during the probe is kept. */
  const held: Uint8Array[] = [];
  const frames = (): FrameReader<Uint8Array> => (reader ??= new FrameReader<Uint8Array>(ctx, createLineFramer()));
  /** The model the lines showed so far: identify() can only guess HBP-9030 before any line arrives. */
  let model = HBP_9030.model;

  const handle = (line: Uint8Array): void => {
    const decoded = decodeLine(line);
    if (!decoded.ok) {
      ctx.emit({ type: 'problem', code: 'PROTOCOL_GARBAGE', message: `Omron line rejected (${decoded.reason}): ${describeBytes(line, QUOTE_BYTES)}`, raw: line });
      return;
    }
    const { record } = decoded;
    const device = identityOf(record);
    if (device.model !== model) {
      // A `bp` line: the device is an HBP-9020 (PROTOCOL.md §2.2); say so once for the port.
      model = device.model;
      ctx.emit({ type: 'identity', device });
    }
    const measurement = normalizeMeasurement(record);
    if (measurement === undefined) {
      ctx.emit({ type: 'problem', code: 'DEVICE_ERROR', message: errorMessage(record), raw: line });
      return;
    }
    ctx.emit({
      type: 'reading',
      draft: {
        device,
        kind: 'patient',
        deviceTime: record.deviceTime,
        timeBasis: 'live',
        observations: measurement.observations,
        flags: measurement.flags,
        ...(measurement.context ? { context: measurement.context } : {}),
        raw: [line],
      },
    });
  };

  return {
    async probe(signal) {
      // The monitor only speaks when a measurement ends: wait up to the probe deadline for one
      // line that decodes (a measurement or an error line).
      const lines = frames();
      const until = ctx.clock.now() + manifest.deadlines.probeMs;
      for (;;) {
        const left = until - ctx.clock.now();
        if (left <= 0 || signal.aborted) return false;
        const line = await lines.next(signal, { clock: ctx.clock, ms: left });
        if (line === undefined) return false;
        held.push(line);
        if (decodeLine(line).ok) return true;
      }
    },
    async open() {
      frames();
    },
    async identify() {
      return { ...HBP_9030 };
    },
    async acquire(signal) {
      const lines = frames();
      for (let line = held.shift(); line !== undefined; line = held.shift()) handle(line);
      for (;;) {
        const line = await lines.next(signal);
        if (line === undefined) return;
        handle(line);
      }
    },
    async close() {
      reader?.dispose();
    },
  };
}

/** Omron HBP-9030 / HBP-9020: one CSV line per blood-pressure measurement (PROTOCOL.md). */
export const omronHbp9030Driver: Driver = { manifest, createSession, simulator, traceAnnotator, decodeProbe };
