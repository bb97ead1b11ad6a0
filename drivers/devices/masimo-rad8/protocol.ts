import { latin1 } from '../../kit/bytes.ts';
import { LineFramer, type Framer, type FramerOutput } from '../../kit/framers/index.ts';

/**
 * Masimo "ASCII 1" link layer (PROTOCOL.md §2, notes §2.1–2.2): one text line per second, ended
 * by CR LF, no checksum. The link layer is only line framing; this file also holds the line
 * grammar (prefix + `KEY=VALUE` tokens), so decode.ts deals in keys and values only.
 */

/** Longest line accepted. The longest real line (Radical-7 colour, notes §2.2) is 175 bytes. */
export const MAX_LINE_BYTES = 512;

const CR = 0x0d;
const LF = 0x0a;

/**
 * The kit's LineFramer (CR, LF or CR LF; empty lines dropped), plus one report it leaves out:
 * a stream that ends inside an over-long line (a device that never sends a line end, e.g. cut
 * lines or the wrong output mode) is reported at `flush` as truncated instead of vanishing.
 */
export class AsciiLineFramer implements Framer {
  private readonly lines = new LineFramer({ maxLength: MAX_LINE_BYTES });
  /** Bytes since the last line end. */
  private run = 0;

  push(chunk: Uint8Array): FramerOutput {
    for (const b of chunk) this.run = b === CR || b === LF ? 0 : this.run + 1;
    return this.lines.push(chunk);
  }

  flush(): FramerOutput {
    const out = this.lines.flush();
    if (this.run > 0 && out.problems.length === 0) {
      out.problems.push({ code: 'PROTOCOL_TRUNCATED', message: `stream ended inside an over-long line (${this.run} bytes without a line end)`, raw: new Uint8Array() });
    }
    this.run = 0;
    return out;
  }
}

/** A line split into its prefix and tokens; nothing interpreted yet. */
export interface LineTokens {
  /** The prefix `MM/DD/YY HH:MM:SS` as numbers, year as printed (two digits). */
  month: number;
  day: number;
  year2: number;
  hour: number;
  minute: number;
  second: number;
  /** `KEY=VALUE` pairs in the order printed. */
  tokens: [key: string, value: string][];
}

export type LineParse = { ok: true; line: LineTokens } | { ok: false; reason: 'no-prefix' | 'bad-token'; message: string };

/** `MM/DD/YY HH:MM:SS` at the very start of the line (17 characters, notes §2.2). */
const PREFIX = /^(\d{2})\/(\d{2})\/(\d{2}) (\d{2}):(\d{2}):(\d{2})(?= |$)/;
/** Keys are upper-case letters and digits; values are printable ASCII without spaces or `=`. */
const TOKEN = /^([A-Z0-9]+)=([\x21-\x3c\x3e-\x7e]+)$/;

/**
 * Split one line (without its terminator) by the ASCII 1 grammar. Every token after the prefix
 * must be `KEY=VALUE`; runs of spaces and trailing spaces are allowed. Never throws.
 */
export function parseLine(bytes: Uint8Array): LineParse {
  const text = latin1(bytes);
  const m = PREFIX.exec(text);
  if (!m) return { ok: false, reason: 'no-prefix', message: 'not an ASCII 1 line (no MM/DD/YY HH:MM:SS prefix)' };
  const tokens: [string, string][] = [];
  for (const token of text.slice(m[0].length).split(' ')) {
    if (token === '') continue;
    const t = TOKEN.exec(token);
    if (!t) return { ok: false, reason: 'bad-token', message: `token "${token.slice(0, 40)}" is not KEY=VALUE` };
    tokens.push([t[1] as string, t[2] as string]);
  }
  const [, mo, d, y, h, mi, s] = m.map(Number) as number[];
  return { ok: true, line: { month: mo as number, day: d as number, year2: y as number, hour: h as number, minute: mi as number, second: s as number, tokens } };
}
