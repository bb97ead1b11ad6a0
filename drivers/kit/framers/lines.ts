import { ByteBuffer, type Framer, type FramerOutput } from './framer.ts';

const CR = 0x0d;
const LF = 0x0a;

export interface LineFramerOptions {
  /** Longest line accepted, in bytes, terminator excluded. Default 1024. */
  maxLength?: number;
  /** Which bytes end a line. Default `any`: CR or LF, so CR LF, LF and CR alone all work. */
  terminator?: 'any' | 'cr' | 'lf';
}

/**
 * Lines ended by CR and/or LF; empty lines are dropped. A line longer than `maxLength` is
 * noise (wrong baud rate, binary data): it is reported and skipped up to the next terminator.
 */
export class LineFramer implements Framer {
  private readonly maxLength: number;
  private readonly isEnd: (b: number) => boolean;
  private line = new ByteBuffer();
  private overflow = 0;

  constructor(options: LineFramerOptions = {}) {
    this.maxLength = options.maxLength ?? 1024;
    const t = options.terminator ?? 'any';
    this.isEnd = t === 'cr' ? (b) => b === CR : t === 'lf' ? (b) => b === LF : (b) => b === CR || b === LF;
  }

  push(chunk: Uint8Array): FramerOutput {
    const out: FramerOutput = { frames: [], problems: [] };
    for (const b of chunk) {
      if (this.isEnd(b)) {
        this.endLine(out);
      } else if (this.overflow > 0) {
        this.overflow++;
      } else if (this.line.length >= this.maxLength) {
        this.overflow = this.line.length + 1;
        this.line.clear();
      } else {
        this.line.push(b);
      }
    }
    return out;
  }

  flush(): FramerOutput {
    const out: FramerOutput = { frames: [], problems: [] };
    if (this.line.length > 0) {
      out.problems.push({ code: 'PROTOCOL_TRUNCATED', message: `stream ended inside a line (${this.line.length} bytes)`, raw: this.line.take() });
    } else if (this.overflow > 0) {
      // A device that never sends a line end (cut lines, another output mode) is reported too.
      out.problems.push({ code: 'PROTOCOL_TRUNCATED', message: `stream ended inside an over-long line (${this.overflow} bytes without a line end)`, raw: new Uint8Array() });
    }
    this.overflow = 0;
    return out;
  }

  private endLine(out: FramerOutput): void {
    if (this.overflow > 0) {
      out.problems.push({ code: 'PROTOCOL_GARBAGE', message: `line longer than ${this.maxLength} bytes skipped (${this.overflow} bytes)`, raw: new Uint8Array() });
      this.overflow = 0;
    } else if (this.line.length > 0) {
      out.frames.push(this.line.take());
    }
  }
}
