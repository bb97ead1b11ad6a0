import { ByteBuffer, type Framer, type FramerOutput, type FramingProblem } from '../../kit/index.ts';

/**
 * SD CodeFree packets (PROTOCOL.md §2): `53 DIR LEN MSG… CK AA`, where LEN = len(MSG) + 2 (it
 * counts CK and the trailer) and CK is the XOR of the MSG bytes. Pure encode and framing.
 */
export const START = 0x53;
export const TRAILER = 0xaa;
/** DIR of a packet the meter sends. */
export const FROM_METER = 0x20;
/** DIR of a packet the host sends. */
export const TO_METER = 0x10;
/** Longest message the framer accepts: the count message is 22 bytes, a record 17. */
const MAX_MESSAGE = 64;

/** The messages of the session (PROTOCOL.md §3). */
export const MESSAGE = {
  /** The meter's challenge when it is switched on. */
  challenge: Uint8Array.of(0x10, 0x30),
  /** The host's answer: start. */
  start: Uint8Array.of(0x10, 0x40),
  /** The host's request for the next reading. */
  fetch: Uint8Array.of(0x10, 0x60),
} as const;
/** First byte of the count message. */
export const COUNT_TAG = 0x30;
/** Length of a record message. */
export const RECORD_LENGTH = 17;

export function xorOf(bytes: Uint8Array): number {
  let x = 0;
  for (const b of bytes) x ^= b;
  return x;
}

/** Build a packet around `message`. */
export function encodePacket(message: Uint8Array, direction: number = TO_METER): Uint8Array {
  return Uint8Array.of(START, direction, message.length + 2, ...message, xorOf(message), TRAILER);
}

/** A packet as read: direction, message and all its bytes. */
export interface Packet {
  direction: number;
  message: Uint8Array;
  raw: Uint8Array;
}

/** Packets whose checksum holds, or the bytes of one that failed it. */
export type PacketItem = { kind: 'packet'; packet: Packet } | { kind: 'corrupt'; raw: Uint8Array };

/**
 * Cut a byte stream into packets, resynchronising on `53`: bytes before it (the spurious `00` a
 * meter may send first, line noise) are garbage; a `53` whose DIR or LEN is impossible, or
 * whose trailer is not `AA`, is skipped; a checksum failure is handed out as `corrupt`.
 */
export class CodeFreeFramer implements Framer<PacketItem> {
  private readonly buffer = new ByteBuffer();

  push(chunk: Uint8Array): FramerOutput<PacketItem> {
    this.buffer.append(chunk);
    const bytes = this.buffer.take();
    const frames: PacketItem[] = [];
    const problems: FramingProblem[] = [];
    let at = 0;
    const garbage = (from: number, to: number, message: string): void => void problems.push({ code: 'PROTOCOL_GARBAGE', message, raw: bytes.slice(from, to) });
    while (at < bytes.length) {
      const start = bytes.indexOf(START, at);
      if (start < 0) {
        garbage(at, bytes.length, 'bytes outside an SD CodeFree packet skipped');
        at = bytes.length;
        break;
      }
      if (start > at) garbage(at, start, 'bytes outside an SD CodeFree packet skipped');
      if (bytes.length - start < 3) {
        at = start;
        break;
      }
      const direction = bytes[start + 1] ?? 0;
      const len = bytes[start + 2] ?? 0;
      if ((direction !== FROM_METER && direction !== TO_METER) || len < 3 || len > MAX_MESSAGE + 2) {
        garbage(start, start + 1, 'a 53 byte that does not start an SD CodeFree packet skipped');
        at = start + 1;
        continue;
      }
      const total = 3 + len;
      if (bytes.length - start < total) {
        at = start;
        break;
      }
      const raw = bytes.slice(start, start + total);
      if (raw[total - 1] !== TRAILER) {
        garbage(start, start + 1, 'an SD CodeFree packet without its AA trailer skipped');
        at = start + 1;
        continue;
      }
      const message = raw.slice(3, total - 2);
      if (xorOf(message) !== raw[total - 2]) {
        problems.push({ code: 'PROTOCOL_CHECKSUM', message: 'an SD CodeFree packet failed its checksum', raw });
        frames.push({ kind: 'corrupt', raw });
      } else {
        frames.push({ kind: 'packet', packet: { direction, message, raw } });
      }
      at = start + total;
    }
    if (at < bytes.length) this.buffer.append(bytes.subarray(at));
    return { frames, problems };
  }

  /** A copy of the bytes of a packet begun and not yet whole (reported when a wait ends without it). */
  pending(): Uint8Array {
    const rest = this.buffer.take();
    this.buffer.append(rest);
    return rest;
  }

  flush(): FramerOutput<PacketItem> {
    const rest = this.buffer.take();
    return { frames: [], problems: rest.length > 0 ? [{ code: 'PROTOCOL_TRUNCATED', message: 'the link ended inside an SD CodeFree packet', raw: rest }] : [] };
  }
}
