import type { DeviceIdentity } from '../../../shared/reading.ts';
import { createMllpFramer, describeBytes, type Driver, type DriverContext, type DriverSession, FrameReader, mllpFrame, mllpPayload, sleep } from '../../kit/index.ts';
import { decodeMessage, type Hl7Record } from './decode.ts';
import { manifest } from './manifest.ts';
import { liveObservations, nibpResults } from './normalize.ts';
import { type Dialect, KEEPALIVE_INTERVAL_MS, PDS_KEEPALIVE, pcd01Ack } from './protocol.ts';
import { simulator } from './simulator.ts';
import { traceAnnotator } from './trace.ts';
import { decodeProbe } from './decode-probe.ts';

const MANUFACTURER = 'Mindray';
/** Neither dialect names the model; the identity says which protocol the monitor spoke. */
const MODEL = { pds: 'monitor (PDS HL7 2.3.1)', pcd01: 'monitor (IHE PCD-01 HL7 2.6)', unknown: 'monitor (HL7)' } as const;

/**
 * One connection to one Mindray monitor (discrete): each NIBP result is one reading, keyed by its
 * measurement time so a resent result is never a second reading; the numerics are live values.
 * PDS: the hub sends the keep-alive every second once it knows the dialect (PROTOCOL.md §2.1).
 * PCD-01: every well-formed message is acknowledged `MSA|AA|<MSH-10>` (PROTOCOL.md §2.2).
 */
class MindraySession implements DriverSession {
  private reader: FrameReader<Uint8Array> | undefined;
  private dialect: Dialect | undefined;
  private eui64: string | undefined;
  /** Keys of the NIBP results already made readings on this connection. */
  private readonly seen = new Set<string>();
  /** Stops the keep-alive loop on close or abort. */
  private readonly keepAliveStop = new AbortController();
  private keepAliveRunning: Promise<void> | undefined;

  constructor(private readonly ctx: DriverContext) {
    const forced = ctx.options['dialect'];
    if (forced === 'pds' || forced === 'pcd01') this.dialect = forced;
  }

  /** Does a Mindray monitor talk on this link? True at the first message that decodes. */
  async probe(signal: AbortSignal): Promise<boolean> {
    const until = this.ctx.clock.now() + manifest.deadlines.probeMs;
    if (this.dialect === 'pds') this.startKeepAlive();
    for (;;) {
      const left = until - this.ctx.clock.now();
      if (left <= 0 || signal.aborted) return false;
      const frame = await this.frames().next(signal, { clock: this.ctx.clock, ms: left });
      if (frame === undefined) return false;
      const payload = mllpPayload(frame);
      if (payload && decodeMessage(payload).ok) return true;
    }
  }

  async open(): Promise<void> {
    this.frames();
    if (this.dialect === 'pds') this.startKeepAlive();
  }

  async identify(): Promise<DeviceIdentity> {
    return this.identity();
  }

  async acquire(signal: AbortSignal): Promise<void> {
    for (;;) {
      const frame = await this.frames().next(signal);
      if (frame === undefined) return;
      await this.onFrame(frame);
    }
  }

  async close(): Promise<void> {
    this.keepAliveStop.abort();
    await this.keepAliveRunning;
    this.reader?.dispose();
  }

  private frames(): FrameReader<Uint8Array> {
    this.reader ??= new FrameReader(this.ctx, createMllpFramer());
    return this.reader;
  }

  private identity(): DeviceIdentity {
    const model = MODEL[this.dialect ?? 'unknown'];
    return this.eui64 ? { manufacturer: MANUFACTURER, model, serial: this.eui64 } : { manufacturer: MANUFACTURER, model };
  }

  /**
   * The PDS keep-alive: sent when a monitor message arrives and a second has passed since the
   * last one (so the writes follow the monitor's own once-a-second numerics, and a replayed trace
   * sees them at the same points), and by a timer when the monitor has been silent that long.
   */
  private startKeepAlive(): void {
    if (this.keepAliveRunning) return;
    const stop = AbortSignal.any([this.keepAliveStop.signal, this.ctx.signal]);
    this.keepAliveRunning = (async () => {
      await this.sendKeepAlive();
      while (!stop.aborted && !this.ctx.link.closed) {
        const wait = this.lastKeepAlive + KEEPALIVE_INTERVAL_MS - this.ctx.clock.now();
        await sleep(this.ctx.clock, Math.max(wait, 1), stop).catch(() => undefined);
        if (this.ctx.clock.now() - this.lastKeepAlive >= KEEPALIVE_INTERVAL_MS) await this.sendKeepAlive();
      }
    })();
  }

  private lastKeepAlive = Number.NEGATIVE_INFINITY;

  private async sendKeepAlive(): Promise<void> {
    if (this.keepAliveStop.signal.aborted || this.ctx.link.closed) return;
    this.lastKeepAlive = this.ctx.clock.now();
    // A failed write means the link is going away; acquire sees the close and ends.
    await this.ctx.link.write(PDS_KEEPALIVE).catch(() => undefined);
  }

  private problem(code: 'PROTOCOL_GARBAGE' | 'DEVICE_ERROR', message: string, raw: Uint8Array): void {
    this.ctx.emit({ type: 'problem', code, message, raw });
  }

  private async onFrame(frame: Uint8Array): Promise<void> {
    const payload = mllpPayload(frame);
    if (payload === undefined) return this.problem('PROTOCOL_GARBAGE', `MLLP frame without its closing 1C 0D: ${describeBytes(frame)}`, frame);
    const decoded = decodeMessage(payload);
    if (!decoded.ok) return this.problem('PROTOCOL_GARBAGE', `Mindray HL7 message rejected (${decoded.reason}): ${describeBytes(frame)}`, frame);
    const { record } = decoded;
    if (this.dialect !== undefined && record.dialect !== this.dialect) {
      return this.problem('PROTOCOL_GARBAGE', `a ${record.dialect} message on a ${this.dialect} connection was ignored (MSH-12 changed mid-connection)`, frame);
    }
    const first = this.dialect === undefined;
    this.learn(record);
    if (record.dialect === 'pds' && !first && this.ctx.clock.now() - this.lastKeepAlive >= KEEPALIVE_INTERVAL_MS) await this.sendKeepAlive();
    // Acknowledge before acting on it: a PCD-01 monitor waits for it, and a resend of a message
    // we already took is harmless (the NIBP key below refuses it).
    if (record.dialect === 'pcd01') await this.ctx.link.write(mllpFrame(pcd01Ack(record.controlId, record.sendingApp, record.sendingFacility))).catch(() => undefined);

    const live = liveObservations(record);
    if (live.length > 0) this.ctx.emit({ type: 'live', at: this.ctx.clock.now(), observations: live, flags: [], valid: true });
    for (const result of nibpResults(record)) {
      if (!result.outcome.ok) {
        this.problem('DEVICE_ERROR', `The monitor sent an NIBP result that cannot be used: ${result.outcome.reason}. Take the measurement again.`, frame);
        continue;
      }
      if (this.seen.has(result.key)) continue; // the same result sent again (PROTOCOL.md §3)
      this.seen.add(result.key);
      this.ctx.emit({
        type: 'reading',
        draft: {
          device: this.identity(),
          kind: 'patient',
          ...(result.deviceTime ? { deviceTime: result.deviceTime } : {}),
          timeBasis: 'live',
          observations: result.outcome.observations,
          flags: [],
          raw: [frame],
        },
      });
    }
  }

  /** The dialect and the device identity, from the first message that shows them. */
  private learn(record: Hl7Record): void {
    let changed = false;
    if (this.dialect === undefined) {
      this.dialect = record.dialect;
      changed = true;
      if (record.dialect === 'pds') this.startKeepAlive();
    }
    if (record.eui64 && record.eui64 !== this.eui64) {
      this.eui64 = record.eui64;
      changed = true;
    }
    if (changed) this.ctx.emit({ type: 'identity', device: this.identity() });
  }
}

/** A session of the Mindray HL7 driver (the `Driver` contract's factory). */
export const createSession = (context: DriverContext): DriverSession => new MindraySession(context);

/** Mindray monitors over HL7: PDS (2.3.1, hub connects) and IHE PCD-01 (2.6, monitor connects). */
export const mindrayHl7Driver: Driver = { manifest, createSession, simulator, traceAnnotator, decodeProbe };
