import { ByteBuffer, type Framer, type FramerOutput, type FramingProblem } from '../../kit/index.ts';

/**
 * TaiDoc TD-42xx packets (PROTOCOL.md §3): always 8 bytes, `51 CMD M0 M1 M2 M3 DIR CK`, where DIR
 * says who sent it and CK is the sum of the first seven bytes & 0xFF. Pure encode and framing.
 */
export const PACKET_LENGTH = 8;
export const START = 0x51;
/** DIR of a packet the host sends. */
export const TO_METER = 0xa3;
/** DIR of a packet the meter sends. */
export const FROM_METER = 0xa5;

/** The commands this driver sends or understands (PROTOCOL.md §4). `clear memory` (0x52) is deliberately absent. */
export const CMD = {
  connect: 0x22,
  readClock: 0x23,
  model: 0x24,
  recordTime: 0x25,
  recordValue: 0x26,
  serialPart1: 0x27,
  serialPart2: 0x28,
  recordCount: 0x2b,
  setClock: 0x33,
  turnOff: 0x50,
  /** Unsolicited "entering communication mode": the meter may send it at any time. */
  communicationMode: 0x54,
} as const;

/** One packet as read: its command, its four message bytes, its direction byte, and all 8 bytes. */
export interface Packet {
  cmd: number;
  message: Uint8Array;
  direction: number;
  raw: Uint8Array;
}

/** The checksum of bytes 0–6. */
export function packetChecksum(bytes: Uint8Array): number {
  let sum = 0;
  for (let i = 0; i < PACKET_LENGTH - 1; i++) sum += bytes[i] ?? 0;
  return sum & 0xff;
}

/** Build a packet; `message` is the 4 bytes M0..M3 (shorter is zero-filled). */
export function encodePacket(cmd: number, message: ArrayLike<number> = [], direction: number = TO_METER): Uint8Array {
  if (message.length > 4) throw new RangeError(`a TaiDoc packet carries 4 message bytes, got ${message.length}`);
  const out = new Uint8Array(PACKET_LENGTH);
  out[0] = START;
  out[1] = cmd & 0xff;
  for (let i = 0; i < message.length; i++) out[2 + i] = (message[i] ?? 0) & 0xff;
  out[6] = direction;
  out[7] = packetChecksum(out);
  return out;
}

/** A request about record `index` (0 = newest): `idx u16 LE, 00 00`. */
export function recordRequest(cmd: typeof CMD.recordTime | typeof CMD.recordValue, index: number): Uint8Array {
  return encodePacket(cmd, [index & 0xff, (index >> 8) & 0xff, 0, 0]);
}

/** The 4-byte datetime of PROTOCOL.md §5: word `(year−2000)<<9 | month<<5 | day` LE, minute, hour. */
export function encodeDateTime(t: { year: number; month: number; day: number; hour: number; minute: number }): number[] {
  const word = (((t.year - 2000) & 0x7f) << 9) | ((t.month & 0x0f) << 5) | (t.day & 0x1f);
  return [word & 0xff, word >> 8, t.minute & 0x3f, t.hour & 0x1f];
}

/** What the framer yields: a packet whose checksum holds, or one that failed it (answered by asking again). */
export type PacketItem = { kind: 'packet'; packet: Packet } | { kind: 'corrupt'; raw: Uint8Array };

/**
 * Cut a byte stream into packets. Resynchronises on `51`: bytes before it are garbage; a packet
 * whose checksum fails is handed out as `corrupt` (one problem) and skipped whole, since every
 * packet has the same length and the next one starts right after it.
 */
export class TaidocFramer implements Framer<PacketItem> {
  private readonly buffer = new ByteBuffer();

  push(chunk: Uint8Array): FramerOutput<PacketItem> {
    this.buffer.append(chunk);
    const bytes = this.buffer.take();
    const frames: PacketItem[] = [];
    const problems: FramingProblem[] = [];
    let at = 0;
    while (at < bytes.length) {
      const start = bytes.indexOf(START, at);
      if (start < 0) {
        problems.push({ code: 'PROTOCOL_GARBAGE', message: 'bytes outside a TaiDoc packet skipped', raw: bytes.slice(at) });
        at = bytes.length;
        break;
      }
      if (start > at) problems.push({ code: 'PROTOCOL_GARBAGE', message: 'bytes outside a TaiDoc packet skipped', raw: bytes.slice(at, start) });
      if (bytes.length - start < PACKET_LENGTH) {
        at = start;
        break;
      }
      const raw = bytes.slice(start, start + PACKET_LENGTH);
      const direction = raw[6] ?? 0;
      if ((direction !== FROM_METER && direction !== TO_METER) || packetChecksum(raw) !== raw[7]) {
        if (direction !== FROM_METER && direction !== TO_METER) {
          // Not a packet start at all (a 51 inside garbage): skip one byte and look again.
          problems.push({ code: 'PROTOCOL_GARBAGE', message: 'a 51 byte that does not start a TaiDoc packet skipped', raw: raw.slice(0, 1) });
          at = start + 1;
          continue;
        }
        problems.push({ code: 'PROTOCOL_CHECKSUM', message: 'a TaiDoc packet failed its checksum', raw });
        frames.push({ kind: 'corrupt', raw });
        at = start + PACKET_LENGTH;
        continue;
      }
      frames.push({ kind: 'packet', packet: { cmd: raw[1] ?? 0, message: raw.slice(2, 6), direction, raw } });
      at = start + PACKET_LENGTH;
    }
    if (at < bytes.length) this.buffer.append(bytes.subarray(at));
    return { frames, problems };
  }

  flush(): FramerOutput<PacketItem> {
    const rest = this.buffer.take();
    return { frames: [], problems: rest.length > 0 ? [{ code: 'PROTOCOL_TRUNCATED', message: 'the link ended inside a TaiDoc packet', raw: rest }] : [] };
  }
}
