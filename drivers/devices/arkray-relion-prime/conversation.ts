import { CancelledError, HubError, type ErrorCode } from '../../../shared/errors.ts';
import { type DriverContext, FrameReader, fromLatin1 } from '../../kit/index.ts';
import { TokenFramer, type MeterToken } from './protocol.ts';

/** Longest wait for a reply, in ms (Tidepool waits 5 s; PROTOCOL.md §3). */
export const REPLY_MS = 5_000;
export const ATTEMPTS = 3;

/**
 * Talks to the meter over a byte Link: each write (a control byte or an ASCII token) is answered
 * by one token before the next (PROTOCOL.md §3). Problems are reported and remembered.
 */
export class Conversation {
  private readonly reader: FrameReader<MeterToken>;
  lastProblem: ErrorCode | undefined;

  constructor(private readonly ctx: DriverContext) {
    this.reader = new FrameReader(ctx, new TokenFramer(), {
      problem: (p) => {
        this.lastProblem = p.code;
        ctx.emit({ type: 'problem', code: p.code, message: p.message, raw: p.raw });
      },
    });
  }

  /** Write a control byte or a token that the meter does not answer. */
  async send(out: number | string): Promise<void> {
    await this.ctx.link.write(typeof out === 'number' ? Uint8Array.of(out) : fromLatin1(out));
  }

  /** Write a control byte or a token, and wait for the meter's answer; undefined on silence. */
  async exchange(out: number | string, signal: AbortSignal, ms = REPLY_MS): Promise<MeterToken | undefined> {
    await this.ctx.link.write(typeof out === 'number' ? Uint8Array.of(out) : fromLatin1(out));
    return this.next(signal, ms);
  }

  /** The next token within `ms`; undefined on silence. Throws on abort and link end. */
  async next(signal: AbortSignal, ms = REPLY_MS): Promise<MeterToken | undefined> {
    const token = await this.reader.next(signal, { clock: this.ctx.clock, ms });
    if (signal.aborted) throw signal.reason instanceof HubError ? signal.reason : new CancelledError();
    if (token === undefined && this.reader.ended) throw this.reader.endError ?? new HubError('TRANSPORT_CLOSED', 'the meter link closed during the download');
    return token;
  }

  dispose(): void {
    this.reader.dispose();
  }
}
