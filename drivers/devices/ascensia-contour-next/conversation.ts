import { CancelledError, HubError } from '../../../shared/errors.ts';
import { ASTM, type DriverContext } from '../../kit/index.ts';
import { AstmReceiver, type AstmReceivedRecord } from '../../families/astm/receiver.ts';
import { REPORT_BYTES, ReportReader, wrapReport, type ReportTokens } from './protocol.ts';

/**
 * The host's side of the meter's data transfer (PROTOCOL.md §4): we kick the meter with
 * ACK (mmrazik, Tidepool), then answer ENQ and each frame with ACK or NAK until the meter sends
 * EOT. What the EOT-first start of glucometerutils sees (an EOT, a header frame and an ENQ in one
 * transfer) is handled too: replies are sent once per meter transfer, for its last token, so the
 * meter hears one ACK for that ENQ, and the ENQ restarts the message.
 */

/** PROTOCOL.md §4 (Tidepool): how long one read waits for the meter. */
export const READ_TIMEOUT_MS = 5_000;
/** PROTOCOL.md §4 (Tidepool: 6 retries): reads in a row without a word from the meter before we give up. */
export const MAX_SILENT_READS = 6;
/**
 * PROTOCOL.md §3: a full report (60 payload bytes) says the transfer goes on. If nothing follows within
 * this time the reply is sent anyway (a meter whose transfer ends exactly on a full report). [inferred]
 */
export const CONTINUATION_WAIT_MS = 500;
/** After the L record: how long to wait for the meter's closing EOT before calling it done. */
const END_WAIT_MS = 2_000;

const ACK = Uint8Array.of(ASTM.ACK);
const NAK = Uint8Array.of(ASTM.NAK);

type PumpMode = 'retry' | 'quiet';

export class Conversation {
  readonly reader: ReportReader;
  private readonly receiver = new AstmReceiver();
  private readonly records: AstmReceivedRecord[] = [];
  /** The answer to the meter's transfer so far (the last token's reply wins). */
  private pendingReply: number | undefined;
  /** The meter's transfer is complete: send `pendingReply` before waiting again. */
  private replyDue = false;
  private silentReads = 0;
  private kicked = false;
  private heard = false;
  private ended = false;
  private failure: HubError | undefined;

  constructor(private readonly ctx: DriverContext) {
    this.reader = new ReportReader(ctx);
  }

  /** Has the meter said anything valid (a control byte or a good frame)? */
  get heardMeter(): boolean {
    return this.heard;
  }

  /** Wake the meter into data-transfer mode (PROTOCOL.md §4, ways 1 and 2: send ACK), once. */
  async start(): Promise<void> {
    if (this.kicked) return;
    this.kicked = true;
    await this.write(ACK);
  }

  /** Start, then wait up to `ms` for a valid word from the meter (discovery). */
  async probe(signal: AbortSignal, ms: number): Promise<boolean> {
    await this.start();
    const until = this.ctx.clock.now() + ms;
    while (!this.heard && !this.ended) {
      const left = until - this.ctx.clock.now();
      if (left <= 0 || (await this.pump(signal, 'quiet', left)) === 'idle') break;
    }
    return this.heard;
  }

  /**
   * The next record of the meter's message, or undefined once the message has ended (EOT).
   * A record is handed out before its frame is acknowledged: the ACK goes with the next wait.
   */
  async nextRecord(signal: AbortSignal): Promise<AstmReceivedRecord | undefined> {
    await this.start();
    for (;;) {
      const record = this.records.shift();
      if (record) return record;
      if (this.failure) throw this.failure;
      if (this.ended) return undefined;
      await this.pump(signal, 'retry');
    }
  }

  /** After the last record: acknowledge it and let the closing EOT arrive, retrying nothing. */
  async finish(signal: AbortSignal): Promise<void> {
    const until = this.ctx.clock.now() + END_WAIT_MS;
    while (!this.ended && !this.ctx.link.closed) {
      const left = until - this.ctx.clock.now();
      if (left <= 0 || (await this.pump(signal, 'quiet', left)) === 'idle') break;
    }
    await this.settle();
  }

  /** Send any reply still owed to the meter. */
  async settle(): Promise<void> {
    if (!this.replyDue && this.pendingReply === undefined) return;
    const byte = this.pendingReply;
    this.pendingReply = undefined;
    this.replyDue = false;
    if (byte !== undefined && !this.ctx.link.closed) await this.write(byte === ASTM.ACK ? ACK : NAK);
  }

  /** Write one payload (at most 60 bytes) as one report. */
  async write(payload: Uint8Array): Promise<void> {
    await this.ctx.link.write(wrapReport(payload, this.ctx.link.reportSize ?? REPORT_BYTES));
  }

  dispose(): void {
    this.reader.dispose();
  }

  /** One read: a report (its tokens fed to the receiver), or a timeout handled by `mode`. */
  private async pump(signal: AbortSignal, mode: PumpMode, waitMs = READ_TIMEOUT_MS): Promise<'progress' | 'idle'> {
    if (this.replyDue) await this.settle();
    const owed = this.pendingReply !== undefined;
    const read = await this.reader.next(signal, this.ctx.clock, owed ? Math.min(CONTINUATION_WAIT_MS, waitMs) : waitMs);
    if (read === 'aborted') throw new CancelledError('the download was cancelled');
    if (read === 'closed') {
      if (mode === 'quiet') return 'idle';
      throw this.reader.closedError('before the download finished');
    }
    if (read === 'timeout') {
      if (owed) {
        this.replyDue = true;
        return 'progress';
      }
      if (mode === 'quiet') return 'idle';
      await this.silence();
      return 'progress';
    }
    this.take(read);
    if (!read.continues && this.pendingReply !== undefined) this.replyDue = true;
    return 'progress';
  }

  private take(read: ReportTokens): void {
    for (const token of read.tokens) {
      const step = this.receiver.receive(token);
      for (const p of step.problems) this.ctx.emit({ type: 'problem', code: p.code, message: `Contour: ${p.message}`, raw: p.raw });
      this.records.push(...step.records);
      if (step.reply !== undefined) this.pendingReply = step.reply;
      if (step.event === 'accepted' || step.event === 'repeated' || step.event === 'established' || step.event === 'restarted') {
        this.heard = true;
        this.silentReads = 0;
      }
      if (step.event === 'gave-up') {
        this.failure = new HubError('PROTOCOL_CHECKSUM', 'a frame from the meter kept failing its checksum; the download was stopped so that no result is read wrongly');
      }
      if (step.event === 'ended') {
        this.heard = true;
        this.ended = true;
        if ((step.unansweredNaks ?? 0) > 0) {
          this.failure = new HubError('PROTOCOL_CHECKSUM', `the meter gave up on a frame after ${step.unansweredNaks} checksum errors; the download was stopped so that no result is read wrongly`);
        }
      }
    }
  }

  /** A read timed out with nothing owed: ask again (ACK before the meter spoke, else NAK). */
  private async silence(): Promise<void> {
    this.silentReads++;
    if (this.silentReads > MAX_SILENT_READS) {
      throw new HubError('DEVICE_NO_RESPONSE', `the meter did not answer for ${((MAX_SILENT_READS + 1) * READ_TIMEOUT_MS) / 1000} s; check that it is plugged in and shows its USB screen`);
    }
    // NAK asks for the current frame again: right whether our last ACK or the meter's frame was lost.
    await this.write(this.heard ? NAK : ACK);
  }
}
