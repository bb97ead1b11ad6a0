import { ByteBuffer, type Framer, type FramerOutput } from '../../kit/index.ts';

/** The field introducer (PROTOCOL.md §2). */
export const ESC = 0x1b;
/** `ESC R` starts a packet, `ESC E` ends it. */
export const START = 0x52;
export const END = 0x45;
/**
 * The longest packet seen is ~60 bytes (id, weight, height, BMI, tare, units); far longer
 * without an `ESC E` is noise or another output mode.
 */
export const MAX_PACKET_BYTES = 160;

/**
 * Packets have no line end: frame on `ESC E` and anchor on the last `ESC R` before it, so a
 * packet cut short (cable pulled, buffer overrun) is reported and the next one still decodes
 * (PROTOCOL.md §2). A frame is `ESC R … ESC E`, both included.
 */
export class EscPacketFramer implements Framer {
  private buf = new ByteBuffer();
  private prevEsc = false;

  push(chunk: Uint8Array): FramerOutput {
    const out: FramerOutput = { frames: [], problems: [] };
    for (const b of chunk) {
      this.buf.push(b);
      const ended = this.prevEsc && b === END;
      this.prevEsc = b === ESC;
      if (ended) this.endPacket(out);
      else if (this.buf.length > MAX_PACKET_BYTES) {
        out.problems.push({ code: 'PROTOCOL_GARBAGE', message: `more than ${MAX_PACKET_BYTES} bytes without ESC E skipped`, raw: this.buf.take() });
        this.prevEsc = false;
      }
    }
    return out;
  }

  flush(): FramerOutput {
    const out: FramerOutput = { frames: [], problems: [] };
    if (this.buf.length > 0) out.problems.push({ code: 'PROTOCOL_TRUNCATED', message: `stream ended inside a packet (${this.buf.length} bytes)`, raw: this.buf.take() });
    this.prevEsc = false;
    return out;
  }

  private endPacket(out: FramerOutput): void {
    const bytes = this.buf.take();
    let start = -1;
    for (let i = bytes.length - 3; i >= 0; i--) {
      if (bytes[i] === ESC && bytes[i + 1] === START) {
        start = i;
        break;
      }
    }
    if (start < 0) {
      out.problems.push({ code: 'PROTOCOL_GARBAGE', message: 'ESC E without an ESC R start', raw: bytes });
      return;
    }
    if (start > 0) {
      const cut = bytes[0] === ESC && bytes[1] === START;
      out.problems.push(
        cut ? { code: 'PROTOCOL_TRUNCATED', message: 'a packet cut short before the next ESC R', raw: bytes.slice(0, start) } : { code: 'PROTOCOL_GARBAGE', message: 'bytes before ESC R skipped', raw: bytes.slice(0, start) },
      );
    }
    out.frames.push(bytes.slice(start));
  }
}

/** A fresh framer for one direction of one session. */
export function createPacketFramer(): EscPacketFramer {
  return new EscPacketFramer();
}
