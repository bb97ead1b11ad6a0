import { readU16, readU32 } from '../../families/lifescan/packets.ts';
import { verioLocalTime } from '../../families/lifescan/verio-time.ts';
import { STATUS_OK } from './protocol.ts';

/**
 * Reply messages (PROTOCOL.md §5) in the meter's own terms. Every decoder takes the message (the
 * packet between LCB and ETX) and never throws: a message that does not fit is `malformed` (the
 * host asks again), a status other than success is `status` (a device error).
 */
export type VerioIqDecoded<T> =
  | { ok: true; value: T }
  | { ok: false; kind: 'status'; status: number; reason: string }
  | { ok: false; kind: 'malformed'; reason: string };

/** Display unit byte (PROTOCOL.md §5): display only, records are always mg/dL. */
export const DISPLAY_UNIT = { 0x00: 'mg/dL', 0x01: 'mmol/L' } as const;
export type VerioIqDisplayUnit = (typeof DISPLAY_UNIT)[keyof typeof DISPLAY_UNIT];

/** Meal marker byte of a record (PROTOCOL.md §6). */
export const MEAL = { 0x00: 'none', 0x01: 'before', 0x02: 'after' } as const;
export type VerioIqMeal = (typeof MEAL)[keyof typeof MEAL];

/** One stored result as the meter sent it. */
export interface VerioIqRecord {
  /** Seconds since 2000-01-01 on the meter's wall clock. */
  meterSeconds: number;
  /** `YYYY-MM-DDTHH:MM:SS`, meter local time. */
  deviceTime: string;
  /** Always mg/dL; outside 20..600 a HI/LO code (normalize.ts). */
  mgdl: number;
  /** The control byte is 01: a control-solution test (PROTOCOL.md §6). */
  control: boolean;
  /** The control byte when it is neither 00 nor 01 (kept so the driver can report it). */
  controlByte: number;
  /** undefined when the meal byte is none of 00/01/02. */
  meal: VerioIqMeal | undefined;
  mealByte: number;
}

const malformed = (reason: string): VerioIqDecoded<never> => ({ ok: false, kind: 'malformed', reason });

/**
 * Check `PFX 06` and the minimum length; the data start at offset 2. The prefix is not checked:
 * the meters echo the one sent or answer another (PROTOCOL.md §3).
 */
function header(message: Uint8Array, minLength: number): VerioIqDecoded<Uint8Array> {
  if (message.length < 2) return malformed(`message of ${message.length} byte(s) is too short to carry a status`);
  const status = message[1] ?? 0;
  if (status !== STATUS_OK) return { ok: false, kind: 'status', status, reason: `the meter answered with status 0x${hex2(status)} (0x06 is success)` };
  if (message.length < minLength) return malformed(`message of ${message.length} byte(s), at least ${minLength} expected`);
  return { ok: true, value: message.subarray(2) };
}

/** Printable ASCII up to the first NUL, trimmed. */
function asciiText(bytes: Uint8Array): string {
  let s = '';
  for (const b of bytes) {
    if (b === 0) break;
    if (b >= 0x20 && b < 0x7f) s += String.fromCharCode(b);
  }
  return s.trim();
}

/** `PFX 06 <len> <ASCII> 00`; where the length byte does not fit, everything up to the NUL is kept. */
export function decodeVersion(message: Uint8Array): VerioIqDecoded<string> {
  const h = header(message, 3);
  if (!h.ok) return h;
  const declared = h.value[0] ?? 0;
  const rest = h.value.subarray(1);
  const text = asciiText(declared > 0 && declared <= rest.length ? rest.subarray(0, declared) : rest);
  return text ? { ok: true, value: text } : malformed('the version text is empty');
}

/** `PFX 06 <ASCII serial> 00`. */
export function decodeSerial(message: Uint8Array): VerioIqDecoded<string> {
  const h = header(message, 3);
  if (!h.ok) return h;
  const text = asciiText(h.value);
  return text ? { ok: true, value: text } : malformed('the serial number is empty');
}

/** `PFX 06 <unit> 00 00 00`; an unknown byte gives unit undefined (it only affects the display). */
export function decodeUnit(message: Uint8Array): VerioIqDecoded<{ unit: VerioIqDisplayUnit | undefined; byte: number }> {
  const h = header(message, 3);
  if (!h.ok) return h;
  const byte = h.value[0] ?? 0;
  return { ok: true, value: { unit: (DISPLAY_UNIT as Record<number, VerioIqDisplayUnit>)[byte], byte } };
}

/** `PFX 06 <u32 LE seconds since 2000>`: the meter clock. */
export function decodeClock(message: Uint8Array): VerioIqDecoded<{ meterSeconds: number; deviceTime: string }> {
  const h = header(message, 6);
  if (!h.ok) return h;
  const meterSeconds = readU32(h.value, 0);
  return { ok: true, value: { meterSeconds, deviceTime: verioLocalTime(meterSeconds) } };
}

/** `PFX 06`: the answer to a clock write (any data after it is ignored). */
export function decodeDone(message: Uint8Array): VerioIqDecoded<true> {
  const h = header(message, 2);
  return h.ok ? { ok: true, value: true } : h;
}

/** `PFX 06 <u16 LE count>`. */
export function decodeCount(message: Uint8Array): VerioIqDecoded<number> {
  const h = header(message, 4);
  if (!h.ok) return h;
  return { ok: true, value: readU16(h.value, 0) };
}

/** `PFX 06 <u32 time> <u16 mg/dL> <control> <meal> 00 00`; the two trailing bytes are not needed. */
export function decodeRecord(message: Uint8Array): VerioIqDecoded<VerioIqRecord> {
  const h = header(message, 10);
  if (!h.ok) return h;
  const d = h.value;
  const meterSeconds = readU32(d, 0);
  const controlByte = d[6] ?? 0;
  const mealByte = d[7] ?? 0;
  return {
    ok: true,
    value: {
      meterSeconds,
      deviceTime: verioLocalTime(meterSeconds),
      mgdl: readU16(d, 4),
      control: controlByte === 0x01,
      controlByte,
      meal: (MEAL as Record<number, VerioIqMeal>)[mealByte],
      mealByte,
    },
  };
}

function hex2(n: number): string {
  return n.toString(16).toUpperCase().padStart(2, '0');
}
