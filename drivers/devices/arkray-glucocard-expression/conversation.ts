import { CancelledError, HubError, type ErrorCode } from '../../../shared/errors.ts';
import { type DriverContext, FrameReader } from '../../kit/index.ts';
import { HOST_START, PacketFramer, encodePacket, type Packet } from './protocol.ts';

/** Longest wait for a reply packet, in ms: no source gives the meter's turnaround (PROTOCOL.md §3). */
export const REPLY_MS = 2_000;
/** Sends of one command before giving up. */
export const COMMAND_ATTEMPTS = 3;

/**
 * Talks to the meter over a byte Link: writes 11-byte command packets and waits, on the kit
 * clock and the session's signal, for checked meter packets. Framing problems are reported and
 * remembered, so a damaged download is asked for again.
 */
export class Conversation {
  private readonly reader: FrameReader<Packet>;
  lastProblem: ErrorCode | undefined;

  constructor(private readonly ctx: DriverContext) {
    this.reader = new FrameReader(ctx, new PacketFramer(), {
      problem: (p) => {
        this.lastProblem = p.code;
        ctx.emit({ type: 'problem', code: p.code, message: p.message, raw: p.raw });
      },
    });
  }

  async send(op: number, payload: readonly number[] = []): Promise<void> {
    await this.ctx.link.write(encodePacket(HOST_START, op, payload));
  }

  /** Send `op` and wait for the meter's packet of the same opcode; up to `attempts` sends. */
  async ask(op: number, signal: AbortSignal, payload: readonly number[] = [], attempts = COMMAND_ATTEMPTS): Promise<Packet | undefined> {
    for (let attempt = 1; attempt <= attempts; attempt++) {
      await this.send(op, payload);
      for (;;) {
        const packet = await this.next(signal);
        if (packet === undefined) break;
        if (packet.op === op) return packet;
        this.ctx.emit({ type: 'problem', code: 'PROTOCOL_UNEXPECTED', message: `a packet with opcode ${packet.op} in the reply to ${op}: skipped`, raw: packet.raw });
      }
    }
    return undefined;
  }

  /** The next checked packet within REPLY_MS; undefined on silence. Throws on abort and link end. */
  async next(signal: AbortSignal): Promise<Packet | undefined> {
    const packet = await this.reader.next(signal, { clock: this.ctx.clock, ms: REPLY_MS });
    if (signal.aborted) throw signal.reason instanceof HubError ? signal.reason : new CancelledError();
    if (packet === undefined && this.reader.ended) throw this.reader.endError ?? new HubError('TRANSPORT_CLOSED', 'the meter link closed during the download');
    return packet;
  }

  dispose(): void {
    this.reader.dispose();
  }
}
