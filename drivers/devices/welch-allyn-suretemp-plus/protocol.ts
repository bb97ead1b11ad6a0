import { ByteBuffer, type Framer, type FramerOutput } from '../../kit/index.ts';

/**
 * The SureTemp Plus module's packet layer (PROTOCOL.md §2): `03 02 10`, a two-byte command
 * code, a type byte, a little-endian data size, the data, and a checksum byte that makes all
 * bytes of the packet sum to 0 mod 256.
 */
export const PREAMBLE = [0x03, 0x02, 0x10] as const;
/** Preamble, command (2), type (1) and size (2). */
export const HEADER_BYTES = 8;
/** Type byte: a command from the host, a good response from the module (PROTOCOL.md §2). */
export const TYPE_COMMAND = 0x01;
export const TYPE_RESPONSE = 0x02;
/** "Send temperature record" (PROTOCOL.md §3), the one command the hub polls with. */
export const CMD_SEND_TEMPERATURE = 0x941c;
/**
 * The longest data block we accept: the known records are 19 and 33 bytes (PROTOCOL.md §4).
 * A larger size is a misread header (wrong baud rate, a lost byte), not a packet to wait for.
 */
export const MAX_DATA_BYTES = 64;

/** One whole packet whose checksum was verified. */
export interface Packet {
  /** The two command bytes as printed in the manual, high byte first (`94 1C` → 0x941c). */
  readonly command: number;
  readonly type: number;
  readonly data: Uint8Array;
  /** The packet's bytes as received, checksum included. */
  readonly raw: Uint8Array;
}

/** The byte that makes `bytes` plus itself sum to 0 mod 256 (two's complement of the sum). */
export function checksumByte(bytes: Uint8Array): number {
  let sum = 0;
  for (const b of bytes) sum += b;
  return (0x100 - (sum & 0xff)) & 0xff;
}

/** A whole packet as sent on the line. */
export function encodePacket(command: number, type: number, data: Uint8Array = new Uint8Array(0)): Uint8Array {
  const out = new Uint8Array(HEADER_BYTES + data.length + 1);
  out.set(PREAMBLE, 0);
  out[3] = (command >> 8) & 0xff;
  out[4] = command & 0xff;
  out[5] = type;
  out[6] = data.length & 0xff;
  out[7] = (data.length >> 8) & 0xff;
  out.set(data, HEADER_BYTES);
  out[out.length - 1] = checksumByte(out.subarray(0, out.length - 1));
  return out;
}

/** The host's poll: `03 02 10 94 1C 01 00 00 3A` (PROTOCOL.md §3). */
export const TEMPERATURE_POLL = encodePacket(CMD_SEND_TEMPERATURE, TYPE_COMMAND);

/**
 * Finds packets in a byte stream cut anywhere. Bytes before a preamble are noise (one
 * problem per run); a packet whose bytes do not sum to 0 is a checksum problem, and the search
 * starts again one byte after its preamble, so a packet cut short costs only itself and the
 * one it swallowed. Never throws.
 */
export class SureTempFramer implements Framer<Packet> {
  private buf = new ByteBuffer();
  private pending: Uint8Array = new Uint8Array(0);

  push(chunk: Uint8Array): FramerOutput<Packet> {
    const out: FramerOutput<Packet> = { frames: [], problems: [] };
    const next = new Uint8Array(this.pending.length + chunk.length);
    next.set(this.pending, 0);
    next.set(chunk, this.pending.length);
    this.pending = this.scan(next, out);
    return out;
  }

  flush(): FramerOutput<Packet> {
    const out: FramerOutput<Packet> = { frames: [], problems: [] };
    this.reportNoise(out);
    if (this.pending.length > 0) out.problems.push({ code: 'PROTOCOL_TRUNCATED', message: 'stream ended inside a SureTemp packet', raw: this.pending });
    this.pending = new Uint8Array(0);
    return out;
  }

  /** Take every whole packet out of `bytes`; returns what must wait for more bytes. */
  private scan(bytes: Uint8Array, out: FramerOutput<Packet>): Uint8Array {
    let at = 0;
    for (;;) {
      const start = findPreamble(bytes, at);
      if (start < 0) {
        // Keep a tail that may be the beginning of a preamble cut by the chunking.
        const keep = preamblePrefixAtEnd(bytes, at);
        this.noise(bytes.subarray(at, bytes.length - keep));
        return bytes.slice(bytes.length - keep);
      }
      this.noise(bytes.subarray(at, start));
      if (bytes.length - start < HEADER_BYTES) {
        this.reportNoise(out);
        return bytes.slice(start);
      }
      const size = (bytes[start + 6] ?? 0) | ((bytes[start + 7] ?? 0) << 8);
      if (size > MAX_DATA_BYTES) {
        this.reportNoise(out);
        out.problems.push({ code: 'PROTOCOL_GARBAGE', message: `SureTemp header announces ${size} data bytes (at most ${MAX_DATA_BYTES} expected)`, raw: bytes.slice(start, start + HEADER_BYTES) });
        at = start + 1;
        continue;
      }
      const end = start + HEADER_BYTES + size + 1;
      if (bytes.length < end) {
        this.reportNoise(out);
        return bytes.slice(start);
      }
      const raw = bytes.slice(start, end);
      this.reportNoise(out);
      if (checksumByte(raw.subarray(0, raw.length - 1)) !== raw[raw.length - 1]) {
        out.problems.push({ code: 'PROTOCOL_CHECKSUM', message: 'SureTemp packet bytes do not sum to 0 mod 256', raw });
        at = start + 1;
        continue;
      }
      out.frames.push({ command: ((raw[3] ?? 0) << 8) | (raw[4] ?? 0), type: raw[5] ?? 0, data: raw.slice(HEADER_BYTES, raw.length - 1), raw });
      at = end;
    }
  }

  private noise(bytes: Uint8Array): void {
    if (bytes.length > 0) this.buf.append(bytes);
  }

  private reportNoise(out: FramerOutput<Packet>): void {
    if (this.buf.length === 0) return;
    out.problems.push({ code: 'PROTOCOL_GARBAGE', message: 'bytes outside a SureTemp packet', raw: this.buf.take() });
  }
}

function findPreamble(bytes: Uint8Array, from: number): number {
  for (let i = from; i + PREAMBLE.length <= bytes.length; i++) {
    if (bytes[i] === PREAMBLE[0] && bytes[i + 1] === PREAMBLE[1] && bytes[i + 2] === PREAMBLE[2]) return i;
  }
  return -1;
}

/** How many bytes at the end of `bytes` (from `from` on) are a proper prefix of the preamble. */
function preamblePrefixAtEnd(bytes: Uint8Array, from: number): number {
  for (let n = Math.min(PREAMBLE.length - 1, bytes.length - from); n > 0; n--) {
    let match = true;
    for (let k = 0; k < n; k++) if (bytes[bytes.length - n + k] !== PREAMBLE[k]) match = false;
    if (match) return n;
  }
  return 0;
}

/** A fresh framer for the module's replies (and, in the trace view, the host's polls). */
export function createFramer(): SureTempFramer {
  return new SureTempFramer();
}
