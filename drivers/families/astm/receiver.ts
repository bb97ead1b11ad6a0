import type { ErrorCode } from '../../../shared/errors.ts';
import { ASTM, type AstmToken, describeBytes, latin1 } from '../../kit/index.ts';

/**
 * The receiving side of the ASTM E1381 / CLSI LIS1-A low level, as a pure
 * state machine: tokens from `AstmFramer` in, a reply to write (ACK, NAK or nothing), completed
 * records and problems out. It never writes, never waits and never throws; the caller owns the
 * link, the timers and the decision to give up on a silent sender.
 */

/** Limits of the receiver, with their defaults. */
export interface AstmReceiverOptions {
  /**
   * NAKs sent for one frame before the receiver gives up on it. LIS1-A: the sender aborts after 6
   * failed attempts (E1381); Tidepool's Contour driver retries 6 times (Contour PROTOCOL.md §4).
   */
  maxNaksPerFrame?: number;
  /** Longest record assembled from ETB-continued frames, in characters; longer ones are dropped. */
  maxRecordChars?: number;
  /**
   * Frame number accepted as the first of a message: `one` (E1381: the first frame is 1) or `any`
   * (glucometerutils adopts whatever number comes first). A later frame must still follow it.
   */
  firstFrame?: 'one' | 'any';
}

/** Defaults of `AstmReceiverOptions`. */
export const ASTM_RECEIVER_DEFAULTS: Required<AstmReceiverOptions> = {
  maxNaksPerFrame: 6,
  // E1394 sets no record limit; 64 frames of 240 characters is far beyond any device we know.
  maxRecordChars: 64 * 240,
  firstFrame: 'any',
};

/** A record as received: its text without the terminating CR, and the frames it came in. */
export interface AstmReceivedRecord {
  text: string;
  frames: Uint8Array[];
}

export interface AstmReceiverProblem {
  code: Extract<ErrorCode, 'PROTOCOL_CHECKSUM' | 'PROTOCOL_UNEXPECTED' | 'PROTOCOL_TRUNCATED' | 'PROTOCOL_GARBAGE'>;
  message: string;
  raw?: Uint8Array;
}

/**
 * What one token did: `established` (ENQ in neutral), `restarted` (ENQ inside a message: the
 * sender began again), `accepted` (a new frame), `repeated` (the last frame again: our ACK was
 * lost), `rejected` (NAKed), `gave-up` (too many NAKs), `ended` (EOT), `ignored`.
 */
export type AstmReceiverEvent = 'established' | 'restarted' | 'accepted' | 'repeated' | 'rejected' | 'gave-up' | 'ended' | 'ignored';

export interface AstmReceiverStep {
  /** The byte to send back, if any. */
  reply?: typeof ASTM.ACK | typeof ASTM.NAK;
  records: AstmReceivedRecord[];
  problems: AstmReceiverProblem[];
  event: AstmReceiverEvent;
  /** On `ended`: NAKs sent for the frame that was pending (> 0: the sender gave up on a bad frame). */
  unansweredNaks?: number;
}

/** `neutral`: no message; `receiving`: inside one; `failed`: gave up, waiting for ENQ or EOT. */
export type AstmReceiverState = 'neutral' | 'receiving' | 'failed';

const CR = '\r';

/** The E1381 receiver. One instance per link; it can receive any number of messages. */
export class AstmReceiver {
  private readonly limits: Required<AstmReceiverOptions>;
  private current: AstmReceiverState = 'neutral';
  /** Number of the last frame accepted in this message, or undefined before the first. */
  private lastAccepted: number | undefined;
  private naks = 0;
  private partial = '';
  private partialFrames: Uint8Array[] = [];
  private overflowed = false;

  constructor(options: AstmReceiverOptions = {}) {
    this.limits = { ...ASTM_RECEIVER_DEFAULTS, ...options };
  }

  get state(): AstmReceiverState {
    return this.current;
  }

  /** NAKs sent for the frame now expected (0 once a good frame has been accepted). */
  get naksForCurrentFrame(): number {
    return this.naks;
  }

  /** The frame number expected next, or undefined when any number may start the message. */
  get expectedFrame(): number | undefined {
    if (this.lastAccepted !== undefined) return (this.lastAccepted + 1) % 8;
    return this.limits.firstFrame === 'one' ? 1 : undefined;
  }

  /** Feed one token; returns what to answer and what was completed. Never throws. */
  receive(token: AstmToken): AstmReceiverStep {
    if (token.type === 'control') return this.control(token.byte);
    return this.frame(token);
  }

  /**
   * Give up the message in progress because the sender fell silent (E1381: the receiver waits
   * 30 s for the next frame or EOT, then discards the incomplete message and goes neutral). The
   * caller owns that timer; this returns what was dropped.
   */
  abandon(why: string): AstmReceiverProblem[] {
    const problems = this.dropPartial(why);
    this.startMessage('neutral');
    return problems;
  }

  private control(byte: number): AstmReceiverStep {
    if (byte === ASTM.ENQ) {
      // ENQ inside a message means the sender started over (a meter's restart, Contour PROTOCOL.md §4 way 3): the
      // part of a record received so far belongs to the abandoned attempt.
      const restarted = this.current === 'receiving' && this.lastAccepted !== undefined;
      const problems = this.dropPartial('the sender began a new message (ENQ)');
      this.startMessage('receiving');
      return { reply: ASTM.ACK, records: [], problems, event: restarted ? 'restarted' : 'established' };
    }
    if (byte === ASTM.EOT) {
      if (this.current === 'neutral') return nothing('ignored');
      const problems = this.dropPartial('the message ended (EOT)');
      const unansweredNaks = this.naks;
      this.startMessage('neutral');
      return { records: [], problems, event: 'ended', unansweredNaks };
    }
    // ACK and NAK are the receiver's words; from the sender they mean nothing here.
    return nothing('ignored');
  }

  private frame(token: Extract<AstmToken, { type: 'frame' }>): AstmReceiverStep {
    if (this.current === 'failed') return nothing('ignored');
    if (this.current === 'neutral') {
      // A frame without ENQ: some meters answer the host's ACK with a frame at once (Contour PROTOCOL.md §4 way 1).
      this.startMessage('receiving');
    }
    if (!token.valid) return this.reject(token, 'PROTOCOL_CHECKSUM', `frame ${token.number} failed its checksum`);
    if (this.lastAccepted !== undefined && token.number === this.lastAccepted) {
      // The sender did not see our ACK and sent the same frame again: acknowledge, keep once.
      return { reply: ASTM.ACK, records: [], problems: [], event: 'repeated' };
    }
    const expected = this.expectedFrame;
    if (expected !== undefined && token.number !== expected) {
      return this.reject(token, 'PROTOCOL_UNEXPECTED', `frame number ${token.number} where ${expected} was expected`);
    }
    this.naks = 0;
    this.lastAccepted = token.number;
    const problems: AstmReceiverProblem[] = [];
    const records = this.append(token, problems);
    return { reply: ASTM.ACK, records, problems, event: 'accepted' };
  }

  private append(token: Extract<AstmToken, { type: 'frame' }>, problems: AstmReceiverProblem[]): AstmReceivedRecord[] {
    const text = latin1(token.text);
    if (!this.overflowed) {
      this.partial += text;
      this.partialFrames.push(token.raw);
      if (this.partial.length > this.limits.maxRecordChars) {
        // Memory stays bounded: the record is dropped (reported once), its frames still ACKed.
        this.overflowed = true;
        this.partial = '';
        this.partialFrames = [];
        problems.push({ code: 'PROTOCOL_GARBAGE', message: `record longer than ${this.limits.maxRecordChars} characters dropped`, raw: token.raw });
      }
    }
    // ETX ends a record (E1381). Bayer ends every record's frame with CR ETB (Contour PROTOCOL.md §4), so a text
    // ending in CR ends the record too: a record's CR is always the last byte of its end frame.
    const complete = token.last || text.endsWith(CR);
    if (!complete) return [];
    const whole = this.partial;
    const frames = this.partialFrames;
    const overflowed = this.overflowed;
    this.partial = '';
    this.partialFrames = [];
    this.overflowed = false;
    if (overflowed) return [];
    // One record per frame is the rule; a frame carrying several CR-separated records still
    // yields each of them.
    return whole
      .split(CR)
      .filter((t) => t.length > 0)
      .map((t) => ({ text: t, frames }));
  }

  private reject(token: Extract<AstmToken, { type: 'frame' }>, code: AstmReceiverProblem['code'], why: string): AstmReceiverStep {
    const { maxNaksPerFrame } = this.limits;
    if (this.naks >= maxNaksPerFrame) {
      this.current = 'failed';
      const message = `${why}; still bad after ${maxNaksPerFrame} NAKs, giving up: ${describeBytes(token.raw)}`;
      return { records: [], problems: [{ code, message, raw: token.raw }], event: 'gave-up' };
    }
    this.naks++;
    const message = `${why}, NAK ${this.naks} of ${maxNaksPerFrame}: ${describeBytes(token.raw)}`;
    return { reply: ASTM.NAK, records: [], problems: [{ code, message, raw: token.raw }], event: 'rejected' };
  }

  private dropPartial(why: string): AstmReceiverProblem[] {
    if (this.partial.length === 0) return [];
    const message = `${why} inside a record; its ${this.partialFrames.length} frame(s) were dropped`;
    return [{ code: 'PROTOCOL_TRUNCATED', message, raw: this.partialFrames[0] ?? new Uint8Array() }];
  }

  private startMessage(state: AstmReceiverState): void {
    this.current = state;
    this.lastAccepted = undefined;
    this.naks = 0;
    this.partial = '';
    this.partialFrames = [];
    this.overflowed = false;
  }
}

function nothing(event: AstmReceiverEvent): AstmReceiverStep {
  return { records: [], problems: [], event };
}
