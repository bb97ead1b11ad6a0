import { ByteBuffer, type Framer, type FramerOutput, fromLatin1, latin1 } from '../../kit/index.ts';

/**
 * The FreeStyle serial link layer (abbott-freestyle-lite/PROTOCOL.md §3): the host sends `$` +
 * command + CR LF; the meter answers in ASCII lines. Lines are cut at LF and keep their raw bytes
 * (CR LF, or LF alone) because the dump checksum sums every byte, terminators included.
 */

const LF = 0x0a;
const CR = 0x0d;
/** Longest line kept, in bytes. A record line is 31 bytes; a longer run is not FreeStyle text. */
const MAX_LINE_BYTES = 200;

/** A command as the meter expects it: `$mem` → `24 6D 65 6D 0D 0A`. */
export function encodeCommand(command: string): Uint8Array {
  return fromLatin1(`$${command}\r\n`);
}

/** One line: `text` without its terminator, `raw` with it. */
export interface FreestyleLine {
  text: string;
  raw: Uint8Array;
}

/** The text of a line: the raw bytes without the trailing LF and the CR before it. */
export function lineText(raw: Uint8Array): string {
  let end = raw.length;
  if (end > 0 && raw[end - 1] === LF) end--;
  if (end > 0 && raw[end - 1] === CR) end--;
  return latin1(raw.subarray(0, end));
}

/** Lines ended by LF (CR LF or a bare LF). Never throws; an over-long run is reported and dropped. */
export class FreestyleLineFramer implements Framer<FreestyleLine> {
  private line = new ByteBuffer();
  private overflow = 0;

  push(chunk: Uint8Array): FramerOutput<FreestyleLine> {
    const out: FramerOutput<FreestyleLine> = { frames: [], problems: [] };
    for (const b of chunk) {
      if (b === LF) {
        if (this.overflow > 0) {
          out.problems.push({ code: 'PROTOCOL_GARBAGE', message: `line longer than ${MAX_LINE_BYTES} bytes skipped (${this.overflow} bytes)`, raw: new Uint8Array() });
          this.overflow = 0;
          this.line.clear();
          continue;
        }
        this.line.push(b);
        const raw = this.line.take();
        out.frames.push({ text: lineText(raw), raw });
      } else if (this.overflow > 0) this.overflow++;
      else if (this.line.length >= MAX_LINE_BYTES) {
        this.overflow = this.line.length + 1;
        this.line.clear();
      } else this.line.push(b);
    }
    return out;
  }

  flush(): FramerOutput<FreestyleLine> {
    const out: FramerOutput<FreestyleLine> = { frames: [], problems: [] };
    const partial = this.takePartial();
    if (partial.length > 0) out.problems.push({ code: 'PROTOCOL_TRUNCATED', message: `the link ended inside a line (${partial.length} bytes)`, raw: partial });
    return out;
  }

  /** The bytes of a line begun but not ended (a reply cut short), which are dropped. */
  takePartial(): Uint8Array {
    this.overflow = 0;
    return this.line.take();
  }
}
