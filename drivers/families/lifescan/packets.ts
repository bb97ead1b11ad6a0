import { crc16CcittFalse, type Framer, type FramerOutput, type FramingProblem } from '../../kit/index.ts';

/**
 * The LifeScan "shared binary protocol" packet, common to the OneTouch UltraEasy / UltraMini
 * (serial cable), the Verio IQ (serial over its own USB chip) and the Verio family over USB
 * (lifescan-onetouch-ultraeasy/PROTOCOL.md §3, lifescan-onetouch-verio-iq/PROTOCOL.md §3):
 * `STX LEN LCB MESSAGE ETX CRC_lo CRC_hi`, where LEN counts the whole packet and the CRC is
 * CRC-16/CCITT-FALSE over STX..ETX, sent little-endian. What LCB means differs per meter (the
 * UltraEasy keeps sequence bits in it, the Verio meters send 00), so it is only carried here.
 * Pure: bytes in, packets out.
 */

export const STX = 0x02;
export const ETX = 0x03;
/** STX, LEN, LCB, ETX and two CRC bytes: an empty (control) packet is this long (see above). */
export const EMPTY_PACKET_LENGTH = 6;
/** LEN is one byte, so no packet is longer (see above). */
export const MAX_PACKET_LENGTH = 0xff;

/** One packet as received: its bytes, link-control byte and message. */
export interface Packet {
  raw: Uint8Array;
  lcb: number;
  message: Uint8Array;
}

/** What the framer saw, in stream order: a good packet, or the bytes of one that failed its CRC. */
export type PacketItem = { kind: 'packet'; packet: Packet } | { kind: 'corrupt'; raw: Uint8Array };

/** The kit's framer output plus every packet, good or corrupt, in the order it arrived. */
export interface PacketFramerOutput extends FramerOutput<Packet> {
  items: PacketItem[];
}

/**
 * The packet framer as a kit Framer of items, good packets and those that failed their CRC, for
 * the kit's FrameReader: the host re-sends at once on a bad CRC instead of waiting for a deadline.
 */
export function createPacketItemFramer(): Framer<PacketItem> {
  const packets = new PacketFramer();
  const items = (out: PacketFramerOutput): FramerOutput<PacketItem> => ({ frames: out.items, problems: out.problems });
  return { push: (chunk) => items(packets.push(chunk)), flush: () => items(packets.flush()) };
}

/** Build a packet: LEN from the message, CRC over STX..ETX, little-endian (see above). */
export function encodePacket(lcb: number, message: Uint8Array = new Uint8Array(0)): Uint8Array {
  const length = message.length + EMPTY_PACKET_LENGTH;
  if (length > MAX_PACKET_LENGTH) throw new RangeError(`message of ${message.length} bytes does not fit one packet`);
  const out = new Uint8Array(length);
  out[0] = STX;
  out[1] = length;
  out[2] = lcb & 0xff;
  out.set(message, 3);
  out[length - 3] = ETX;
  const crc = crc16CcittFalse(out, 0, length - 2);
  out[length - 2] = crc & 0xff;
  out[length - 1] = crc >> 8;
  return out;
}

export function readU16(bytes: Uint8Array, at: number): number {
  return (bytes[at] ?? 0) | ((bytes[at + 1] ?? 0) << 8);
}

export function readU32(bytes: Uint8Array, at: number): number {
  return ((bytes[at] ?? 0) | ((bytes[at + 1] ?? 0) << 8) | ((bytes[at + 2] ?? 0) << 16) | ((bytes[at + 3] ?? 0) << 24)) >>> 0;
}

export function writeU32(bytes: Uint8Array, at: number, value: number): void {
  for (let i = 0; i < 4; i++) bytes[at + i] = Math.floor(value / 2 ** (8 * i)) & 0xff;
}

/**
 * Cuts the meter's byte stream into packets. It resynchronises on STX: a candidate whose LEN is
 * out of bounds, whose ETX is not where LEN says, or whose CRC fails gives up only its first
 * byte, and so does one still waiting for bytes when a whole valid packet already follows it,
 * so a stray STX in noise never swallows or holds back the real packet behind it. A whole packet that
 * fails its CRC is reported once as PROTOCOL_CHECKSUM (with its bytes) and never decoded; its
 * other bytes are not reported again as noise. Never throws.
 */
export class PacketFramer implements Framer<Packet> {
  private pending = new Uint8Array(0);
  private skipped: number[] = [];
  /** Leading bytes of `pending` that belong to a packet already reported as corrupt. */
  private covered = 0;

  push(chunk: Uint8Array): PacketFramerOutput {
    const out: PacketFramerOutput = { frames: [], problems: [], items: [] };
    if (chunk.length === 0) return out;
    const joined = new Uint8Array(this.pending.length + chunk.length);
    joined.set(this.pending);
    joined.set(chunk, this.pending.length);
    this.pending = joined;
    this.scan(out);
    return out;
  }

  flush(): PacketFramerOutput {
    const out: PacketFramerOutput = { frames: [], problems: [], items: [] };
    this.skipped.push(...this.pending.subarray(this.covered));
    this.pending = new Uint8Array(0);
    this.covered = 0;
    this.reportSkipped(out.problems, true);
    return out;
  }

  private scan(out: PacketFramerOutput): void {
    let at = 0;
    const data = this.pending;
    const skip = (): void => {
      if (at >= this.covered) this.skipped.push(data[at] ?? 0);
      at++;
    };
    while (at < data.length) {
      if (data[at] !== STX) {
        skip();
        continue;
      }
      if (data.length - at < 2) break;
      const length = data[at + 1] ?? 0;
      if (length < EMPTY_PACKET_LENGTH) {
        skip();
        continue;
      }
      if (data.length - at < length) {
        // Wait for the rest, unless a whole valid packet already follows: then this STX was noise.
        if (!validPacketFrom(data, at + 1)) break;
        skip();
        continue;
      }
      if (data[at + length - 3] !== ETX) {
        skip();
        continue;
      }
      const raw = data.slice(at, at + length);
      const sent = readU16(raw, length - 2);
      const computed = crc16CcittFalse(raw, 0, length - 2);
      if (sent !== computed) {
        if (at >= this.covered) {
          this.reportSkipped(out.problems, false);
          out.problems.push({ code: 'PROTOCOL_CHECKSUM', message: `packet CRC ${hex4(sent)} sent, ${hex4(computed)} computed`, raw });
          out.items.push({ kind: 'corrupt', raw });
          this.covered = at + length;
        }
        at++;
        continue;
      }
      this.reportSkipped(out.problems, false);
      const packet = { raw, lcb: raw[2] ?? 0, message: raw.slice(3, length - 3) };
      out.frames.push(packet);
      out.items.push({ kind: 'packet', packet });
      at += length;
    }
    this.pending = data.slice(at);
    this.covered = Math.max(0, this.covered - at);
    // Noise without any STX in sight is reported now; a run that may still lead into a packet waits.
    if (this.pending.length === 0) this.reportSkipped(out.problems, false);
  }

  /** One problem per run of skipped bytes: truncated when it began like a packet, garbage otherwise. */
  private reportSkipped(problems: FramingProblem[], atEnd: boolean): void {
    if (this.skipped.length === 0) return;
    const raw = Uint8Array.from(this.skipped);
    this.skipped = [];
    if (raw[0] === STX) {
      const why = atEnd ? 'stream ended inside a packet' : 'packet cut short or broken (no ETX where its length says)';
      problems.push({ code: 'PROTOCOL_TRUNCATED', message: `${why}, ${raw.length} byte(s) skipped`, raw });
    } else {
      problems.push({ code: 'PROTOCOL_GARBAGE', message: `${raw.length} byte(s) outside any packet skipped`, raw });
    }
  }
}

/** Does a whole packet with a good CRC start at some STX at or after `from`? */
function validPacketFrom(data: Uint8Array, from: number): boolean {
  for (let i = data.indexOf(STX, from); i >= 0; i = data.indexOf(STX, i + 1)) {
    const length = data[i + 1] ?? 0;
    if (length < EMPTY_PACKET_LENGTH || i + length > data.length || data[i + length - 3] !== ETX) continue;
    if (readU16(data, i + length - 2) === crc16CcittFalse(data, i, i + length - 2)) return true;
  }
  return false;
}

function hex4(n: number): string {
  return n.toString(16).toUpperCase().padStart(4, '0');
}
