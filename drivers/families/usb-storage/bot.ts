import type { Framer, FramerOutput, FramingProblem } from '../../kit/index.ts';

/**
 * USB Mass Storage Bulk-Only Transport (USB-IF "Mass Storage Class – Bulk-Only Transport" 1.0):
 * every SCSI command is three phases on the bulk endpoints — a 31-byte Command Block Wrapper
 * (CBW) OUT, the data (OUT or IN, possibly none), and a 13-byte Command Status Wrapper (CSW) IN
 * whose tag echoes the CBW's (drivers/devices/lifescan-onetouch-verio/PROTOCOL.md §2). Pure: bytes
 * in, bytes and replies out; nothing here throws on device input.
 */

export const CBW_LENGTH = 31;
export const CSW_LENGTH = 13;
/** 'USBC' little-endian as the spec stores it: 55 53 42 43. */
export const CBW_SIGNATURE = [0x55, 0x53, 0x42, 0x43] as const;
/** 'USBS': 55 53 42 53. */
export const CSW_SIGNATURE = [0x55, 0x53, 0x42, 0x53] as const;
/** bmCBWFlags bit 7: data flows device-to-host. */
export const CBW_FLAG_IN = 0x80;
export const BLOCK_SIZE = 512;

/** bCSWStatus: 0 passed, 1 failed (ask REQUEST SENSE), 2 phase error (reset recovery). */
export type CswStatus = 'passed' | 'failed' | 'phase-error';

/** One command to wrap: its tag, the data phase's direction and length, and the SCSI CDB (1–16 bytes). */
export interface CommandBlock {
  tag: number;
  direction: 'in' | 'out';
  dataLength: number;
  cdb: Uint8Array;
  lun?: number;
}

/** The 31-byte CBW (little-endian fields, CDB zero-padded to 16 bytes). */
export function encodeCbw(block: CommandBlock): Uint8Array {
  const out = new Uint8Array(CBW_LENGTH);
  out.set(CBW_SIGNATURE, 0);
  const view = new DataView(out.buffer);
  view.setUint32(4, block.tag >>> 0, true);
  view.setUint32(8, block.dataLength >>> 0, true);
  out[12] = block.direction === 'in' ? CBW_FLAG_IN : 0x00;
  out[13] = (block.lun ?? 0) & 0x0f;
  const cdb = block.cdb.subarray(0, 16);
  out[14] = cdb.length;
  out.set(cdb, 15);
  return out;
}

/** A CBW as the device reads it; undefined when the 31 bytes are not one (wrong signature or length). */
export function decodeCbw(bytes: Uint8Array): (Required<CommandBlock> & { raw: Uint8Array }) | undefined {
  if (bytes.length < CBW_LENGTH || !startsWith(bytes, 0, CBW_SIGNATURE)) return undefined;
  const view = new DataView(bytes.buffer, bytes.byteOffset, CBW_LENGTH);
  const cdbLength = bytes[14] ?? 0;
  if (cdbLength < 1 || cdbLength > 16) return undefined;
  return {
    tag: view.getUint32(4, true),
    dataLength: view.getUint32(8, true),
    direction: ((bytes[12] ?? 0) & CBW_FLAG_IN) !== 0 ? 'in' : 'out',
    lun: (bytes[13] ?? 0) & 0x0f,
    cdb: bytes.slice(15, 15 + cdbLength),
    raw: bytes.slice(0, CBW_LENGTH),
  };
}

/** The 13-byte CSW for a tag. */
export function encodeCsw(tag: number, residue: number, status: 0 | 1 | 2): Uint8Array {
  const out = new Uint8Array(CSW_LENGTH);
  out.set(CSW_SIGNATURE, 0);
  const view = new DataView(out.buffer);
  view.setUint32(4, tag >>> 0, true);
  view.setUint32(8, residue >>> 0, true);
  out[12] = status;
  return out;
}

/** A decoded CSW, or why 13 bytes are not one (the spec calls such a CSW "not valid"). */
export type CswDecoded = { ok: true; tag: number; residue: number; status: CswStatus } | { ok: false; reason: string };

export function decodeCsw(bytes: Uint8Array): CswDecoded {
  if (bytes.length < CSW_LENGTH) return { ok: false, reason: `${bytes.length} byte(s), a CSW has 13` };
  if (!startsWith(bytes, 0, CSW_SIGNATURE)) return { ok: false, reason: 'no USBS signature' };
  const view = new DataView(bytes.buffer, bytes.byteOffset, CSW_LENGTH);
  const code = bytes[12] ?? 0;
  const status: CswStatus | undefined = code === 0 ? 'passed' : code === 1 ? 'failed' : code === 2 ? 'phase-error' : undefined;
  if (!status) return { ok: false, reason: `status byte 0x${code.toString(16).padStart(2, '0')} (00, 01 or 02 expected)` };
  return { ok: true, tag: view.getUint32(4, true), residue: view.getUint32(8, true), status };
}

/** SCSI CDBs, plain (no FUA/DPO bits, group 0, control 0: the meters refuse anything else, PROTOCOL.md §2). */
export const CDB = {
  /** INQUIRY, 6-byte form, allocation length in bytes 3–4. */
  inquiry: (allocation = 36): Uint8Array => Uint8Array.of(0x12, 0, 0, (allocation >> 8) & 0xff, allocation & 0xff, 0),
  /** REQUEST SENSE (fixed format), after a CSW that says "failed". */
  requestSense: (allocation = 18): Uint8Array => Uint8Array.of(0x03, 0, 0, 0, allocation & 0xff, 0),
  read10: (lba: number, blocks = 1): Uint8Array => rw10(0x28, lba, blocks),
  write10: (lba: number, blocks = 1): Uint8Array => rw10(0x2a, lba, blocks),
} as const;

function rw10(op: number, lba: number, blocks: number): Uint8Array {
  const out = Uint8Array.of(op, 0, 0, 0, 0, 0, 0, 0, 0, 0);
  new DataView(out.buffer).setUint32(2, lba >>> 0, false);
  out[7] = (blocks >> 8) & 0xff;
  out[8] = blocks & 0xff;
  return out;
}

/**
 * What the IN side gave for one command: the data phase and the CSW that closed it, or a
 * `broken` exchange (a CSW that is not valid, or bytes where the CSW should be) — in BOT terms
 * a phase error, which the host must not read past.
 */
export type BotReply =
  | { kind: 'reply'; tag: number; data: Uint8Array; residue: number; status: CswStatus; csw: Uint8Array }
  | { kind: 'broken'; tag: number; reason: string; raw: Uint8Array };

/**
 * The host's IN-side framer: told which command is outstanding (`expect`), it cuts the data
 * phase and the CSW out of the stream, however the transfers were chunked. The CSW is taken at
 * the end of the announced data, or earlier where a short data phase ended (a CSW whose residue
 * says so). A CSW with another tag in front of the data (the late answer to a command the host
 * gave up on) is skipped as garbage. Bytes with nothing outstanding are garbage. Never throws.
 */
export class BotFramer implements Framer<BotReply> {
  private buffer = new Uint8Array(0);
  private pending: { tag: number; dataLength: number } | undefined;

  /** The next command's tag and IN data length (0 for OUT or no data). Drops anything buffered. */
  expect(tag: number, dataLength: number): FramingProblem[] {
    const problems = this.flush().problems;
    this.pending = { tag: tag >>> 0, dataLength };
    return problems;
  }

  push(chunk: Uint8Array): FramerOutput<BotReply> {
    const out: FramerOutput<BotReply> = { frames: [], problems: [] };
    if (chunk.length === 0) return out;
    const joined = new Uint8Array(this.buffer.length + chunk.length);
    joined.set(this.buffer);
    joined.set(chunk, this.buffer.length);
    this.buffer = joined;
    this.scan(out);
    return out;
  }

  flush(): FramerOutput<BotReply> {
    const out: FramerOutput<BotReply> = { frames: [], problems: [] };
    if (this.buffer.length > 0) {
      const raw = this.buffer;
      const what = this.pending ? `the reply to command ${this.pending.tag} was cut short` : 'bytes with no command outstanding';
      out.problems.push({ code: this.pending ? 'PROTOCOL_TRUNCATED' : 'PROTOCOL_GARBAGE', message: `USB mass storage: ${what}, ${raw.length} byte(s) dropped`, raw });
    }
    this.buffer = new Uint8Array(0);
    this.pending = undefined;
    return out;
  }

  private scan(out: FramerOutput<BotReply>): void {
    const data = this.buffer;
    const pending = this.pending;
    if (!pending) {
      out.problems.push({ code: 'PROTOCOL_GARBAGE', message: `USB mass storage: ${data.length} byte(s) with no command outstanding dropped`, raw: data });
      this.buffer = new Uint8Array(0);
      return;
    }
    // A stale CSW (another tag) at the very front: the late end of a command given up on.
    let start = 0;
    while (data.length - start >= CSW_LENGTH) {
      const csw = decodeCsw(data.subarray(start, start + CSW_LENGTH));
      if (!csw.ok || csw.tag === pending.tag) break;
      out.problems.push({ code: 'PROTOCOL_GARBAGE', message: `USB mass storage: a status for command ${csw.tag} (not ${pending.tag}) arrived late; dropped`, raw: data.slice(start, start + CSW_LENGTH) });
      start += CSW_LENGTH;
    }
    const body = data.subarray(start);
    const last = Math.min(pending.dataLength, body.length - CSW_LENGTH);
    for (let k = 0; k <= last; k++) {
      if (body[k] !== CSW_SIGNATURE[0]) continue;
      const csw = decodeCsw(body.subarray(k, k + CSW_LENGTH));
      if (!csw.ok || csw.tag !== pending.tag) continue;
      // Before the announced end only a CSW whose residue accounts for the short data counts.
      if (k < pending.dataLength && csw.residue !== pending.dataLength - k) continue;
      out.frames.push({ kind: 'reply', tag: csw.tag, data: body.slice(0, k), residue: csw.residue, status: csw.status, csw: body.slice(k, k + CSW_LENGTH) });
      this.finishWith(body.subarray(k + CSW_LENGTH), out);
      return;
    }
    if (body.length >= pending.dataLength + CSW_LENGTH) {
      const at = body.subarray(pending.dataLength, pending.dataLength + CSW_LENGTH);
      const csw = decodeCsw(at);
      const reason = csw.ok ? `the status carries tag ${csw.tag}, ${pending.tag} expected` : `no valid status after ${pending.dataLength} data byte(s) (${csw.reason})`;
      out.frames.push({ kind: 'broken', tag: pending.tag, reason, raw: body.slice(0, pending.dataLength + CSW_LENGTH) });
      this.finishWith(body.subarray(pending.dataLength + CSW_LENGTH), out);
      return;
    }
    this.buffer = data.slice(start);
  }

  private finishWith(rest: Uint8Array, out: FramerOutput<BotReply>): void {
    this.pending = undefined;
    this.buffer = new Uint8Array(0);
    if (rest.length > 0) out.problems.push({ code: 'PROTOCOL_GARBAGE', message: `USB mass storage: ${rest.length} byte(s) after the status dropped`, raw: rest.slice() });
  }
}

function startsWith(bytes: Uint8Array, at: number, prefix: readonly number[]): boolean {
  return prefix.every((b, i) => bytes[at + i] === b);
}
