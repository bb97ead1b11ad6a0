import type { DeviceIdentity } from '../../../shared/reading.ts';
import { describeBytes, type Driver, type DriverContext, type DriverSession, FrameReader, type Timer } from '../../kit/index.ts';
import { decodeProbe } from './decode-probe.ts';
import { decodeLine } from './decode.ts';
import { manifest } from './manifest.ts';
import { normalizeWeighing, type Weighing } from './normalize.ts';
import { createLineFramer } from './protocol.ts';
import { simulator } from './simulator.ts';
import { traceAnnotator } from './trace.ts';

/** The lines carry no model or serial (PROTOCOL.md §2). */
const IDENTITY: DeviceIdentity = { manufacturer: 'Rice Lake', model: 'physician scale' };
/**
 * A BMI-mode block whose BMI line has not come is finished after this pause: the lines of one
 * print follow each other within milliseconds, so a longer pause means the block is all there.
 */
export const BLOCK_QUIET_MS = 2_000;

/** A Rice Lake session (discrete): each print line is a reading; each BMI-mode block is one reading. */
class RiceLakeSession implements DriverSession {
  private reader: FrameReader<Uint8Array> | undefined;
  private block: { weighing: Weighing; raw: Uint8Array[] } | undefined;
  private timer: Timer | undefined;

  constructor(private readonly ctx: DriverContext) {}

  async probe(signal: AbortSignal): Promise<boolean> {
    // The scale sends only when Print is pressed: a line within the probe time says yes,
    // silence says nothing certain.
    const line = await this.lines().next(signal, { clock: this.ctx.clock, ms: manifest.deadlines.probeMs });
    return line !== undefined && decodeLine(line).ok;
  }

  async open(): Promise<void> {
    this.lines();
  }

  async identify(): Promise<DeviceIdentity> {
    return { ...IDENTITY };
  }

  async acquire(signal: AbortSignal): Promise<void> {
    for (;;) {
      const line = await this.lines().next(signal);
      if (line === undefined) break;
      this.handle(line);
    }
    // The stream ended: a block that has its weight is complete; an abort makes no reading.
    if (signal.aborted) this.drop();
    else this.finishBlock();
  }

  async close(): Promise<void> {
    this.drop();
    this.reader?.dispose();
  }

  private lines(): FrameReader<Uint8Array> {
    this.reader ??= new FrameReader(this.ctx, createLineFramer());
    return this.reader;
  }

  private handle(bytes: Uint8Array): void {
    if (bytes.every((b) => b === 0x20)) return;
    const decoded = decodeLine(bytes);
    if (!decoded.ok) {
      // A refused line inside a BMI block refuses the whole block, as one print is one record.
      const inBlock = this.block !== undefined;
      this.drop();
      this.ctx.emit({ type: 'problem', code: 'PROTOCOL_GARBAGE', message: `Rice Lake line rejected (${decoded.reason})${inBlock ? ', its BMI block dropped' : ''}: ${describeBytes(bytes, 60)}`, raw: bytes });
      return;
    }
    const line = decoded.line;
    if (line.type === 'print' || line.type === 'weight') {
      this.finishBlock();
      const weighing: Weighing = { weight: line.weight, unit: line.unit, net: line.net };
      if (line.type === 'print') this.emitWeighing(weighing, [bytes]);
      else this.startBlock(weighing, bytes);
      return;
    }
    const block = this.block;
    if (!block) {
      this.ctx.emit({ type: 'problem', code: 'PROTOCOL_UNEXPECTED', message: `Rice Lake ${line.type} line without a weight line before it: ${describeBytes(bytes, 60)}`, raw: bytes });
      return;
    }
    block.raw.push(bytes);
    if (line.type === 'height') {
      block.weighing = { ...block.weighing, height: line.height };
      this.arm();
    } else {
      // The BMI line is the block's last (PROTOCOL.md §3).
      block.weighing = { ...block.weighing, bmi: line.bmi };
      this.finishBlock();
    }
  }

  private startBlock(weighing: Weighing, bytes: Uint8Array): void {
    this.block = { weighing, raw: [bytes] };
    this.arm();
  }

  private arm(): void {
    this.timer?.cancel();
    this.timer = this.ctx.clock.setTimer(BLOCK_QUIET_MS, () => {
      this.timer = undefined;
      this.finishBlock();
    });
  }

  private finishBlock(): void {
    this.timer?.cancel();
    this.timer = undefined;
    const block = this.block;
    this.block = undefined;
    if (block) this.emitWeighing(block.weighing, block.raw);
  }

  private drop(): void {
    this.timer?.cancel();
    this.timer = undefined;
    this.block = undefined;
  }

  private emitWeighing(weighing: Weighing, raw: Uint8Array[]): void {
    const n = normalizeWeighing(weighing);
    if (!n.ok) {
      this.ctx.emit({ type: 'problem', code: 'DEVICE_ERROR', message: `Rice Lake print with ${n.reason}: not a reading`, raw: raw[0] });
      return;
    }
    this.ctx.emit({ type: 'reading', draft: { device: { ...IDENTITY }, kind: 'patient', timeBasis: 'live', observations: n.observations, flags: n.flags, raw } });
  }
}

/** A session of the Rice Lake driver (the `Driver` contract's factory). */
export const createSession = (context: DriverContext): DriverSession => new RiceLakeSession(context);

/** Rice Lake physician scales: the print line and the BMI-mode lines (PROTOCOL.md). */
export const riceLakePhysicianDriver: Driver = { manifest, createSession, simulator, traceAnnotator, decodeProbe };
