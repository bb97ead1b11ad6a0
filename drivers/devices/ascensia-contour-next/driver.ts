import { HubError } from '../../../shared/errors.ts';
import type { DeviceIdentity } from '../../../shared/reading.ts';
import { localToEpochMs } from '../../../shared/time.ts';
import { describeBytes, type Driver, type DriverContext, type DriverSession } from '../../kit/index.ts';
import type { AstmReceivedRecord } from '../../families/astm/receiver.ts';
import { AstmRecordSplitter, type AstmRecord } from '../../families/astm/records.ts';
import { meterClockSkewMs } from '../../families/glucose/observations.ts';
import { Conversation } from './conversation.ts';
import { decodeHeader, decodeResult, terminationCode, type ContourHeader } from './decode.ts';
import { manifest } from './manifest.ts';
import { normalizeResult } from './normalize.ts';
import { setMeterClock } from './set-clock.ts';
import { simulator } from './simulator.ts';
import { traceAnnotator } from './trace.ts';
import { decodeProbe } from './decode-probe.ts';

/** What the session knows of the meter from its header. */
function contourIdentity(header: ContourHeader): DeviceIdentity {
  const identity: DeviceIdentity = { manufacturer: manifest.manufacturer, model: header.model };
  if (header.serial) identity.serial = header.serial;
  if (header.versions.length > 0) identity.firmware = header.versions.join('/');
  return identity;
}

/**
 * A download from a Contour meter: the header (identity, clock, record count), then one reading
 * per result record until the meter's terminator or EOT. The transfer restarts that some meters
 * make (PROTOCOL.md §4) repeat records; a result seen before in this session is not emitted again.
 */
class ContourSession implements DriverSession {
  private readonly transfer: Conversation;
  private readonly splitter = new AstmRecordSplitter();
  private header: ContourHeader | undefined;
  private readonly seen = new Set<string>();

  constructor(private readonly ctx: DriverContext) {
    this.transfer = new Conversation(ctx);
  }

  async probe(signal: AbortSignal): Promise<boolean> {
    return this.transfer.probe(signal, manifest.deadlines.probeMs);
  }

  async open(): Promise<void> {
    // Nothing to configure: the meter wakes on the first report (identify).
  }

  async identify(signal: AbortSignal): Promise<DeviceIdentity> {
    return contourIdentity(await this.readHeader(signal));
  }

  async acquire(signal: AbortSignal): Promise<void> {
    const header = await this.readHeader(signal);
    const device = contourIdentity(header);
    let skewMs: number | undefined;
    if (header.meterTime) {
      skewMs = meterClockSkewMs(localToEpochMs(header.meterTime), this.ctx.clock.now());
      this.ctx.emit({ type: 'device-clock', deviceTime: header.meterTime, skewMs, canSet: true });
    }
    const announced = header.recordCount ?? 0;
    let total = announced;
    let done = 0;
    this.ctx.emit({ type: 'progress', done, total });
    let terminated = false;
    for (;;) {
      const received = await this.transfer.nextRecord(signal);
      if (!received) break;
      const record = this.split(received);
      if (record.type === 'R') {
        // A restarted transfer sends the same records again: the same text is the same result.
        if (this.seen.has(received.text)) continue;
        this.seen.add(received.text);
        done++;
        total = Math.max(total, done);
        this.result(record, received, device, skewMs);
        this.ctx.emit({ type: 'progress', done, total });
      } else if (record.type === 'L') {
        terminated = true;
        const code = terminationCode(record);
        if (code !== '' && code !== 'N') this.problem('DEVICE_ERROR', `the meter ended its message with termination code ${code} (not N, normal)`, received);
        await this.transfer.finish(signal);
        break;
      } else if (record.type !== 'P' && record.type !== 'H') {
        // H again: the meter restarted its transfer (handled above). P carries nothing for us.
        this.problem('PROTOCOL_UNEXPECTED', `record type "${record.type || record.text.slice(0, 1)}" skipped`, received);
      }
    }
    if (!terminated && done < announced) {
      this.ctx.emit({ type: 'problem', code: 'PROTOCOL_TRUNCATED', message: `the meter ended its transfer after ${done} of the ${announced} results it announced` });
    }
    // The download is over: whatever the header announced, what arrived is the whole.
    if (done !== total) this.ctx.emit({ type: 'progress', done, total: done });
  }

  async setClock(epochMs: number, signal: AbortSignal): Promise<void> {
    await setMeterClock(this.transfer, this.ctx, this.header, epochMs, signal);
  }

  async close(): Promise<void> {
    this.transfer.dispose();
  }

  private async readHeader(signal: AbortSignal): Promise<ContourHeader> {
    if (this.header) return this.header;
    for (;;) {
      const received = await this.transfer.nextRecord(signal);
      if (!received) {
        throw new HubError('DEVICE_NO_RESPONSE', 'the meter ended its transfer before sending its header; unplug it, wait until its screen is off, plug it in and try again');
      }
      const record = this.split(received);
      const decoded = decodeHeader(record);
      if (!decoded.ok) {
        this.problem('PROTOCOL_UNEXPECTED', `${decoded.reason} before the header, skipped`, received);
        continue;
      }
      for (const warning of decoded.value.warnings) this.problem('PROTOCOL_UNEXPECTED', `header: ${warning}`, received);
      this.header = decoded.value;
      return decoded.value;
    }
  }

  private split(received: AstmReceivedRecord): AstmRecord {
    const { record, problem } = this.splitter.split(received.text);
    if (problem) this.problem('PROTOCOL_UNEXPECTED', problem, received);
    return record;
  }

  private result(record: AstmRecord, received: AstmReceivedRecord, device: DeviceIdentity, skewMs: number | undefined): void {
    const decoded = decodeResult(record);
    if (!decoded.ok) {
      this.problem('PROTOCOL_GARBAGE', `result record skipped: ${decoded.reason}: ${describeBytes(received.frames[0] ?? new Uint8Array(), 80)}`, received);
      return;
    }
    const result = decoded.value;
    const normalized = normalizeResult(result, this.header ?? { range: undefined, displayUnit: undefined });
    this.ctx.emit({
      type: 'reading',
      draft: {
        device: { ...device },
        kind: normalized.kind,
        deviceTime: result.deviceTime,
        timeBasis: 'stored',
        ...(skewMs === undefined ? {} : { deviceClockSkewMs: skewMs }),
        observations: normalized.observations,
        flags: normalized.flags,
        ...(normalized.context ? { context: normalized.context } : {}),
        raw: received.frames,
      },
    });
  }

  private problem(code: 'PROTOCOL_UNEXPECTED' | 'PROTOCOL_GARBAGE' | 'DEVICE_ERROR', message: string, received: AstmReceivedRecord): void {
    this.ctx.emit({ type: 'problem', code, message: `Contour: ${message}`, raw: received.frames[0] ?? new Uint8Array() });
  }
}

/** The driver's session factory. */
export function createSession(ctx: DriverContext): DriverSession {
  return new ContourSession(ctx);
}

/** Ascensia / Bayer Contour meters over USB HID (`ABC` reports carrying ASTM frames; PROTOCOL.md). */
export const ascensiaContourNextDriver: Driver = { manifest, createSession, simulator, traceAnnotator, decodeProbe };
