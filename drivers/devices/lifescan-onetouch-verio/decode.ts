import { crc16CcittFalse } from '../../kit/index.ts';
import { EMPTY_PACKET_LENGTH, ETX, STX, readU16, readU32 } from '../../families/lifescan/packets.ts';
import { verioLocalTime } from '../../families/lifescan/verio-time.ts';
import { STATUS_OK } from './protocol.ts';

/**
 * Replies (PROTOCOL.md §4–§6) in the meter's terms. Every decoder takes the message (the packet
 * between LCB and ETX) and never throws: `malformed` means ask again, `status` is a device error.
 */
export type VerioDecoded<T> =
  | { ok: true; value: T }
  | { ok: false; kind: 'status'; status: number; reason: string }
  | { ok: false; kind: 'malformed'; reason: string };

/** The packet at the front of a 512-byte reply block: its message, or why there is none. */
export type BlockPacket = { ok: true; raw: Uint8Array; message: Uint8Array } | { ok: false; kind: 'checksum' | 'malformed'; reason: string; raw: Uint8Array };

export const DISPLAY_UNIT = { 0x00: 'mg/dL', 0x01: 'mmol/L' } as const;
export type VerioDisplayUnit = (typeof DISPLAY_UNIT)[keyof typeof DISPLAY_UNIT];
export const MEAL = { 0x00: 'none', 0x01: 'before', 0x02: 'after' } as const;
export type VerioMeal = (typeof MEAL)[keyof typeof MEAL];

/** One stored result (PROTOCOL.md §6). */
export interface VerioRecord {
  /** The running "inverse" record number. */
  inverse: number;
  /** The lifetime counter (keeps counting across an erase). */
  lifetime: number;
  meterSeconds: number;
  /** `YYYY-MM-DDTHH:MM:SS`, meter local time. */
  deviceTime: string;
  /** Always mg/dL; outside 20..600 a HI/LO code. */
  mgdl: number;
  /** Flags byte bit 0: a control-solution test. */
  control: boolean;
  flagsByte: number;
  meal: VerioMeal | undefined;
  mealByte: number;
}

const malformed = (reason: string): VerioDecoded<never> => ({ ok: false, kind: 'malformed', reason });

/** STX LEN 00 … ETX CRC at offset 0; the rest of the block is padding and not looked at. */
export function packetFromBlock(block: Uint8Array): BlockPacket {
  const length = block[1] ?? 0;
  const raw = block.slice(0, Math.max(2, Math.min(length, block.length)));
  if (block[0] !== STX) return { ok: false, kind: 'malformed', reason: `the block does not start with STX (0x${hex2(block[0] ?? 0)})`, raw: block.slice(0, 16) };
  if (length < EMPTY_PACKET_LENGTH || length > block.length) return { ok: false, kind: 'malformed', reason: `packet length ${length} does not fit`, raw };
  if (block[length - 3] !== ETX) return { ok: false, kind: 'malformed', reason: 'no ETX where the length says', raw };
  const sent = readU16(block, length - 2);
  const computed = crc16CcittFalse(block, 0, length - 2);
  if (sent !== computed) return { ok: false, kind: 'checksum', reason: `packet CRC ${hex4(sent)} sent, ${hex4(computed)} computed`, raw };
  return { ok: true, raw, message: raw.slice(3, length - 3) };
}

/** `PFX 06 <data>`: the prefix is not checked (PROTOCOL.md §4). */
function header(message: Uint8Array, minLength: number): VerioDecoded<Uint8Array> {
  if (message.length < 2) return malformed(`message of ${message.length} byte(s) is too short to carry a status`);
  const status = message[1] ?? 0;
  if (status !== STATUS_OK) return { ok: false, kind: 'status', status, reason: `the meter answered with status 0x${hex2(status)} (0x06 is success)` };
  if (message.length < minLength) return malformed(`message of ${message.length} byte(s), at least ${minLength} expected`);
  return { ok: true, value: message.subarray(2) };
}

/** `PFX 06 <UTF-16LE text> 00 00` (QUERY replies), printable characters only, trimmed. */
export function decodeText(message: Uint8Array): VerioDecoded<string> {
  const h = header(message, 4);
  if (!h.ok) return h;
  let s = '';
  for (let i = 0; i + 1 < h.value.length; i += 2) {
    const c = readU16(h.value, i);
    if (c === 0) break;
    if (c >= 0x20 && c !== 0x7f) s += String.fromCharCode(c);
  }
  const text = s.trim();
  return text ? { ok: true, value: text } : malformed('the text is empty');
}

/** `PFX 06 <unit> 00 00 00`; an unknown byte gives unit undefined (it only affects the display). */
export function decodeUnit(message: Uint8Array): VerioDecoded<{ unit: VerioDisplayUnit | undefined; byte: number }> {
  const h = header(message, 3);
  if (!h.ok) return h;
  const byte = h.value[0] ?? 0;
  return { ok: true, value: { unit: (DISPLAY_UNIT as Record<number, VerioDisplayUnit>)[byte], byte } };
}

export function decodeClock(message: Uint8Array): VerioDecoded<{ meterSeconds: number; deviceTime: string }> {
  const h = header(message, 6);
  if (!h.ok) return h;
  const meterSeconds = readU32(h.value, 0);
  return { ok: true, value: { meterSeconds, deviceTime: verioLocalTime(meterSeconds) } };
}

export function decodeDone(message: Uint8Array): VerioDecoded<true> {
  const h = header(message, 2);
  return h.ok ? { ok: true, value: true } : h;
}

export function decodeCount(message: Uint8Array): VerioDecoded<number> {
  const h = header(message, 4);
  return h.ok ? { ok: true, value: readU16(h.value, 0) } : h;
}

/** `PFX 06` + 16 bytes: inverse u16, flags, lifetime u16, time u32, mg/dL u16, meal, 00, other, 0B, 00. */
export function decodeRecord(message: Uint8Array): VerioDecoded<VerioRecord> {
  const h = header(message, 18);
  if (!h.ok) return h;
  // The record reply packet is always 24 bytes (PROTOCOL.md §6): 18 of message.
  if (message.length !== 18) return malformed(`record message of ${message.length} bytes, 18 expected`);
  const d = h.value;
  const meterSeconds = readU32(d, 5);
  const flagsByte = d[2] ?? 0;
  const mealByte = d[11] ?? 0;
  return {
    ok: true,
    value: {
      inverse: readU16(d, 0),
      lifetime: readU16(d, 3),
      meterSeconds,
      deviceTime: verioLocalTime(meterSeconds),
      mgdl: readU16(d, 9),
      control: (flagsByte & 0x01) !== 0,
      flagsByte,
      meal: (MEAL as Record<number, VerioMeal>)[mealByte],
      mealByte,
    },
  };
}

/** INQUIRY data bytes 8–15: the vendor identification, trimmed. */
export function inquiryVendor(data: Uint8Array): string {
  let s = '';
  for (const b of data.subarray(8, 16)) s += b >= 0x20 && b < 0x7f ? String.fromCharCode(b) : ' ';
  return s.trim();
}

function hex2(n: number): string {
  return n.toString(16).toUpperCase().padStart(2, '0');
}
function hex4(n: number): string {
  return n.toString(16).toUpperCase().padStart(4, '0');
}
