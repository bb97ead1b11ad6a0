import { ByteBuffer, type Framer, type FramerOutput, hex2 } from '../../kit/index.ts';

/**
 * The Clinitek 50 link layer (PROTOCOL.md §2–3): single control bytes from the host, and packets
 * `STX CR LF` + lines each ended by `CR LF` + two hex checksum characters + `ETX` from the device.
 */
export const STX = 0x02;
export const ETX = 0x03;
/** Host: identify (the device answers with its ID packet). */
export const ENQ = 0x05;
/** Host: accept a packet. Device: never sent. */
export const ACK = 0x06;
/** Host: enable transfer, sent before each data request (PROTOCOL.md §3). */
export const XON = 0x11;
/** Host: request data, as the open-source drivers send it. */
export const DC2 = 0x12;
/** Host: request data, as the vendor's table is said to give it (DC2 and DC3 swapped, PROTOCOL.md §3). */
export const DC3 = 0x13;
/** Host: reject a packet (resend). Device: no more data. */
export const NAK = 0x15;

/** The product id the Clinitek 50 gives in its ID and data packets (PROTOCOL.md §4). */
export const PRODUCT_ID = '6510';
/** Longest packet we accept; a 12-line data packet is under 300 bytes (the open-source driver allows 1024). */
export const MAX_PACKET_BYTES = 1024;
const CRLF = '\r\n';

/**
 * The checksum (PROTOCOL.md §2): the sum of every byte after STX up to and including the last
 * CR LF before the checksum, mod 256, as two uppercase hex characters.
 */
export function packetChecksum(body: Uint8Array): string {
  let sum = 0;
  for (const b of body) sum = (sum + b) & 0xff;
  return hex2(sum);
}

/** A packet's parts once framed: its lines, and whether the checksum it carries is right. */
export interface Packet {
  /** The lines between the leading CR LF and the checksum, trailing spaces kept. */
  lines: string[];
  /** The two characters the device sent. */
  got: string;
  /** What the bytes sum to. */
  expected: string;
  checksumOk: boolean;
}

export type PacketOutcome = { ok: true; packet: Packet } | { ok: false; reason: string };

/**
 * A framed packet (STX … ETX, both included) to its lines and checksum verdict. Never throws: a
 * packet without the `STX CR LF` head, without a CR LF before the checksum or with a checksum
 * that is not two hex characters is not a packet.
 */
export function parsePacket(frame: Uint8Array): PacketOutcome {
  const n = frame.length;
  if (n < 8 || frame[0] !== STX || frame[n - 1] !== ETX) return { ok: false, reason: 'not an STX … ETX packet' };
  if (frame[1] !== 0x0d || frame[2] !== 0x0a) return { ok: false, reason: 'the packet does not start with STX CR LF' };
  if (frame[n - 5] !== 0x0d || frame[n - 4] !== 0x0a) return { ok: false, reason: 'no CR LF before the checksum' };
  const got = String.fromCharCode(frame[n - 3] ?? 0, frame[n - 2] ?? 0);
  if (!/^[0-9A-Fa-f]{2}$/.test(got)) return { ok: false, reason: `the checksum "${got}" is not two hex digits` };
  const body = frame.subarray(1, n - 3);
  const expected = packetChecksum(body);
  let text = '';
  for (let i = 3; i < n - 5; i++) text += String.fromCharCode(frame[i] ?? 0);
  const lines = text === '' ? [] : text.split(CRLF);
  return { ok: true, packet: { lines, got, expected, checksumOk: got.toUpperCase() === expected } };
}

/** A whole packet on the wire for these lines (the simulator's side, and tests). */
export function encodePacket(lines: readonly string[], options: { badChecksum?: boolean } = {}): Uint8Array {
  const body = CRLF + lines.map((l) => l + CRLF).join('');
  const bytes = Uint8Array.from(body, (c) => c.charCodeAt(0) & 0xff);
  let checksum = packetChecksum(bytes);
  if (options.badChecksum) checksum = hex2((parseInt(checksum, 16) + 1) & 0xff);
  const out = new Uint8Array(bytes.length + 4);
  out[0] = STX;
  out.set(bytes, 1);
  out[bytes.length + 1] = checksum.charCodeAt(0);
  out[bytes.length + 2] = checksum.charCodeAt(1);
  out[bytes.length + 3] = ETX;
  return out;
}

/** What the device sends: a packet (STX … ETX, both included), or a lone NAK (no more data). */
export type Reply = { kind: 'packet'; raw: Uint8Array } | { kind: 'nak'; raw: Uint8Array };

/**
 * The device's side of the stream to replies. A NAK outside a packet is the device's "no more
 * data"; any other byte outside a packet is noise (reported once per run). A new STX inside a
 * packet means the packet was cut short; an over-long one is noise. Never throws.
 */
export class ReplyFramer implements Framer<Reply> {
  private packet = new ByteBuffer();
  private inPacket = false;
  private noise = new ByteBuffer();

  push(chunk: Uint8Array): FramerOutput<Reply> {
    const out: FramerOutput<Reply> = { frames: [], problems: [] };
    for (const b of chunk) this.step(b, out);
    return out;
  }

  flush(): FramerOutput<Reply> {
    const out: FramerOutput<Reply> = { frames: [], problems: [] };
    this.reportNoise(out);
    if (this.inPacket) {
      out.problems.push({ code: 'PROTOCOL_TRUNCATED', message: 'Clinitek 50 packet cut short (no ETX)', raw: this.packet.take() });
      this.inPacket = false;
    }
    return out;
  }

  private step(b: number, out: FramerOutput<Reply>): void {
    if (!this.inPacket) {
      if (b === STX || b === NAK) this.reportNoise(out);
      if (b === STX) {
        this.inPacket = true;
        this.packet.push(b);
      } else if (b === NAK) out.frames.push({ kind: 'nak', raw: Uint8Array.of(b) });
      else this.noise.push(b);
      return;
    }
    if (b === STX) {
      out.problems.push({ code: 'PROTOCOL_TRUNCATED', message: 'Clinitek 50 packet cut short by a new STX', raw: this.packet.take() });
      this.packet.push(b);
      return;
    }
    this.packet.push(b);
    if (b === ETX) {
      out.frames.push({ kind: 'packet', raw: this.packet.take() });
      this.inPacket = false;
    } else if (this.packet.length >= MAX_PACKET_BYTES) {
      out.problems.push({ code: 'PROTOCOL_GARBAGE', message: `Clinitek 50 packet longer than ${MAX_PACKET_BYTES} bytes dropped`, raw: this.packet.take() });
      this.inPacket = false;
    }
  }

  private reportNoise(out: FramerOutput<Reply>): void {
    if (this.noise.length === 0) return;
    const raw = this.noise.take();
    out.problems.push({ code: 'PROTOCOL_GARBAGE', message: `${raw.length} byte(s) outside any Clinitek 50 packet skipped`, raw });
  }
}
