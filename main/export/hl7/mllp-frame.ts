/**
 * MLLP release 1 framing (docs/export.md §6): 0x0B, the message, 0x1C 0x0D. Bytes, not text,
 * because a multi-byte UTF-8 character may be split across TCP chunks.
 */
const VT = 0x0b;
const FS = 0x1c;
const CR = 0x0d;

export function encodeFrame(message: string): Buffer {
  return Buffer.concat([Buffer.from([VT]), Buffer.from(message, 'utf8'), Buffer.from([FS, CR])]);
}

/**
 * A streaming deframer: feed it chunks as they come, get whole messages out. Anything outside a
 * frame (line noise, a keep-alive byte, the tail of a frame we gave up on) is skipped, and a
 * new start byte always begins a new frame, so one broken frame cannot swallow the next.
 */
export class MllpDeframer {
  private buffer: Buffer = Buffer.alloc(0);

  /** Append `chunk`; returns the messages it completed, decoded as UTF-8, in order. */
  push(chunk: Uint8Array): string[] {
    this.buffer = this.buffer.length === 0 ? Buffer.from(chunk) : Buffer.concat([this.buffer, chunk]);
    const out: string[] = [];
    for (;;) {
      const start = this.buffer.indexOf(VT);
      if (start < 0) {
        this.buffer = Buffer.alloc(0); // all junk
        return out;
      }
      const restart = this.buffer.indexOf(VT, start + 1);
      const end = this.findEnd(start + 1);
      if (end < 0) {
        // Incomplete: keep from the last start byte only (an earlier unterminated frame is junk).
        const lastStart = this.buffer.lastIndexOf(VT);
        this.buffer = this.buffer.subarray(lastStart);
        return out;
      }
      if (restart >= 0 && restart < end) {
        this.buffer = this.buffer.subarray(restart); // an unterminated frame followed by a new one
        continue;
      }
      out.push(this.buffer.subarray(start + 1, end).toString('utf8'));
      this.buffer = this.buffer.subarray(end + 2);
    }
  }

  private findEnd(from: number): number {
    for (let i = this.buffer.indexOf(FS, from); i >= 0; i = this.buffer.indexOf(FS, i + 1)) {
      if (i + 1 < this.buffer.length && this.buffer[i + 1] === CR) return i;
      if (i + 1 >= this.buffer.length) return -1; // FS is the last byte so far: wait for the next one
    }
    return -1;
  }
}
