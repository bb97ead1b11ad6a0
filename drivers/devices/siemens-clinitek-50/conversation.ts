import type { ErrorCode } from '../../../shared/errors.ts';
import { describeBytes, type DriverContext, FrameReader } from '../../kit/index.ts';
import { type Reply, ReplyFramer } from './protocol.ts';

/**
 * How long the device may take to answer a command with a whole packet, in ms. The open-source
 * driver waits 3 s for ETX (PROTOCOL.md §3); a 300-byte packet takes 0.3 s at 9600 baud.
 */
export const REPLY_TIMEOUT_MS = 3_000;
/** Tries per command: the first send, then resends after a bad or missing answer (PROTOCOL.md §3). */
export const ATTEMPTS = 3;
/** Longest stretch of a packet quoted in a problem message, in bytes. */
const QUOTE_BYTES = 80;

/**
 * The host's side of the conversation: writes command bytes and waits for one reply (a packet
 * or a NAK), each wait with a deadline on the kit clock and the session's signal.
 */
export class Conversation {
  private readonly framer = new ReplyFramer();
  private readonly reader: FrameReader<Reply>;

  constructor(private readonly ctx: DriverContext) {
    this.reader = new FrameReader(ctx, this.framer);
  }

  /** The link has ended (every reply taken) or the session is stopped. */
  over(signal: AbortSignal): boolean {
    return signal.aborted || this.ctx.link.closed || this.reader.ended;
  }

  /** Why the link ended abnormally, if it did. */
  get endError(): FrameReader<Reply>['endError'] {
    return this.reader.endError;
  }

  /**
   * Send bytes, then wait for the next reply. `fresh`: forget what arrived before (a late
   * answer to an earlier command must not be taken for this one's); a resend after NAK keeps it.
   * Undefined on silence past the deadline, end of link or abort; a packet left half-received
   * at the deadline is reported (PROTOCOL_TRUNCATED) and dropped.
   */
  async exchange(bytes: Uint8Array, signal: AbortSignal, fresh = true): Promise<Reply | undefined> {
    if (fresh) this.reader.discard();
    try {
      await this.ctx.link.write(bytes);
    } catch {
      return undefined;
    }
    const reply = await this.reader.next(signal, { clock: this.ctx.clock, ms: REPLY_TIMEOUT_MS });
    if (reply === undefined && !signal.aborted) this.reader.discard();
    return reply;
  }

  /** Send bytes that get no answer (ACK). */
  async send(bytes: Uint8Array): Promise<boolean> {
    try {
      await this.ctx.link.write(bytes);
      return true;
    } catch {
      return false;
    }
  }

  problem(code: ErrorCode, message: string, raw?: Uint8Array): void {
    this.ctx.emit({ type: 'problem', code, message: raw ? `${message}: ${describeBytes(raw, QUOTE_BYTES)}` : message, ...(raw ? { raw } : {}) });
  }

  dispose(): void {
    this.reader.dispose();
  }
}
