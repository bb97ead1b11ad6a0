import { CancelledError, HubError, type ErrorCode } from '../../../shared/errors.ts';
import { type DriverContext, FrameReader } from '../../kit/index.ts';
import { MessageFramer, encodeCommand, type MeterMessage } from './protocol.ts';

/**
 * Longest wait for the next message of a reply, in ms: the notes' end-of-reply silence
 * (PROTOCOL.md §1). Replies are recognised by type, so a good reply never waits this long.
 */
export const REPLY_GAP_MS = 2_000;
/** Sends of one command before giving up on a missing or damaged reply. */
export const COMMAND_ATTEMPTS = 3;

/**
 * Talks to the meter over a reports-mode Link: writes command reports and waits, on the kit
 * clock and the session's signal, for the messages the MessageFramer checks. Framing problems
 * are reported as events and remembered, so a damaged reply is asked for again.
 */
export class Conversation {
  private readonly reader: FrameReader<MeterMessage>;
  /** The code of the last framing problem since it was cleared. */
  lastProblem: ErrorCode | undefined;

  constructor(private readonly ctx: DriverContext) {
    this.reader = new FrameReader(ctx, new MessageFramer(), {
      problem: (p) => {
        this.lastProblem = p.code;
        ctx.emit({ type: 'problem', code: p.code, message: p.message, raw: p.raw });
      },
    });
  }

  /** Write one command report. */
  async send(command: string): Promise<void> {
    await this.ctx.link.write(encodeCommand(command));
  }

  /**
   * Send `command` and wait for the first message whose payload starts with `prefix`, asking
   * again up to COMMAND_ATTEMPTS times; undefined when no attempt brought one.
   */
  async ask(command: string, prefix: string, signal: AbortSignal, attempts = COMMAND_ATTEMPTS): Promise<MeterMessage | undefined> {
    for (let attempt = 1; attempt <= attempts; attempt++) {
      await this.send(command);
      for (;;) {
        const message = await this.next(signal);
        if (message === undefined) break;
        if (message.payload.startsWith(prefix)) return message;
        this.unexpected(message, command);
      }
    }
    return undefined;
  }

  /** The next checked message within REPLY_GAP_MS; undefined on silence. Throws on abort and link end. */
  async next(signal: AbortSignal): Promise<MeterMessage | undefined> {
    const message = await this.reader.next(signal, { clock: this.ctx.clock, ms: REPLY_GAP_MS });
    if (signal.aborted) throw signal.reason instanceof HubError ? signal.reason : new CancelledError();
    if (message === undefined && this.reader.ended) throw this.reader.endError ?? new HubError('TRANSPORT_CLOSED', 'the meter link closed during the download');
    return message;
  }

  /** A message nobody asked for: reported and skipped. */
  unexpected(message: MeterMessage, command: string): void {
    this.ctx.emit({ type: 'problem', code: 'PROTOCOL_UNEXPECTED', message: `message "${message.payload.slice(0, 40)}" in the reply to ${command}: skipped`, raw: message.raw });
  }

  /** Stop listening (the session is over). */
  dispose(): void {
    this.reader.dispose();
  }
}
