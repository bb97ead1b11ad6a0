import type { DeviceIdentity } from '../../../shared/reading.ts';
import { describeBytes, type Driver, type DriverContext, type DriverSession, FrameReader, SettledStream } from '../../kit/index.ts';
import { decodeProbe } from './decode-probe.ts';
import { decodePacket } from './decode.ts';
import { DEFAULT_QUIET_SECONDS, manifest } from './manifest.ts';
import { normalizePacket } from './normalize.ts';
import { createPacketFramer } from './protocol.ts';
import { simulator } from './simulator.ts';
import { traceAnnotator } from './trace.ts';

/** The packets carry no model or serial (PROTOCOL.md §2). */
const IDENTITY: DeviceIdentity = { manufacturer: 'Health o meter', model: 'Professional' };

interface Packet {
  readonly bytes: Uint8Array;
  /** The whole packet as text: identical packets are the same locked weighing. */
  readonly key: string;
  readonly observations: ReturnType<typeof normalizePacket>;
}

/**
 * A session with a Health o meter Professional scale (discrete, streamed): the packets repeated
 * while a weight is locked collapse into one reading through the kit's `SettledStream`; the host
 * never writes.
 */
class HealthometerSession implements DriverSession {
  private reader: FrameReader<Uint8Array> | undefined;
  private readonly stream: SettledStream<Packet>;

  constructor(private readonly ctx: DriverContext) {
    const seconds = typeof ctx.options['quietSeconds'] === 'number' ? ctx.options['quietSeconds'] : DEFAULT_QUIET_SECONDS;
    this.stream = new SettledStream<Packet>({ clock: ctx.clock, quietMs: seconds * 1000, key: (p) => p.key, onSettled: (run) => this.settled(run) });
  }

  async probe(signal: AbortSignal): Promise<boolean> {
    // The scale sends only while a weight is locked: a packet within the probe time says yes,
    // silence says nothing certain (the platform may be empty).
    const packet = await this.packets().next(signal, { clock: this.ctx.clock, ms: manifest.deadlines.probeMs });
    return packet !== undefined && decodePacket(packet).ok;
  }

  async open(): Promise<void> {
    this.packets();
  }

  async identify(): Promise<DeviceIdentity> {
    return { ...IDENTITY };
  }

  async acquire(signal: AbortSignal): Promise<void> {
    for (;;) {
      const packet = await this.packets().next(signal);
      if (packet === undefined) break;
      this.handle(packet);
    }
    // The stream ended: the last locked weighing is complete; an abort makes no reading.
    if (signal.aborted) this.stream.dispose();
    else this.stream.flush();
  }

  async close(): Promise<void> {
    this.stream.dispose();
    this.reader?.dispose();
  }

  private packets(): FrameReader<Uint8Array> {
    this.reader ??= new FrameReader(this.ctx, createPacketFramer());
    return this.reader;
  }

  private handle(bytes: Uint8Array): void {
    const decoded = decodePacket(bytes);
    if (!decoded.ok) {
      this.ctx.emit({ type: 'problem', code: 'PROTOCOL_GARBAGE', message: `Health o meter packet rejected (${decoded.reason}): ${describeBytes(bytes, 60)}`, raw: bytes });
      return;
    }
    const observations = normalizePacket(decoded.packet);
    // The scale should send nothing at zero (PROTOCOL.md §4); if it does, it ends a weighing and is none.
    this.stream.push({ bytes, key: Array.from(bytes, (b) => String.fromCharCode(b)).join(''), observations }, observations.ok);
  }

  private settled(run: readonly Packet[]): void {
    const first = run[0];
    if (!first?.observations.ok) return;
    this.ctx.emit({
      type: 'reading',
      draft: {
        device: { ...IDENTITY },
        kind: 'patient',
        timeBasis: 'live',
        observations: first.observations.observations,
        flags: [],
        // Every packet of the run is the same bytes: the first stands for them.
        raw: [first.bytes],
      },
    });
  }
}

/** A session of the Health o meter driver (the `Driver` contract's factory). */
export const createSession = (context: DriverContext): DriverSession => new HealthometerSession(context);

/** Health o meter Professional scales: ESC-field packets streamed while the weight is locked (PROTOCOL.md). */
export const healthometerProfessionalDriver: Driver = { manifest, createSession, simulator, traceAnnotator, decodeProbe };
