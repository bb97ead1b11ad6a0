import type { DeviceIdentity } from '../../../shared/reading.ts';
import { describeBytes, type Driver, type DriverContext, type DriverSession, FrameReader, sleep } from '../../kit/index.ts';
import { decodeProbe } from './decode-probe.ts';
import { ALGORITHM, decodeTemperatureRecord, isFinal, isOutOfRange, STATE, type TemperatureRecord } from './decode.ts';
import { manifest } from './manifest.ts';
import { normalizeTemperature, TEMPERATURE_UNITS, type TemperatureUnit } from './normalize.ts';
import { createFramer, type Packet, TEMPERATURE_POLL } from './protocol.ts';
import { simulator } from './simulator.ts';
import { traceAnnotator } from './trace.ts';

/** The protocol has no identity record the hub uses (PROTOCOL.md §3). */
const IDENTITY: DeviceIdentity = { manufacturer: 'Welch Allyn', model: 'SureTemp Plus module' };
/**
 * How often the record is polled. The module refreshes it every 173 ms and a final temperature
 * stays on it until the probe goes back (PROTOCOL.md §5): twice a second misses no result.
 */
export const POLL_PERIOD_MS = 500;
/** 28 bytes at 9600 baud are 29 ms; the rest is the module's turnaround. */
export const REPLY_TIMEOUT_MS = 300;

/**
 * A session with the module (discrete): poll the temperature record, and make one reading when
 * the record enters a final state with a temperature that is not the determination already
 * taken. The first record only sets the baseline: a result already showing when the hub
 * connects may belong to the previous patient (PROTOCOL.md §5).
 */
class SureTempSession implements DriverSession {
  private reader: FrameReader<Packet> | undefined;
  private readonly unit: TemperatureUnit;
  private last: TemperatureRecord | undefined;
  private lastError = 0;

  constructor(private readonly ctx: DriverContext) {
    const unit = ctx.options['unit'];
    this.unit = TEMPERATURE_UNITS.find((u) => u === unit) ?? 'Cel';
  }

  async probe(signal: AbortSignal): Promise<boolean> {
    const packet = await this.poll(signal);
    return packet !== undefined && decodeTemperatureRecord(packet).ok;
  }

  async open(): Promise<void> {
    this.packets();
  }

  async identify(): Promise<DeviceIdentity> {
    return { ...IDENTITY };
  }

  async acquire(signal: AbortSignal): Promise<void> {
    while (!this.over(signal)) {
      const started = this.ctx.clock.now();
      const packet = await this.poll(signal);
      if (packet) this.take(packet);
      const wait = started + POLL_PERIOD_MS - this.ctx.clock.now();
      if (wait > 0 && !this.over(signal)) await sleep(this.ctx.clock, wait, signal).catch(() => undefined);
    }
  }

  async close(): Promise<void> {
    this.reader?.dispose();
  }

  private packets(): FrameReader<Packet> {
    this.reader ??= new FrameReader(this.ctx, createFramer());
    return this.reader;
  }

  private over(signal: AbortSignal): boolean {
    return signal.aborted || this.ctx.link.closed || this.packets().ended;
  }

  /** Send the poll and wait for one packet; undefined on silence, end or abort. */
  private async poll(signal: AbortSignal): Promise<Packet | undefined> {
    const packets = this.packets();
    // A late reply to an earlier poll, or half of one, must not be taken for this one's.
    packets.discard();
    try {
      await this.ctx.link.write(TEMPERATURE_POLL);
    } catch {
      return undefined;
    }
    return packets.next(signal, { clock: this.ctx.clock, ms: REPLY_TIMEOUT_MS });
  }

  private take(packet: Packet): void {
    const decoded = decodeTemperatureRecord(packet);
    if (!decoded.ok) {
      this.ctx.emit({ type: 'problem', code: decoded.code, message: `SureTemp ${decoded.reason}: ${describeBytes(packet.raw)}`, raw: packet.raw });
      return;
    }
    const record = decoded.record;
    const before = this.last;
    this.last = record;
    this.reportError(record, packet.raw);
    if (before === undefined) return;
    const wasFinished = isFinal(before.state) || isOutOfRange(before.state);
    const same = wasFinished && before.finalKelvin === record.finalKelvin && before.algorithm === record.algorithm;
    if (same) return;
    if (isOutOfRange(record.state)) {
      const side = record.state <= STATE.finalOverTempPosition ? 'above' : 'below';
      this.ctx.emit({ type: 'problem', code: 'DEVICE_ERROR', message: `SureTemp final temperature ${side} the module's range (state ${record.state}): not a reading`, raw: packet.raw });
      return;
    }
    if (!isFinal(record.state)) return;
    if (record.algorithm === ALGORITHM.calKey) {
      this.ctx.emit({ type: 'problem', code: 'DEVICE_ERROR', message: 'SureTemp cal-key determination: a calibration check, not a patient reading', raw: packet.raw });
      return;
    }
    const observation = normalizeTemperature(record, this.unit);
    if (!observation) {
      this.ctx.emit({ type: 'problem', code: 'PROTOCOL_UNEXPECTED', message: `SureTemp final temperature ${record.finalKelvin} K is not a body temperature: not a reading`, raw: packet.raw });
      return;
    }
    this.ctx.emit({ type: 'reading', draft: { device: { ...IDENTITY }, kind: 'patient', timeBasis: 'live', observations: [observation], flags: [], raw: [packet.raw] } });
  }

  /** A module error code is reported once when it appears, not on every poll. */
  private reportError(record: TemperatureRecord, raw: Uint8Array): void {
    const code = record.errorCode !== 0 ? record.errorCode : record.state === STATE.error ? -1 : 0;
    if (code !== 0 && code !== this.lastError) {
      this.ctx.emit({ type: 'problem', code: 'DEVICE_ERROR', message: `SureTemp module reports error ${record.errorCode} (state ${record.state})`, raw });
    }
    this.lastError = code;
  }
}

/** A session of the SureTemp Plus driver (the `Driver` contract's factory). */
export const createSession = (context: DriverContext): DriverSession => new SureTempSession(context);

/** Welch Allyn SureTemp Plus module: the temperature record, polled (PROTOCOL.md). */
export const welchAllynSuretempPlusDriver: Driver = { manifest, createSession, simulator, traceAnnotator, decodeProbe };
