import { HubError } from '../../../shared/errors.ts';
import type { DeviceIdentity } from '../../../shared/reading.ts';
import { type DeviceCommandReply, describeBytes, type Driver, type DriverContext, type DriverSession, FrameReader, type Timer } from '../../kit/index.ts';
import { decodeProbe } from './decode-probe.ts';
import { decodeLine } from './decode.ts';
import { manifest } from './manifest.ts';
import { DATE_ORDERS, type DateOrder, normalizeWeighing } from './normalize.ts';
import { createLineFramer, PRINT_REQUEST } from './protocol.ts';
import { simulator } from './simulator.ts';
import { traceAnnotator } from './trace.ts';

/** The lines carry no model or serial (PROTOCOL.md §2). */
const IDENTITY: DeviceIdentity = { manufacturer: 'Detecto', model: 'solo' };
/** How long the answer to a print request may take: 40 bytes are 42 ms at 9600 baud, the rest is the scale. */
export const PRINT_ANSWER_MS = 3_000;

/**
 * A session with a Detecto solo (discrete): every print line with a weight above zero is one
 * reading; the host writes only when a person sends the Print command.
 */
class DetectoSession implements DriverSession {
  private reader: FrameReader<Uint8Array> | undefined;
  private readonly order: DateOrder;
  /** A print request waiting for the scale's line. */
  private waiting: { resolve(reply: DeviceCommandReply): void; timer: Timer } | undefined;
  private ended = false;

  constructor(private readonly ctx: DriverContext) {
    this.order = DATE_ORDERS.find((o) => o === ctx.options['dateOrder']) ?? 'MDY';
  }

  async probe(signal: AbortSignal): Promise<boolean> {
    // The print request makes the scale answer at once (PROTOCOL.md §3).
    try {
      await this.ctx.link.write(PRINT_REQUEST);
    } catch {
      return false;
    }
    const line = await this.lines().next(signal, { clock: this.ctx.clock, ms: Math.min(PRINT_ANSWER_MS, manifest.deadlines.probeMs) });
    return line !== undefined && decodeLine(line).ok;
  }

  async open(): Promise<void> {
    this.lines();
  }

  async identify(): Promise<DeviceIdentity> {
    return { ...IDENTITY };
  }

  async acquire(signal: AbortSignal): Promise<void> {
    try {
      for (;;) {
        const line = await this.lines().next(signal);
        if (line === undefined) return;
        this.handle(line);
      }
    } finally {
      this.ended = true;
      this.answer({ accepted: false, reply: 'the connection ended before the scale answered' });
    }
  }

  async close(): Promise<void> {
    this.answer({ accepted: false, reply: 'the connection closed' });
    this.reader?.dispose();
  }

  async command(id: string, _signal: AbortSignal): Promise<DeviceCommandReply> {
    if (id !== 'print') throw new HubError('INPUT_INVALID', `${manifest.id} has no command "${id}" (it has: print)`);
    if (this.ended) return { accepted: false, reply: 'the scale is no longer connected' };
    if (this.waiting) return { accepted: false, reply: 'a print request is already waiting for the scale' };
    return new Promise<DeviceCommandReply>((resolve) => {
      const timer = this.ctx.clock.setTimer(PRINT_ANSWER_MS, () => this.answer({ accepted: false, reply: `no print from the scale within ${PRINT_ANSWER_MS} ms` }));
      this.waiting = { resolve, timer };
      this.ctx.link.write(PRINT_REQUEST).catch(() => this.answer({ accepted: false, reply: 'the print request could not be sent' }));
    });
  }

  private lines(): FrameReader<Uint8Array> {
    this.reader ??= new FrameReader(this.ctx, createLineFramer());
    return this.reader;
  }

  private answer(reply: DeviceCommandReply): void {
    const w = this.waiting;
    if (!w) return;
    this.waiting = undefined;
    w.timer.cancel();
    w.resolve(reply);
  }

  private handle(line: Uint8Array): void {
    // An empty line is the scale's echo of the request's LF or a blank print: nothing to say.
    if (line.every((b) => b === 0x20)) return;
    const decoded = decodeLine(line);
    if (!decoded.ok) {
      this.ctx.emit({ type: 'problem', code: 'PROTOCOL_GARBAGE', message: `Detecto line rejected (${decoded.reason}): ${describeBytes(line, 60)}`, raw: line });
      return;
    }
    this.answer({ accepted: true, reply: describeBytes(line, 60) });
    const weighing = normalizeWeighing(decoded.record, this.order);
    if (!weighing.ok) {
      this.ctx.emit({ type: 'problem', code: 'DEVICE_ERROR', message: `Detecto print with ${weighing.reason}: not a reading`, raw: line });
      return;
    }
    this.ctx.emit({
      type: 'reading',
      draft: {
        device: { ...IDENTITY },
        kind: 'patient',
        ...(weighing.deviceTime ? { deviceTime: weighing.deviceTime } : {}),
        timeBasis: 'live',
        observations: weighing.observations,
        flags: [],
        raw: [line],
      },
    });
  }
}

/** A session of the Detecto solo driver (the `Driver` contract's factory). */
export const createSession = (context: DriverContext): DriverSession => new DetectoSession(context);

/** Detecto solo: one `Time, Date, BMI, Height, Weight` line per print (PROTOCOL.md). */
export const detectoSoloDriver: Driver = { manifest, createSession, simulator, traceAnnotator, decodeProbe };
