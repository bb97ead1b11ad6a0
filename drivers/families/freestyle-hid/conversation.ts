import { CancelledError, HubError, type ErrorCode } from '../../../shared/errors.ts';
import { type DriverContext, type DriverEvent, FrameReader, fromLatin1 } from '../../kit/index.ts';
import {
  INIT_REPLY_PAYLOAD,
  MESSAGE_TYPE,
  ReportFramer,
  TextReplyAssembler,
  encodeReport,
  encodeTextCommand,
  hex,
  parseTextReply,
  type HidReport,
} from './protocol.ts';

/** Wait for the INIT reply, per attempt, in ms: the meter answers within milliseconds. */
const INIT_REPLY_MS = 1_000;
/** INIT attempts before the meter is declared silent. */
const INIT_ATTEMPTS = 3;
/** Longest wait for the next report of a reply, in ms (reset by every report). */
const REPLY_GAP_MS = 2_000;
/** Sends of one text command before giving up on a damaged or missing reply. */
const COMMAND_ATTEMPTS = 3;
/** Bytes of a refused reply quoted in a problem. */
const QUOTE_BYTES = 256;

/** A checked reply: `Fail` is the meter's `CMD Fail!`, left to the caller to judge. */
export interface CommandReply {
  status: 'OK' | 'Fail';
  message: string;
  /** The reports that carried `[start, end)` of the message. */
  reportsFor(start: number, end: number): Uint8Array[];
}

/** A check of the message beyond `CKSM:` (the inner record checksum); a failure is retried. */
type MessageCheck = (message: string) => { ok: true } | { ok: false; code: ErrorCode; message: string };

/**
 * The host side of the shim protocol over a reports-mode Link: INIT, then text commands whose
 * replies are reassembled, checked and re-requested when damaged (bounded). Keep-alive and
 * unknown-message reports are shown as frames and skipped wherever they come.
 */
export class Conversation {
  private readonly reader: FrameReader<HidReport>;
  /** The last problem the framer reported (truncated, garbage): says why a reply never completed. */
  private lastProblem: ErrorCode | undefined;

  constructor(private readonly ctx: DriverContext) {
    const emit = (event: DriverEvent): void => {
      if (event.type === 'problem') this.lastProblem = event.code;
      ctx.emit(event);
    };
    this.reader = new FrameReader<HidReport>({ link: ctx.link, emit }, new ReportFramer());
  }

  /** INIT (`01`) until `71 01 01` arrives; false when every attempt went unanswered. */
  async init(signal: AbortSignal, attempts = INIT_ATTEMPTS): Promise<boolean> {
    for (let attempt = 0; attempt < attempts; attempt++) {
      await this.send(encodeReport(MESSAGE_TYPE.init));
      const until = this.ctx.clock.now() + INIT_REPLY_MS;
      for (;;) {
        const report = await this.nextReport(signal, until - this.ctx.clock.now());
        if (report === undefined) break;
        if (report.type === MESSAGE_TYPE.initReply && report.payload.length === 1 && report.payload[0] === INIT_REPLY_PAYLOAD) return true;
        // Anything else (a late text report, noise) is not the answer: keep waiting.
      }
    }
    return false;
  }

  /**
   * Send a text command and return its checked reply. A reply that fails its `CKSM:` (or
   * `check`), arrives malformed or not at all is reported and asked for again, up to
   * COMMAND_ATTEMPTS times; then a HubError says why. `onText` sees each report's payload text as it arrives.
   */
  async command(text: string, signal: AbortSignal, opts: { check?: MessageCheck; onText?: (chunk: string, attempt: number) => void } = {}): Promise<CommandReply> {
    let failure: HubError | undefined;
    for (let attempt = 1; attempt <= COMMAND_ATTEMPTS; attempt++) {
      this.lastProblem = undefined;
      await this.send(encodeTextCommand(text));
      const assembler = new TextReplyAssembler();
      let state: 'more' | 'complete' | 'overflow' = 'more';
      while (state === 'more') {
        const report = await this.nextReport(signal, REPLY_GAP_MS);
        if (report === undefined) break;
        if (report.type !== MESSAGE_TYPE.text) {
          this.problem('PROTOCOL_UNEXPECTED', `a report of type 0x${hex(report.type, 2)} arrived in the reply to ${text}: skipped`, report.raw);
          continue;
        }
        state = assembler.push(report);
        opts.onText?.(assembler.latest, attempt);
      }
      const again = attempt < COMMAND_ATTEMPTS ? '; asking again' : '';
      if (state === 'more') {
        const code = this.lastProblem ?? 'DEVICE_NO_RESPONSE';
        failure = new HubError(code, this.lastProblem ? `the reply to ${text} arrived damaged (${code}) and never completed` : `the meter did not answer ${text} within ${REPLY_GAP_MS / 1000} s`);
        continue;
      }
      const raw = fromLatin1(assembler.text.slice(0, QUOTE_BYTES));
      if (state === 'overflow') {
        this.problem('PROTOCOL_GARBAGE', `the reply to ${text} grew past any meter's memory without an end${again}`, raw);
        failure = new HubError('PROTOCOL_GARBAGE', `the reply to ${text} never ended`);
        continue;
      }
      const reply = parseTextReply(assembler.text);
      const refused = !reply.ok ? reply : reply.status === 'OK' && opts.check ? opts.check(reply.message) : undefined;
      if (refused && !refused.ok) {
        this.problem(refused.code, `${text}: ${refused.message}${again}`, raw);
        failure = new HubError(refused.code, `${text}: ${refused.message}`);
        continue;
      }
      if (reply.ok) return { status: reply.status, message: reply.message, reportsFor: (s, e) => assembler.reportsFor(s, e) };
    }
    const last = failure ?? new HubError('DEVICE_NO_RESPONSE', `no usable reply to ${text}`);
    throw new HubError(last.code, `${last.message} (${COMMAND_ATTEMPTS} attempts)`, { cause: last });
  }

  /** Stop listening (the session is over). */
  dispose(): void {
    this.reader.dispose();
  }

  private problem(code: ErrorCode, message: string, raw?: Uint8Array): void {
    this.ctx.emit({ type: 'problem', code, message, ...(raw ? { raw } : {}) });
  }

  private async send(report: Uint8Array): Promise<void> {
    await this.ctx.link.write(report);
  }

  /**
   * The next report that is not a keep-alive or unknown-message report, within `ms`;
   * undefined on timeout. Throws on abort and when the link ends (unplug: TRANSPORT_CLOSED).
   */
  private async nextReport(signal: AbortSignal, ms: number): Promise<HidReport | undefined> {
    const until = this.ctx.clock.now() + Math.max(0, ms);
    for (;;) {
      const left = until - this.ctx.clock.now();
      // Queued reports come back at once; a wait past the deadline ends at once.
      const report = await this.reader.next(signal, { clock: this.ctx.clock, ms: Math.max(0, left) });
      if (signal.aborted) throw signal.reason instanceof HubError ? signal.reason : new CancelledError();
      if (report === undefined) {
        if (this.reader.ended) throw this.reader.endError ?? new HubError('TRANSPORT_CLOSED', 'the meter link closed during the download');
        return undefined;
      }
      if (report.type === MESSAGE_TYPE.keepAlive || report.type === MESSAGE_TYPE.unknownMessage) continue;
      return report;
    }
  }
}
