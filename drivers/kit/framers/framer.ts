import type { ErrorCode } from '../../../shared/errors.ts';

/** Something a framer had to skip: counted and reported, never thrown. */
export interface FramingProblem {
  code: Extract<ErrorCode, 'PROTOCOL_GARBAGE' | 'PROTOCOL_TRUNCATED' | 'PROTOCOL_CHECKSUM'>;
  message: string;
  raw: Uint8Array;
}

export interface FramerOutput<F = Uint8Array> {
  frames: F[];
  problems: FramingProblem[];
}

/**
 * A framer turns a byte stream, cut anywhere, into whole frames. `push` never throws; `flush`
 * is called at end of stream and reports what was left half-received.
 */
export interface Framer<F = Uint8Array> {
  push(chunk: Uint8Array): FramerOutput<F>;
  flush(): FramerOutput<F>;
}

/** A growable byte buffer, so framers do not copy the whole backlog on every chunk. */
export class ByteBuffer {
  private data = new Uint8Array(256);
  private len = 0;
  get length(): number {
    return this.len;
  }
  append(chunk: Uint8Array): void {
    if (this.len + chunk.length > this.data.length) {
      const next = new Uint8Array(Math.max(this.data.length * 2, this.len + chunk.length));
      next.set(this.data.subarray(0, this.len));
      this.data = next;
    }
    this.data.set(chunk, this.len);
    this.len += chunk.length;
  }
  push(byte: number): void {
    if (this.len === this.data.length) this.append(Uint8Array.of(byte));
    else this.data[this.len++] = byte;
  }
  /** A copy of the content. */
  take(): Uint8Array {
    const out = this.data.slice(0, this.len);
    this.len = 0;
    return out;
  }
  clear(): void {
    this.len = 0;
  }
}
