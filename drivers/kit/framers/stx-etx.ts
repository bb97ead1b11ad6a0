import { ByteBuffer, type Framer, type FramerOutput } from './framer.ts';

export interface StxEtxFramerOptions {
  /** Start byte. Default 0x02 (STX). */
  start?: number;
  /** End byte. Default 0x03 (ETX). */
  end?: number;
  /** Bytes that follow the end byte and belong to the frame (a checksum, CR LF). Default 0. */
  trailerLength?: number;
  /** Longest frame accepted, start and trailer included. Default 8192. */
  maxLength?: number;
}

/**
 * Frames that run from a start byte to an end byte (plus a fixed trailer). Frames include the
 * start, end and trailer bytes. Bytes outside a frame are noise: each run of them is reported
 * once. A start byte inside a frame means the previous frame was cut short: it is reported as
 * truncated and a new frame starts, so one lost ETX costs one frame, not the rest of the stream.
 */
export class StxEtxFramer implements Framer {
  private readonly start: number;
  private readonly end: number;
  private readonly trailerLength: number;
  private readonly maxLength: number;
  private frame = new ByteBuffer();
  private inFrame = false;
  private trailerLeft = -1;
  private noise = new ByteBuffer();

  constructor(options: StxEtxFramerOptions = {}) {
    this.start = options.start ?? 0x02;
    this.end = options.end ?? 0x03;
    this.trailerLength = options.trailerLength ?? 0;
    this.maxLength = options.maxLength ?? 8192;
  }

  push(chunk: Uint8Array): FramerOutput {
    const out: FramerOutput = { frames: [], problems: [] };
    for (const b of chunk) this.step(b, out);
    return out;
  }

  flush(): FramerOutput {
    const out: FramerOutput = { frames: [], problems: [] };
    this.reportNoise(out);
    if (this.inFrame) {
      out.problems.push({ code: 'PROTOCOL_TRUNCATED', message: 'stream ended inside a frame', raw: this.frame.take() });
      this.inFrame = false;
      this.trailerLeft = -1;
    }
    return out;
  }

  private step(b: number, out: FramerOutput): void {
    if (!this.inFrame) {
      if (b === this.start) {
        this.reportNoise(out);
        this.inFrame = true;
        this.frame.push(b);
      } else {
        this.noise.push(b);
      }
      return;
    }
    if (this.trailerLeft > 0) {
      this.frame.push(b);
      if (--this.trailerLeft === 0) this.finish(out);
      return;
    }
    if (b === this.start) {
      out.problems.push({ code: 'PROTOCOL_TRUNCATED', message: 'frame cut short by a new start byte', raw: this.frame.take() });
      this.frame.push(b);
      return;
    }
    this.frame.push(b);
    if (b === this.end) {
      if (this.trailerLength === 0) this.finish(out);
      else this.trailerLeft = this.trailerLength;
    } else if (this.frame.length >= this.maxLength) {
      out.problems.push({ code: 'PROTOCOL_GARBAGE', message: `frame longer than ${this.maxLength} bytes dropped`, raw: this.frame.take() });
      this.inFrame = false;
    }
  }

  private finish(out: FramerOutput): void {
    out.frames.push(this.frame.take());
    this.inFrame = false;
    this.trailerLeft = -1;
  }

  private reportNoise(out: FramerOutput): void {
    if (this.noise.length === 0) return;
    const raw = this.noise.take();
    out.problems.push({ code: 'PROTOCOL_GARBAGE', message: `${raw.length} byte(s) outside any frame skipped`, raw });
  }
}
