import { latin1, LineFramer } from '../../kit/index.ts';

/**
 * Masimo "ASCII 1" link layer (PROTOCOL.md §2–3): one text line per second, ended
 * by CR LF, no checksum. The link layer is only line framing; this file also holds the line
 * grammar (prefix + `KEY=VALUE` tokens), so decode.ts deals in keys and values only.
 */

/** Longest line accepted. The longest real line (Radical-7 colour, PROTOCOL.md §3) is 175 bytes. */
export const MAX_LINE_BYTES = 512;

/** The kit's line framer with the ASCII 1 limits: CR, LF or CR LF; empty lines dropped. */
export function createLineFramer(): LineFramer {
  return new LineFramer({ maxLength: MAX_LINE_BYTES });
}

/** A line split into its prefix and tokens; nothing interpreted yet. */
interface LineTokens {
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

/** A split line, or why the line is not ASCII 1. */
type LineParse = { ok: true; line: LineTokens } | { ok: false; reason: 'no-prefix' | 'bad-token'; message: string };

/** `MM/DD/YY HH:MM:SS` at the very start of the line (17 characters, PROTOCOL.md §3). */
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
