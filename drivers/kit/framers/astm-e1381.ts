import { concatBytes, fromLatin1 } from '../bytes.ts';
import { hex2, sum8 } from '../checksums.ts';
import { ByteBuffer, type Framer, type FramerOutput } from './framer.ts';

/** ASTM E1381 control bytes. */
export const ASTM = { STX: 0x02, ETX: 0x03, EOT: 0x04, ENQ: 0x05, ACK: 0x06, LF: 0x0a, CR: 0x0d, NAK: 0x15, ETB: 0x17 } as const;

/** E1381 §6.3: a frame holds at most 247 characters between STX and the checksum. */
export const ASTM_MAX_FRAME_BYTES = 247 + 7;

export type AstmToken =
  | { type: 'control'; byte: typeof ASTM.ENQ | typeof ASTM.ACK | typeof ASTM.NAK | typeof ASTM.EOT }
  | {
      type: 'frame';
      /** Frame number 0–7 (the FN digit). */
      number: number;
      /** The record text between FN and ETB/ETX. */
      text: Uint8Array;
      /** ETX: last frame of a record; ETB: the record continues in the next frame. */
      last: boolean;
      /** Checksum and trailer verified; a false frame must be NAKed, never decoded. */
      valid: boolean;
      raw: Uint8Array;
    };

const CONTROL = new Set<number>([ASTM.ENQ, ASTM.ACK, ASTM.NAK, ASTM.EOT]);

/**
 * Tokenizer for the ASTM E1381 low level: `STX FN text ETB|ETX C1 C2 CR LF` frames and the
 * ENQ/ACK/NAK/EOT control bytes between them. A frame with a bad checksum is returned with
 * `valid: false` (the session answers NAK); bytes that fit nowhere are reported as noise.
 */
export class AstmFramer implements Framer<AstmToken> {
  private frame = new ByteBuffer();
  private inFrame = false;
  private trailer = -1;
  private noise = 0;

  push(chunk: Uint8Array): FramerOutput<AstmToken> {
    const out: FramerOutput<AstmToken> = { frames: [], problems: [] };
    for (const b of chunk) this.step(b, out);
    return out;
  }

  flush(): FramerOutput<AstmToken> {
    const out: FramerOutput<AstmToken> = { frames: [], problems: [] };
    this.reportNoise(out);
    if (this.inFrame) out.problems.push({ code: 'PROTOCOL_TRUNCATED', message: 'stream ended inside an ASTM frame', raw: this.frame.take() });
    this.inFrame = false;
    this.trailer = -1;
    return out;
  }

  private step(b: number, out: FramerOutput<AstmToken>): void {
    if (!this.inFrame) {
      if (b === ASTM.STX) {
        this.reportNoise(out);
        this.inFrame = true;
        this.frame.push(b);
      } else if (CONTROL.has(b)) {
        this.reportNoise(out);
        out.frames.push({ type: 'control', byte: b as typeof ASTM.ENQ });
      } else {
        this.noise++;
      }
      return;
    }
    this.frame.push(b);
    if (this.trailer > 0) {
      if (--this.trailer === 0) this.finish(out);
    } else if (b === ASTM.ETX || b === ASTM.ETB) {
      this.trailer = 4; // C1 C2 CR LF
    } else if (b === ASTM.STX && this.frame.length > 1) {
      const raw = this.frame.take();
      out.problems.push({ code: 'PROTOCOL_TRUNCATED', message: 'ASTM frame cut short by a new STX', raw: raw.subarray(0, raw.length - 1) });
      this.frame.push(ASTM.STX);
    } else if (this.frame.length > ASTM_MAX_FRAME_BYTES) {
      out.problems.push({ code: 'PROTOCOL_GARBAGE', message: 'ASTM frame too long, dropped', raw: this.frame.take() });
      this.inFrame = false;
    }
  }

  private finish(out: FramerOutput<AstmToken>): void {
    const raw = this.frame.take();
    this.inFrame = false;
    this.trailer = -1;
    const endAt = raw.length - 5;
    const fnChar = raw[1] ?? 0;
    const number = fnChar - 0x30;
    const sent = String.fromCharCode(raw[endAt + 1] ?? 0, raw[endAt + 2] ?? 0);
    const valid =
      number >= 0 && number <= 7 && endAt >= 2 && hex2(sum8(raw, 1, endAt + 1)) === sent.toUpperCase() &&
      raw[endAt + 3] === ASTM.CR && raw[endAt + 4] === ASTM.LF;
    if (!valid) out.problems.push({ code: 'PROTOCOL_CHECKSUM', message: 'ASTM frame failed its checksum or trailer', raw });
    out.frames.push({ type: 'frame', number: Math.max(0, number), text: raw.slice(2, Math.max(2, endAt)), last: raw[endAt] === ASTM.ETX, valid, raw });
  }

  private reportNoise(out: FramerOutput<AstmToken>): void {
    if (this.noise === 0) return;
    out.problems.push({ code: 'PROTOCOL_GARBAGE', message: `${this.noise} byte(s) outside any ASTM frame skipped`, raw: new Uint8Array() });
    this.noise = 0;
  }
}

/** Build one E1381 frame: `STX FN text ETX|ETB C1 C2 CR LF`. */
export function encodeAstmFrame(number: number, text: string | Uint8Array, last: boolean): Uint8Array {
  const body = concatBytes([Uint8Array.of(0x30 + (number % 8)), typeof text === 'string' ? fromLatin1(text) : text, Uint8Array.of(last ? ASTM.ETX : ASTM.ETB)]);
  return concatBytes([Uint8Array.of(ASTM.STX), body, fromLatin1(hex2(sum8(body))), Uint8Array.of(ASTM.CR, ASTM.LF)]);
}
