import { ASTM, type Clock, encodeAstmFrame, type Link, sleep } from '../../kit/index.ts';

/**
 * The sending side of the ASTM E1381 / CLSI LIS1-A low level, as an analyzer plays it: ENQ,
 * frames answered ACK / NAK, EOT. The hub itself only receives (`AstmReceiver`); this side drives
 * simulators and tests, so it keeps the sender's rules faithfully (glucose-astm-poct facts as
 * restated in the family README): 15 s for each reply, at most 6 attempts per frame, a receiver
 * that answers NAK to ENQ is busy (retry after 10 s), ENQ answered by ENQ is contention (the
 * instrument has priority: it waits 1 s and sends ENQ again), EOT in reply to a frame is a
 * receiver interrupt.
 */

/** The longest frame text: a longer record is split into 240-character ETB frames (E1381). */
export const ASTM_FRAME_TEXT_MAX = 240;

/** Timers and limits of the sender, with the E1381 values as defaults. */
export interface AstmSenderOptions {
  /** How long the sender waits for the reply to ENQ or to a frame (15 s). */
  replyTimeoutMs?: number;
  /** Attempts per frame before the sender gives up and sends EOT (6). */
  maxAttempts?: number;
  /** After NAK to ENQ (receiver busy): wait before the next ENQ (10 s, inferred). */
  busyRetryMs?: number;
  /** After ENQ to ENQ (contention; the instrument has priority): wait before ENQ again (1 s, inferred). */
  contentionRetryMs?: number;
  /** ENQs tried before establishment is given up. */
  maxEnqAttempts?: number;
  /** Serial speed for the wire-time wait after each write; undefined: no wait. */
  baudRate?: number;
}

export const ASTM_SENDER_DEFAULTS: Required<Omit<AstmSenderOptions, 'baudRate'>> = {
  replyTimeoutMs: 15_000,
  maxAttempts: 6,
  busyRetryMs: 10_000,
  contentionRetryMs: 1_000,
  maxEnqAttempts: 6,
};

/** What a step of the sender came to. */
export type AstmSendOutcome = 'ok' | 'no-reply' | 'refused' | 'interrupted' | 'aborted' | 'closed';

/**
 * Split records (each without its CR) into the frames of one message: the record's CR ends its
 * text, texts over 240 characters go in ETB frames, frame numbers run from `first` modulo 8.
 */
export function astmMessageFrames(records: readonly string[], first = 1): Uint8Array[] {
  const frames: Uint8Array[] = [];
  let n = first;
  for (const record of records) {
    const text = `${record}\r`;
    for (let at = 0; at < text.length; at += ASTM_FRAME_TEXT_MAX) {
      const part = text.slice(at, at + ASTM_FRAME_TEXT_MAX);
      frames.push(encodeAstmFrame(n % 8, part, at + ASTM_FRAME_TEXT_MAX >= text.length));
      n++;
    }
  }
  return frames;
}

/** The sender on one link. Replies are read from the link; every wait honours the signal. */
export class AstmSender {
  private readonly o: Required<Omit<AstmSenderOptions, 'baudRate'>> & Pick<AstmSenderOptions, 'baudRate'>;
  private readonly replies: number[] = [];
  private wake: (() => void) | undefined;
  private readonly off: () => void;
  private readonly offClose: () => void;
  private closed = false;

  constructor(
    private readonly link: Link,
    private readonly clock: Clock,
    options: AstmSenderOptions = {},
  ) {
    this.o = { ...ASTM_SENDER_DEFAULTS, ...options };
    this.off = link.onData((chunk) => {
      for (const b of chunk) if (b === ASTM.ACK || b === ASTM.NAK || b === ASTM.EOT || b === ASTM.ENQ) this.replies.push(b);
      this.wake?.();
    });
    this.offClose = link.onClose(() => {
      this.closed = true;
      this.wake?.();
    });
  }

  /** Stop listening to the link. */
  dispose(): void {
    this.off();
    this.offClose();
  }

  /** Write bytes as they are, then wait their wire time. */
  async write(bytes: Uint8Array, signal: AbortSignal): Promise<void> {
    await this.link.write(bytes);
    if (this.o.baudRate) await sleep(this.clock, Math.ceil((bytes.length * 10_000) / this.o.baudRate), signal).catch(() => undefined);
  }

  /** ENQ until ACKed: NAK (busy) and ENQ (contention) wait and try again. */
  async establish(signal: AbortSignal): Promise<AstmSendOutcome> {
    for (let attempt = 0; attempt < this.o.maxEnqAttempts; attempt++) {
      this.replies.length = 0;
      await this.write(Uint8Array.of(ASTM.ENQ), signal);
      const reply = await this.reply(signal);
      if (typeof reply === 'string') return reply;
      if (reply === ASTM.ACK) return 'ok';
      const wait = reply === ASTM.ENQ ? this.o.contentionRetryMs : this.o.busyRetryMs;
      await sleep(this.clock, wait, signal).catch(() => undefined);
      if (signal.aborted) return 'aborted';
    }
    return 'refused';
  }

  /**
   * Send one frame until ACKed: NAK → the same frame again (at most `maxAttempts` in all); EOT →
   * the receiver interrupted. `firstTry` replaces the bytes of the first attempt only (a frame
   * damaged on the wire once, for tests).
   */
  async sendFrame(frame: Uint8Array, signal: AbortSignal, firstTry?: Uint8Array): Promise<AstmSendOutcome> {
    for (let attempt = 0; attempt < this.o.maxAttempts; attempt++) {
      this.replies.length = 0;
      await this.write(attempt === 0 && firstTry ? firstTry : frame, signal);
      const reply = await this.reply(signal);
      if (typeof reply === 'string') return reply;
      if (reply === ASTM.ACK) return 'ok';
      if (reply === ASTM.EOT) return 'interrupted';
    }
    return 'refused';
  }

  /** End the transfer (EOT). */
  async end(signal: AbortSignal): Promise<void> {
    if (this.closed || this.link.closed) return;
    await this.write(Uint8Array.of(ASTM.EOT), signal).catch(() => undefined);
  }

  /** ENQ, every frame, EOT: a whole message. On any failure the sender terminates with EOT. */
  async sendMessage(frames: readonly Uint8Array[], signal: AbortSignal): Promise<AstmSendOutcome> {
    const established = await this.establish(signal);
    if (established !== 'ok') {
      if (established !== 'closed' && established !== 'aborted') await this.end(signal);
      return established;
    }
    for (const frame of frames) {
      const sent = await this.sendFrame(frame, signal);
      if (sent !== 'ok') {
        if (sent !== 'closed' && sent !== 'aborted' && sent !== 'interrupted') await this.end(signal);
        return sent;
      }
    }
    await this.end(signal);
    return 'ok';
  }

  /** The next reply byte, or why there is none. */
  private async reply(signal: AbortSignal): Promise<number | AstmSendOutcome> {
    const until = this.clock.now() + this.o.replyTimeoutMs;
    for (;;) {
      const b = this.replies.shift();
      if (b !== undefined) return b;
      if (signal.aborted) return 'aborted';
      if (this.closed || this.link.closed) return 'closed';
      const left = until - this.clock.now();
      if (left <= 0) return 'no-reply';
      await new Promise<void>((resolve) => {
        const done = (): void => {
          timer.cancel();
          signal.removeEventListener('abort', done);
          resolve();
        };
        const timer = this.clock.setTimer(left, done);
        this.wake = done;
        signal.addEventListener('abort', done, { once: true });
      });
      this.wake = undefined;
    }
  }
}
