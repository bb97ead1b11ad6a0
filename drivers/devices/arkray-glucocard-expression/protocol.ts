import { type Framer, type FramerOutput, type FramingProblem, sum8 } from '../../kit/index.ts';

/**
 * The GLUCOCARD Expression link layer (PROTOCOL.md §1–2), pure: fixed 11-byte packets
 * `SB OP P0..P7 CK`, `SB` = AA host → meter and DD meter → host, `CK` = (OP + ΣP) & 0xFF.
 */

export const PACKET_BYTES = 11;
export const HOST_START = 0xaa;
export const METER_START = 0xdd;

/** Opcodes (PROTOCOL.md §2). */
export const OPCODE = { ping: 0x00, readClock: 0x07, readSerial: 0x0f, readMemory: 0x10, writeClock: 0x16 } as const;

/** Memory slots the meter sends after READ GLUCOSE, one packet each (PROTOCOL.md §3). */
export const MEMORY_SLOTS = 300;

/** A checked packet: opcode, the 8 payload bytes, and the bytes as sent. */
export interface Packet {
  op: number;
  payload: Uint8Array;
  raw: Uint8Array;
}

/** The checksum of a packet: opcode plus payload, the start byte left out. */
export function packetChecksum(bytes: Uint8Array): number {
  return sum8(bytes, 1, PACKET_BYTES - 1);
}

/** A packet `start op payload ck`; the payload is zero-filled to 8 bytes. */
export function encodePacket(start: number, op: number, payload: readonly number[] = []): Uint8Array {
  const bytes = new Uint8Array(PACKET_BYTES);
  bytes[0] = start;
  bytes[1] = op;
  bytes.set(payload.slice(0, 8), 2);
  bytes[PACKET_BYTES - 1] = packetChecksum(bytes);
  return bytes;
}

/**
 * Meter packets from the byte stream: bytes before a DD are noise; a DD starts 11 bytes whose
 * checksum must hold. A packet with a wrong checksum is reported and only its DD is skipped, so
 * a stray DD in noise cannot swallow the real packet that follows.
 */
export class PacketFramer implements Framer<Packet> {
  private buffer: number[] = [];

  constructor(private readonly start: number = METER_START) {}

  push(chunk: Uint8Array): FramerOutput<Packet> {
    for (const b of chunk) this.buffer.push(b);
    const frames: Packet[] = [];
    const problems: FramingProblem[] = [];
    for (;;) {
      const at = this.buffer.indexOf(this.start);
      if (at < 0) {
        if (this.buffer.length > 0) problems.push({ code: 'PROTOCOL_GARBAGE', message: 'bytes outside a packet skipped', raw: Uint8Array.from(this.buffer) });
        this.buffer = [];
        break;
      }
      if (at > 0) {
        problems.push({ code: 'PROTOCOL_GARBAGE', message: 'bytes before a packet skipped', raw: Uint8Array.from(this.buffer.slice(0, at)) });
        this.buffer = this.buffer.slice(at);
      }
      if (this.buffer.length < PACKET_BYTES) break;
      const raw = Uint8Array.from(this.buffer.slice(0, PACKET_BYTES));
      if (packetChecksum(raw) !== raw[PACKET_BYTES - 1]) {
        problems.push({ code: 'PROTOCOL_CHECKSUM', message: `packet checksum ${hex2(raw[PACKET_BYTES - 1] ?? 0)} does not match (sum ${hex2(packetChecksum(raw))})`, raw });
        this.buffer = this.buffer.slice(1);
        continue;
      }
      this.buffer = this.buffer.slice(PACKET_BYTES);
      frames.push({ op: raw[1] ?? 0, payload: raw.slice(2, 10), raw });
    }
    return { frames, problems };
  }

  flush(): FramerOutput<Packet> {
    const rest = this.buffer;
    this.buffer = [];
    return { frames: [], problems: rest.length > 0 ? [{ code: 'PROTOCOL_TRUNCATED', message: `the stream ended ${rest.length} byte(s) into a packet`, raw: Uint8Array.from(rest) }] : [] };
  }
}

function hex2(n: number): string {
  return n.toString(16).toUpperCase().padStart(2, '0');
}
