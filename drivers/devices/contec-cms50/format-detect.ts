import type { Framer, FramerOutput, FramingProblem } from '../../kit/index.ts';
import { type Cms50Format, type Cms50Frame, LegacyFramer, PACKET_REAL_TIME, V7Framer } from './protocol.ts';

/** Whole frames of one format in a row that settle which firmware is talking (PROTOCOL.md §5). */
export const FRAMES_TO_DETECT = 3;
/** Bytes after which an undecided stream is reported as neither format (and the count restarts). */
const UNDECIDED_REPORT_BYTES = 4096;

/**
 * The CMS50 framer for a session: a fixed format, or `auto`, which frames the stream both ways
 * until one way yields FRAMES_TO_DETECT good frames in a row (a V7.0 real-time packet, or a
 * 5-byte older-firmware frame), then keeps that way (PROTOCOL.md §5). The two formats set bit 7
 * on opposite bytes, so one never frames the other's stream. Frames and problems seen before
 * the decision are kept and given out once it is made, so nothing depends on chunking.
 */
export class Cms50Framer implements Framer<Cms50Frame> {
  private readonly v7 = new V7Framer();
  private readonly legacy = new LegacyFramer();
  private held: Record<Cms50Format, { frames: Uint8Array[]; problems: FramingProblem[]; run: number }> = {
    v7: { frames: [], problems: [], run: 0 },
    legacy: { frames: [], problems: [], run: 0 },
  };
  private undecidedBytes = 0;

  constructor(private mode: Cms50Format | 'auto') {}

  /** The format in use, once fixed or detected. */
  get format(): Cms50Format | undefined {
    return this.mode === 'auto' ? undefined : this.mode;
  }

  push(chunk: Uint8Array): FramerOutput<Cms50Frame> {
    if (this.mode !== 'auto') return this.tag(this.mode, this.framer(this.mode).push(chunk));
    const out: FramerOutput<Cms50Frame> = { frames: [], problems: [] };
    // Byte by byte while undecided, so the decision falls on the same byte however the stream is cut.
    for (let i = 0; i < chunk.length; i++) {
      const byte = chunk.subarray(i, i + 1);
      for (const format of ['v7', 'legacy'] as const) this.hold(format, this.framer(format).push(byte));
      const decided = (['v7', 'legacy'] as const).find((f) => this.held[f].run >= FRAMES_TO_DETECT);
      if (decided) {
        this.mode = decided;
        const held = this.held[decided];
        out.frames.push(...held.frames.map((bytes) => ({ format: decided, bytes })));
        out.problems.push(...held.problems);
        const rest = this.push(chunk.subarray(i + 1));
        out.frames.push(...rest.frames);
        out.problems.push(...rest.problems);
        return out;
      }
      if (++this.undecidedBytes >= UNDECIDED_REPORT_BYTES) {
        out.problems.push({ code: 'PROTOCOL_GARBAGE', message: `${UNDECIDED_REPORT_BYTES} bytes that are neither V7.0 packets nor older-firmware frames (check the baud rate and parity)`, raw: new Uint8Array() });
        this.undecidedBytes = 0;
        for (const f of ['v7', 'legacy'] as const) this.held[f] = { frames: [], problems: [], run: 0 };
      }
    }
    return out;
  }

  flush(): FramerOutput<Cms50Frame> {
    if (this.mode !== 'auto') return this.tag(this.mode, this.framer(this.mode).flush());
    // The stream ended undecided: nothing to give out but a report that the stream was unreadable.
    const bytes = this.undecidedBytes;
    return { frames: [], problems: bytes > 0 ? [{ code: 'PROTOCOL_GARBAGE', message: `stream ended before the firmware could be told (${bytes} bytes, neither format)`, raw: new Uint8Array() }] : [] };
  }

  private framer(format: Cms50Format): Framer<Uint8Array> {
    return format === 'v7' ? this.v7 : this.legacy;
  }

  private hold(format: Cms50Format, got: FramerOutput<Uint8Array>): void {
    const held = this.held[format];
    held.problems.push(...got.problems);
    if (got.problems.length > 0) held.run = 0;
    for (const frame of got.frames) {
      held.frames.push(frame);
      // Only a V7.0 real-time packet counts as a good V7.0 frame: any byte below 0x80 starts one.
      const good = format === 'legacy' || (frame[0] === PACKET_REAL_TIME && frame.length === 9);
      held.run = good ? held.run + 1 : 0;
    }
  }

  private tag(format: Cms50Format, got: FramerOutput<Uint8Array>): FramerOutput<Cms50Frame> {
    return { frames: got.frames.map((bytes) => ({ format, bytes })), problems: got.problems };
  }
}
