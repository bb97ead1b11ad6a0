import { type Framer, type FramerOutput, type FramingProblem, fromLatin1, latin1 } from '../../kit/index.ts';

/**
 * The ReliOn Prime / GLUCOCARD Vital link layer (PROTOCOL.md §2), pure: single control bytes and
 * CR LF-ended text lines, a line optionally framed `<STX> … <ETB>CC` with the E1381 sum.
 */

export const CONTROL = { stx: 0x02, eot: 0x04, enq: 0x05, ack: 0x06, nak: 0x15, etb: 0x17, cr: 0x0d, lf: 0x0a, remote: 0x92 } as const;
/** Longest line accepted; the header is the longest known (~60 bytes). */
export const MAX_LINE_BYTES = 256;

/** What the meter sends: a control byte, or a line with its checksum verdict. */
export type MeterToken =
  | { kind: 'control'; byte: number; raw: Uint8Array }
  | { kind: 'line'; content: string; framed: boolean; checksum: 'good' | 'bad' | 'none'; stated?: number; raw: Uint8Array };

/** E1381 sum: the bytes after STX through ETB, mod 256. */
export function e1381Sum(afterStxThroughEtb: string): number {
  let sum = 0;
  for (let i = 0; i < afterStxThroughEtb.length; i++) sum += afterStxThroughEtb.charCodeAt(i) & 0xff;
  return sum & 0xff;
}

/** A framed line as the meter sends it: `<STX>content<ETB>CC<CR><LF>`. */
export function formatFramedLine(content: string): string {
  const cc = e1381Sum(`${content}\x17`).toString(16).toUpperCase().padStart(2, '0');
  return `\x02${content}\x17${cc}\r\n`;
}

/** Read one line (without CR LF): framed and checked, or bare text. */
export function parseLine(text: string): MeterToken & { kind: 'line' } {
  const raw = fromLatin1(`${text}\r\n`);
  if (!text.startsWith('\x02')) return { kind: 'line', content: text, framed: false, checksum: 'none', raw };
  const etb = text.indexOf('\x17');
  if (etb < 0) return { kind: 'line', content: text.slice(1), framed: true, checksum: 'none', raw };
  const content = text.slice(1, etb);
  const cc = text.slice(etb + 1);
  if (!/^[0-9A-Fa-f]{2}$/.test(cc)) return { kind: 'line', content, framed: true, checksum: 'bad', raw };
  const stated = parseInt(cc, 16);
  return { kind: 'line', content, framed: true, checksum: stated === e1381Sum(`${content}\x17`) ? 'good' : 'bad', stated, raw };
}

const CONTROL_BYTES = new Set<number>([CONTROL.eot, CONTROL.enq, CONTROL.ack, CONTROL.nak, CONTROL.remote]);

/**
 * Tokens from the meter's byte stream: outside a line, EOT/ENQ/ACK/NAK are control tokens and
 * stray CR/LF are skipped; STX or printable text opens a line that ends at LF. Other bytes and
 * over-long lines are problems.
 */
export class TokenFramer implements Framer<MeterToken> {
  private line: number[] | undefined;

  push(chunk: Uint8Array): FramerOutput<MeterToken> {
    const frames: MeterToken[] = [];
    const problems: FramingProblem[] = [];
    for (const b of chunk) {
      if (this.line === undefined) {
        if (CONTROL_BYTES.has(b)) frames.push({ kind: 'control', byte: b, raw: Uint8Array.of(b) });
        else if (b === CONTROL.cr || b === CONTROL.lf) continue;
        else if (b === CONTROL.stx || (b >= 0x20 && b < 0x7f)) this.line = [b];
        else problems.push({ code: 'PROTOCOL_GARBAGE', message: 'a byte outside a line skipped', raw: Uint8Array.of(b) });
        continue;
      }
      if (b === CONTROL.stx) {
        problems.push({ code: 'PROTOCOL_TRUNCATED', message: 'a line broke off before its CR LF', raw: Uint8Array.from(this.line) });
        this.line = [b];
        continue;
      }
      if (b === CONTROL.lf) {
        const text = latin1(Uint8Array.from(this.line)).replace(/\r$/, '');
        this.line = undefined;
        frames.push(parseLine(text));
        continue;
      }
      this.line.push(b);
      if (this.line.length > MAX_LINE_BYTES) {
        problems.push({ code: 'PROTOCOL_GARBAGE', message: `a line longer than ${MAX_LINE_BYTES} bytes skipped`, raw: Uint8Array.from(this.line) });
        this.line = undefined;
      }
    }
    return { frames, problems };
  }

  flush(): FramerOutput<MeterToken> {
    const rest = this.line;
    this.line = undefined;
    return { frames: [], problems: rest && rest.length > 0 ? [{ code: 'PROTOCOL_TRUNCATED', message: 'the stream ended inside a line', raw: Uint8Array.from(rest) }] : [] };
  }
}
