import { localDateTime } from '../../../shared/time.ts';
import { MESSAGE_PREFIX, STATUS_COUNT, STATUS_OK, readU16, readU32 } from './protocol.ts';

/**
 * Response messages (PROTOCOL.md §5) in the meter's own terms. Every decoder takes the
 * message (the packet between LCB and ETX) and never throws: a message that does not fit is
 * `malformed` (the host asks again), a status other than success is `status` (a device error).
 */
export type UltraEasyDecoded<T> =
  | { ok: true; value: T }
  | { ok: false; kind: 'status'; status: number; reason: string }
  | { ok: false; kind: 'malformed'; reason: string };

/** Glucose unit byte of the unit response (PROTOCOL.md §5): display only, the records stay mg/dL (PROTOCOL.md §2). */
export const DISPLAY_UNIT = { 0x00: 'mg/dL', 0x01: 'mmol/L' } as const;
export type UltraEasyDisplayUnit = (typeof DISPLAY_UNIT)[keyof typeof DISPLAY_UNIT];

/** One stored result: meter-local time and the value in mg/dL, both as the meter sent them. */
export interface MeterRecord {
  /** Seconds since 1970-01-01 00:00:00 on the meter's own wall clock (not UTC) (PROTOCOL.md §5). */
  meterSeconds: number;
  /** `YYYY-MM-DDTHH:MM:SS`, meter local time. */
  deviceTime: string;
  /** As stored; may be a HI/LO code (see normalize.ts). */
  mgdl: number;
}

/** The version text: glucometerutils reads a length byte then ASCII, Tidepool 9 + 8 characters (PROTOCOL.md §5). */
const VERSION_PLUS_DATE_LENGTH = 17;
const VERSION_LENGTH = 9;

const malformed = (reason: string): UltraEasyDecoded<never> => ({ ok: false, kind: 'malformed', reason });

/** Check `05 <status>` and the minimum length; the payload starts at offset 2. */
function header(message: Uint8Array, minLength: number, accepted: readonly number[] = [STATUS_OK]): UltraEasyDecoded<Uint8Array> {
  if (message.length < 2) return malformed(`message of ${message.length} byte(s) is too short to carry a status`);
  if (message[0] !== MESSAGE_PREFIX) return malformed(`message starts with 0x${hex2(message[0] ?? 0)}, not 0x05`);
  const status = message[1] ?? 0;
  if (!accepted.includes(status)) return { ok: false, kind: 'status', status, reason: `the meter answered with status 0x${hex2(status)} (0x06 is success)` };
  if (message.length < minLength) return malformed(`message of ${message.length} byte(s), at least ${minLength} expected`);
  return { ok: true, value: message.subarray(2) };
}

/** Printable ASCII of a byte run, NULs and other control bytes dropped, trimmed. */
function asciiText(bytes: Uint8Array): string {
  let s = '';
  for (const b of bytes) if (b >= 0x20 && b < 0x7f) s += String.fromCharCode(b);
  return s.trim();
}

/** Meter-local seconds to `YYYY-MM-DDTHH:MM:SS`: a naive wall-clock, read with UTC getters (PROTOCOL.md §5). */
export function meterLocalTime(meterSeconds: number): string {
  const t = new Date(meterSeconds * 1000);
  return localDateTime(t.getUTCFullYear(), t.getUTCMonth() + 1, t.getUTCDate(), t.getUTCHours(), t.getUTCMinutes(), t.getUTCSeconds()) ?? '1970-01-01T00:00:00';
}

/** An instant to the meter's clock format: its wall-clock time in the workstation's zone, as seconds since 1970. */
export function meterSecondsFromEpochMs(epochMs: number): number {
  const t = new Date(epochMs);
  return Math.floor(Date.UTC(t.getFullYear(), t.getMonth(), t.getDate(), t.getHours(), t.getMinutes(), t.getSeconds()) / 1000);
}

/** `05 06 <len> <ASCII>`; a 17-character text is Tidepool's 9-character version and 8-character date. */
export function decodeVersion(message: Uint8Array): UltraEasyDecoded<string> {
  const h = header(message, 3);
  if (!h.ok) return h;
  const declared = h.value[0] ?? 0;
  const rest = h.value.subarray(1);
  // Where the length byte does not fit what follows, keep everything rather than guess a cut.
  const body = declared > 0 && declared <= rest.length ? rest.subarray(0, declared) : rest;
  if (body.length === VERSION_PLUS_DATE_LENGTH) {
    const version = asciiText(body.subarray(0, VERSION_LENGTH));
    const date = asciiText(body.subarray(VERSION_LENGTH));
    if (version && date) return { ok: true, value: `${version} ${date}` };
  }
  const text = asciiText(body);
  return text ? { ok: true, value: text } : malformed('the version text is empty');
}

/** `05 06 <ASCII serial>` to the end of the message (PROTOCOL.md §5). */
export function decodeSerial(message: Uint8Array): UltraEasyDecoded<string> {
  const h = header(message, 3);
  if (!h.ok) return h;
  const text = asciiText(h.value);
  return text ? { ok: true, value: text } : malformed('the serial number is empty');
}

/** `05 06 <unit> 00 00 00`; an unknown unit byte is kept as undefined (it only affects the display). */
export function decodeUnit(message: Uint8Array): UltraEasyDecoded<{ unit: UltraEasyDisplayUnit | undefined; byte: number }> {
  const h = header(message, 3);
  if (!h.ok) return h;
  const byte = h.value[0] ?? 0;
  return { ok: true, value: { unit: (DISPLAY_UNIT as Record<number, UltraEasyDisplayUnit>)[byte], byte } };
}

/** `05 06 <u32 LE seconds>`: the meter clock (read, or echoed after a write) (PROTOCOL.md §5). */
export function decodeClock(message: Uint8Array): UltraEasyDecoded<{ meterSeconds: number; deviceTime: string }> {
  const h = header(message, 6);
  if (!h.ok) return h;
  const meterSeconds = readU32(h.value, 0);
  return { ok: true, value: { meterSeconds, deviceTime: meterLocalTime(meterSeconds) } };
}

/** `05 0F <u16 LE>` or `05 06 <u16 LE>`: the record count; both status bytes are accepted [INFERRED] (PROTOCOL.md §5). */
export function decodeCount(message: Uint8Array): UltraEasyDecoded<number> {
  const h = header(message, 4, [STATUS_OK, STATUS_COUNT]);
  if (!h.ok) return h;
  return { ok: true, value: readU16(h.value, 0) };
}

/** `05 06 <u32 LE timestamp> <u32 LE glucose mg/dL>`; trailing bytes are ignored, as both projects do (PROTOCOL.md §5). */
export function decodeRecord(message: Uint8Array): UltraEasyDecoded<MeterRecord> {
  const h = header(message, 10);
  if (!h.ok) return h;
  const meterSeconds = readU32(h.value, 0);
  return { ok: true, value: { meterSeconds, deviceTime: meterLocalTime(meterSeconds), mgdl: readU32(h.value, 4) } };
}

function hex2(n: number): string {
  return n.toString(16).toUpperCase().padStart(2, '0');
}
