import { HubError } from '../../../shared/errors.ts';
import type { DeviceIdentity } from '../../../shared/reading.ts';
import { describeBytes, type Driver, type DriverContext, type DriverSession, FrameReader } from '../../kit/index.ts';
import { decodeRecord } from './decode.ts';
import { manifest } from './manifest.ts';
import { errorMessage, normalizeResults } from './normalize.ts';
import { DATE_ORDERS, createRecordFramer, type DateOrder } from './protocol.ts';
import { simulator } from './simulator.ts';
import { traceAnnotator } from './trace.ts';
import { decodeProbe } from './decode-probe.ts';

/** The wire carries no model or serial number; this is what we know of the device. */
export const CLINITEK_DEVICE: DeviceIdentity = { manufacturer: 'Siemens', model: 'Clinitek Status / Status+' };

/** Longest stretch of a rejected line quoted in a problem message, in bytes. */
const QUOTE_BYTES = 60;

/** The `dateOrder` option, checked: a wrong value is a configuration error, said plainly. */
function dateOrderOption(value: unknown): DateOrder {
  if ((DATE_ORDERS as readonly unknown[]).includes(value)) return value as DateOrder;
  throw new HubError('CONFIG_INVALID', `the Clinitek option dateOrder must be 'dmy' or 'mdy', not '${String(value)}'`);
}

/**
 * A session with a Clinitek Status: a discrete device that pushes one record per strip. The
 * driver never writes; it frames lines, decodes them, and makes one reading per valid result
 * record. An error record is a DEVICE_ERROR problem; a malformed line is PROTOCOL_GARBAGE.
 */
export function createSession(ctx: DriverContext): DriverSession {
  const dateOrder = dateOrderOption(ctx.options['dateOrder'] ?? 'dmy');
  let reader: FrameReader<Uint8Array> | undefined;
  /** Lines a probe read, handed to acquire so a result that arrived during the probe is not lost. */
  const held: Uint8Array[] = [];

  const frames = (): FrameReader<Uint8Array> => (reader ??= new FrameReader<Uint8Array>(ctx, createRecordFramer()));

  const handle = (line: Uint8Array): void => {
    const outcome = decodeRecord(line, { dateOrder });
    if (!outcome.ok) {
      if (outcome.silent) return;
      ctx.emit({
        type: 'problem',
        code: 'PROTOCOL_GARBAGE',
        message: `Clinitek line rejected (${outcome.reason}): ${describeBytes(line, QUOTE_BYTES)}`,
        raw: line,
      });
      return;
    }
    if (outcome.noise.length > 0) {
      ctx.emit({ type: 'problem', code: 'PROTOCOL_GARBAGE', message: `${outcome.noise.length} noise byte(s) before a record skipped: ${describeBytes(outcome.noise, QUOTE_BYTES)}`, raw: outcome.noise });
    }
    const { record } = outcome;
    if (record.type === 'error') {
      ctx.emit({ type: 'problem', code: 'DEVICE_ERROR', message: errorMessage(record), raw: line });
      return;
    }
    const { observations, flags, context } = normalizeResults(record);
    ctx.emit({
      type: 'reading',
      draft: {
        device: { ...CLINITEK_DEVICE },
        kind: 'patient',
        deviceTime: record.deviceTime,
        timeBasis: 'live',
        observations,
        flags,
        context,
        raw: [line],
      },
    });
  };

  return {
    async probe(signal) {
      // The analyzer only speaks after a strip is read: wait up to the probe deadline for one
      // line that decodes (a result or an error record).
      const reader = frames();
      const until = ctx.clock.now() + manifest.deadlines.probeMs;
      for (;;) {
        const left = until - ctx.clock.now();
        if (left <= 0 || signal.aborted) return false;
        const line = await reader.next(signal, { clock: ctx.clock, ms: left });
        if (line === undefined) return false;
        held.push(line);
        if (decodeRecord(line, { dateOrder }).ok) return true;
      }
    },
    async open() {
      frames();
    },
    async identify() {
      return { ...CLINITEK_DEVICE };
    },
    async acquire(signal) {
      const reader = frames();
      for (let line = held.shift(); line !== undefined; line = held.shift()) handle(line);
      for (;;) {
        const line = await reader.next(signal);
        if (line === undefined) return;
        handle(line);
      }
    },
    async close() {
      reader?.dispose();
    },
  };
}

/** Siemens Clinitek Status / Status+ urine strip reader: CSV records over RS-232 (PROTOCOL.md). */
export const siemensClinitekStatusDriver: Driver = { manifest, createSession, simulator, traceAnnotator, decodeProbe };
