import { ByteBuffer, type Framer, type FramerOutput, fromLatin1, latin1, sum16 } from '../../kit/index.ts';

/**
 * The Ultra 2 link layer (PROTOCOL.md §3–4): the host sends `DC1 CR` and
 * the command letters; the meter answers with ASCII lines `<text> SP <4 hex> CR LF`, where the
 * hex is the 16-bit sum of the text bytes.
 */

/** How long one reply line may take, in ms (PROTOCOL.md §4: glucometerutils reads 1 s per line). */
export const LINE_TIMEOUT_MS = 1_000;
/** Tries for one command (the first send and its resends) before giving up. */
export const COMMAND_ATTEMPTS = 3;
/** Tries for the whole memory dump `DMP` before giving up (a bad line re-requests it all). */
export const DUMP_ATTEMPTS = 3;
/** Longest line accepted, in bytes, terminator excluded. A dump record line is 61 bytes. */
const MAX_LINE_BYTES = 256;

const CR = 0x0d;
const LF = 0x0a;
const NUL = 0x00;

/** A line ends with one space and four uppercase hex digits (PROTOCOL.md §4; glucometerutils: `[0-9A-F]{4}`). */
const CHECKSUMMED = /^([\s\S]*) ([0-9A-F]{4})$/;

/**
 * The bytes of a command: `11 0D` + letters + `0D`. PROTOCOL.md §3: the trailing CR is what
 * glucometerutils sends; Tidepool sends none, so the meter takes both [inferred].
 */
export function encodeCommand(letters: string, trailingCr = true): Uint8Array {
  return fromLatin1(`\u0011\r${letters}${trailingCr ? '\r' : ''}`);
}

/** The checksum of a line's text as the meter writes it: 4 uppercase hex digits (PROTOCOL.md §4). */
export function lineChecksum(text: string): string {
  return sum16(fromLatin1(text)).toString(16).toUpperCase().padStart(4, '0');
}

/** A reply line as the meter sends it: text, space, checksum, CR LF (or the ending given). */
export function formatLine(text: string, ending = '\r\n'): string {
  return `${text} ${lineChecksum(text)}${ending}`;
}

/** What the framer makes of the byte stream. */
export type UltraFrame =
  /** A line whose checksum matched: `text` is the part before ` CCCC`. */
  | { kind: 'line'; text: string; raw: Uint8Array }
  /** A line that cannot be trusted: wrong checksum, or no checksum at all (cut short). */
  | { kind: 'bad'; code: 'PROTOCOL_CHECKSUM' | 'PROTOCOL_TRUNCATED'; reason: string; raw: Uint8Array }
  /** A lone 0x00 byte: Tidepool reads it as "meter not in PC-link mode" (PROTOCOL.md §2) [inferred]. */
  | { kind: 'nul'; raw: Uint8Array };

/** Check one line (terminator removed) against its checksum. */
export function checkLine(raw: Uint8Array): UltraFrame {
  const m = CHECKSUMMED.exec(latin1(raw));
  if (!m) return { kind: 'bad', code: 'PROTOCOL_TRUNCATED', reason: 'the line does not end with a 4-digit checksum (cut short?)', raw };
  const text = m[1] ?? '';
  const sent = m[2] ?? '';
  const computed = lineChecksum(text);
  if (computed !== sent) return { kind: 'bad', code: 'PROTOCOL_CHECKSUM', reason: `checksum ${sent} does not match the text (sum ${computed})`, raw };
  return { kind: 'line', text, raw };
}

/**
 * Lines ended by CR, LF or CR LF (PROTOCOL.md §4: CR alone is accepted too), each checked
 * against its checksum. A 0x00 byte where a line would start is its own frame. Never throws.
 */
export class UltraFramer implements Framer<UltraFrame> {
  private line = new ByteBuffer();
  private overflow = 0;

  push(chunk: Uint8Array): FramerOutput<UltraFrame> {
    const out: FramerOutput<UltraFrame> = { frames: [], problems: [] };
    for (const b of chunk) {
      if (b === CR || b === LF) this.endLine(out);
      else if (this.overflow > 0) this.overflow++;
      else if (b === NUL && this.line.length === 0) out.frames.push({ kind: 'nul', raw: Uint8Array.of(NUL) });
      else if (this.line.length >= MAX_LINE_BYTES) {
        this.overflow = this.line.length + 1;
        this.line.clear();
      } else this.line.push(b);
    }
    return out;
  }

  flush(): FramerOutput<UltraFrame> {
    const out: FramerOutput<UltraFrame> = { frames: [], problems: [] };
    const partial = this.takePartial();
    if (partial.length > 0) out.problems.push({ code: 'PROTOCOL_TRUNCATED', message: `the link ended inside a line (${partial.length} bytes)`, raw: partial });
    return out;
  }

  /** The bytes of a line begun but not ended, which are dropped (a reply cut short). */
  takePartial(): Uint8Array {
    this.overflow = 0;
    return this.line.take();
  }

  private endLine(out: FramerOutput<UltraFrame>): void {
    if (this.overflow > 0) {
      out.problems.push({ code: 'PROTOCOL_GARBAGE', message: `line longer than ${MAX_LINE_BYTES} bytes skipped (${this.overflow} bytes)`, raw: new Uint8Array() });
      this.overflow = 0;
    } else if (this.line.length > 0) {
      out.frames.push(checkLine(this.line.take()));
    }
  }
}
