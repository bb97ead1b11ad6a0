import { HubError } from '../../../shared/errors.ts';
import type { DeviceIdentity } from '../../../shared/reading.ts';
import { StreamingSession, describeBytes, type Driver, type DriverContext, type DriverSession } from '../../kit/index.ts';
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
class ClinitekStatusSession extends StreamingSession<Uint8Array> {
  private readonly dateOrder: DateOrder;

  constructor(ctx: DriverContext) {
    // Every line is a strip's result: those read while probing are kept for acquire.
    super(ctx, createRecordFramer, manifest.deadlines.probeMs, true);
    this.dateOrder = dateOrderOption(ctx.options['dateOrder'] ?? 'dmy');
  }

  /** A line that decodes: a result or an error record. */
  protected decodes(line: Uint8Array): boolean {
    return decodeRecord(line, { dateOrder: this.dateOrder }).ok;
  }

  protected onFrame(line: Uint8Array): void {
    const outcome = decodeRecord(line, { dateOrder: this.dateOrder });
    if (!outcome.ok) {
      if (outcome.silent) return;
      this.ctx.emit({
        type: 'problem',
        code: 'PROTOCOL_GARBAGE',
        message: `Clinitek line rejected (${outcome.reason}): ${describeBytes(line, QUOTE_BYTES)}`,
        raw: line,
      });
      return;
    }
    if (outcome.noise.length > 0) {
      this.ctx.emit({ type: 'problem', code: 'PROTOCOL_GARBAGE', message: `${outcome.noise.length} noise byte(s) before a record skipped: ${describeBytes(outcome.noise, QUOTE_BYTES)}`, raw: outcome.noise });
    }
    const { record } = outcome;
    if (record.type === 'error') {
      this.ctx.emit({ type: 'problem', code: 'DEVICE_ERROR', message: errorMessage(record), raw: line });
      return;
    }
    const { observations, flags, context } = normalizeResults(record);
    this.ctx.emit({
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
  }

  async identify(): Promise<DeviceIdentity> {
    return { ...CLINITEK_DEVICE };
  }
}

export function createSession(ctx: DriverContext): DriverSession {
  return new ClinitekStatusSession(ctx);
}

/** Siemens Clinitek Status / Status+ urine strip reader: CSV records over RS-232 (PROTOCOL.md). */
export const siemensClinitekStatusDriver: Driver = { manifest, createSession, simulator, traceAnnotator, decodeProbe };
