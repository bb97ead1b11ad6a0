import { ByteBuffer, type Framer, type FramerOutput, type FramingProblem } from '../../kit/index.ts';

/**
 * Contec CMS50 link layer (PROTOCOL.md §2–3). Two firmware generations, told apart by where bit 7
 * is set: a V7.0 packet starts with a byte whose bit 7 is clear (the type) and every later byte
 * has it set; an older-firmware frame starts with a byte whose bit 7 is set (the sync) followed
 * by four bytes with it clear. No checksum in either.
 */

/** Which protocol a frame, a session or an option speaks. */
export type Cms50Format = 'v7' | 'legacy';

/** A whole frame: a V7.0 packet (type byte first, still encoded) or an older-firmware 5-byte frame. */
export interface Cms50Frame {
  format: Cms50Format;
  bytes: Uint8Array;
}

/** V7.0 packet types (PROTOCOL.md §3.3). */
export const PACKET_REAL_TIME = 0x01;
/** Total lengths of the V7.0 packets this driver reads (type + high byte + data). */
const V7_LENGTHS: Readonly<Record<number, number>> = { [PACKET_REAL_TIME]: 9 };
/** A V7.0 packet of a type whose length we do not know ends at the next type byte; none is longer. */
const V7_MAX_BYTES = 32;
/** Older-firmware frames are 5 bytes (PROTOCOL.md §4). */
export const LEGACY_FRAME_BYTES = 5;

/** V7.0 host commands (PROTOCOL.md §3.2). */
export const COMMAND = { start: 0xa1, stop: 0xa2, keepAlive: 0xaf } as const;

/** A 9-byte V7.0 command: `7D 81 <cmd>` and six zero data bytes, each sent with bit 7 set. */
export function encodeCommand(command: number): Uint8Array {
  return Uint8Array.of(0x7d, 0x81, command, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80);
}

/**
 * Restore a V7.0 packet's data bytes: bit i of the high byte (byte 1) is bit 7 of data byte i
 * (PROTOCOL.md §3.1). `packet` is the whole packet, type first.
 */
export function restoreData(packet: Uint8Array): Uint8Array {
  const high = packet[1] ?? 0;
  const data = packet.slice(2);
  for (let i = 0; i < data.length; i++) data[i] = ((data[i] as number) & 0x7f) | (((high >> i) & 1) << 7);
  return data;
}

/** Encode data bytes as a V7.0 packet of `type` (the simulator's side of `restoreData`). */
export function encodePacket(type: number, data: readonly number[]): Uint8Array {
  let high = 0x80;
  data.forEach((b, i) => (high |= ((b >> 7) & 1) << i));
  return Uint8Array.of(type & 0x7f, high, ...data.map((b) => (b & 0x7f) | 0x80));
}

/** Shared bookkeeping: skipped bytes become one PROTOCOL_GARBAGE problem before the next frame. */
class Skipped {
  private count = 0;
  add(): void {
    this.count++;
  }
  report(out: FramingProblem[], what: string): void {
    if (this.count === 0) return;
    out.push({ code: 'PROTOCOL_GARBAGE', message: `${this.count} byte(s) outside any ${what} skipped`, raw: new Uint8Array() });
    this.count = 0;
  }
}

/** V7.0 packets: a type byte (bit 7 clear) and the bytes with bit 7 set that follow it. */
export class V7Framer implements Framer<Uint8Array> {
  private packet = new ByteBuffer();
  /** The type byte of the packet in progress. */
  private type = -1;
  private readonly skipped = new Skipped();

  push(chunk: Uint8Array): FramerOutput<Uint8Array> {
    const out: FramerOutput<Uint8Array> = { frames: [], problems: [] };
    for (const b of chunk) {
      if ((b & 0x80) === 0) {
        this.end(out, 'a new packet started');
        this.skipped.report(out.problems, 'V7.0 packet');
        this.packet.push(b);
        this.type = b;
      } else if (this.packet.length === 0) {
        this.skipped.add();
      } else {
        this.packet.push(b);
        const want = V7_LENGTHS[this.type];
        if (this.packet.length === want) out.frames.push(this.packet.take());
        else if (this.packet.length >= V7_MAX_BYTES) {
          out.problems.push({ code: 'PROTOCOL_GARBAGE', message: `V7.0 packet longer than ${V7_MAX_BYTES} bytes skipped`, raw: this.packet.take() });
        }
      }
    }
    return out;
  }

  flush(): FramerOutput<Uint8Array> {
    const out: FramerOutput<Uint8Array> = { frames: [], problems: [] };
    this.end(out, 'the stream ended');
    this.skipped.report(out.problems, 'V7.0 packet');
    return out;
  }

  /** The packet in progress ends: whole when its type's length is unknown, else cut short. */
  private end(out: FramerOutput<Uint8Array>, why: string): void {
    if (this.packet.length === 0) return;
    const bytes = this.packet.take();
    const want = V7_LENGTHS[bytes[0] as number];
    if (want === undefined) out.frames.push(bytes);
    else out.problems.push({ code: 'PROTOCOL_TRUNCATED', message: `V7.0 packet type 0x${(bytes[0] as number).toString(16).padStart(2, '0')} cut short at ${bytes.length} of ${want} bytes (${why})`, raw: bytes });
  }
}

/** Older-firmware frames: a sync byte (bit 7 set) and four bytes with bit 7 clear. */
export class LegacyFramer implements Framer<Uint8Array> {
  private frame = new ByteBuffer();
  private readonly skipped = new Skipped();

  push(chunk: Uint8Array): FramerOutput<Uint8Array> {
    const out: FramerOutput<Uint8Array> = { frames: [], problems: [] };
    for (const b of chunk) {
      if ((b & 0x80) !== 0) {
        this.cut(out, 'a new sync byte arrived');
        this.skipped.report(out.problems, 'frame');
        this.frame.push(b);
      } else if (this.frame.length === 0) {
        this.skipped.add();
      } else {
        this.frame.push(b);
        if (this.frame.length === LEGACY_FRAME_BYTES) out.frames.push(this.frame.take());
      }
    }
    return out;
  }

  flush(): FramerOutput<Uint8Array> {
    const out: FramerOutput<Uint8Array> = { frames: [], problems: [] };
    this.cut(out, 'the stream ended');
    this.skipped.report(out.problems, 'frame');
    return out;
  }

  private cut(out: FramerOutput<Uint8Array>, why: string): void {
    if (this.frame.length === 0) return;
    const bytes = this.frame.take();
    out.problems.push({ code: 'PROTOCOL_TRUNCATED', message: `frame cut short at ${bytes.length} of ${LEGACY_FRAME_BYTES} bytes (${why})`, raw: bytes });
  }
}
