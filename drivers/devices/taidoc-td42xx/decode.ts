import { localDateTime } from '../../../shared/time.ts';
import { CMD, type Packet } from './protocol.ts';

/**
 * Replies → values (PROTOCOL.md §4–6), pure. Every decoder checks the reply's command; a reply
 * of another command is `unexpected` (the caller asks again), never read as this one.
 */
export type Decoded<T> = { ok: true; value: T } | { ok: false; reason: string };

/** A meter local time without seconds, `YYYY-MM-DDTHH:MM:00`, plus the parts. */
export interface MeterTime {
  deviceTime: string;
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
}

/** What byte M3's top bits (and the value word's flag field) say about a record (PROTOCOL.md §6). */
export type Meal = 'none' | 'before' | 'after';

/** Measurement types the notes list (PROTOCOL.md §6); only glucose has a documented unit. */
export const MEASUREMENT_TYPES: Readonly<Record<number, string>> = {
  0x00: 'glucose',
  0x06: 'hematocrit',
  0x07: 'ketone',
  0x08: 'uric acid',
  0x09: 'cholesterol',
  0x0b: 'hemoglobin',
  0x0c: 'lactate',
  0x0d: 'triglycerides',
};

/** One record's value reply. */
export interface RecordValue {
  /** The stored number, mg/dL for glucose. */
  value: number;
  /** Bits 3..0 of the flag field: 0 glucose, other types per MEASUREMENT_TYPES. */
  type: number;
  meal: Meal;
  control: boolean;
  /** The unknown byte M2 with the flag bits, kept for the record's context. */
  flagWord: number;
}

const pad2 = (n: number): string => String(n).padStart(2, '0');
const u16 = (m: Uint8Array, at: number): number => (m[at] ?? 0) | ((m[at + 1] ?? 0) << 8);

function expect(packet: Packet, cmd: number, what: string): string | undefined {
  return packet.cmd === cmd ? undefined : `a reply to command 0x${packet.cmd.toString(16).padStart(2, '0')} where ${what} (0x${cmd.toString(16).padStart(2, '0')}) was asked for`;
}

/** The connect reply: command 22, 24 or 54 all mean the meter is listening (PROTOCOL.md §4). */
export function decodeConnect(packet: Packet): Decoded<true> {
  if (packet.cmd === CMD.connect || packet.cmd === CMD.model || packet.cmd === CMD.communicationMode) return { ok: true, value: true };
  return { ok: false, reason: `connect answered by command 0x${packet.cmd.toString(16).padStart(2, '0')}` };
}

/** The model: u16 LE, read as BCD digits (`77 42` → `4277`), shown as `TD-4277`. */
export function decodeModel(packet: Packet): Decoded<string> {
  const wrong = expect(packet, CMD.model, 'the model');
  if (wrong) return { ok: false, reason: wrong };
  const word = u16(packet.message, 0);
  const digits = word.toString(16).padStart(4, '0');
  if (!/^\d{4}$/.test(digits)) return { ok: false, reason: `model word 0x${digits} is not four BCD digits` };
  return { ok: true, value: `TD-${digits}` };
}

/** The 4-byte datetime (PROTOCOL.md §5); a month or day of 0, or a time out of range, is refused. */
export function decodeDateTime(m: Uint8Array): Decoded<MeterTime> {
  const word = u16(m, 0);
  const year = 2000 + (word >> 9);
  const month = (word >> 5) & 0x0f;
  const day = word & 0x1f;
  const minute = (m[2] ?? 0) & 0x3f;
  const hour = (m[3] ?? 0) & 0x1f;
  const deviceTime = localDateTime(year, month, day, hour, minute);
  if (deviceTime === undefined) return { ok: false, reason: `datetime ${year}-${pad2(month)}-${pad2(day)} ${pad2(hour)}:${pad2(minute)} is not a calendar time` };
  return { ok: true, value: { deviceTime, year, month, day, hour, minute } };
}

export function decodeClock(packet: Packet): Decoded<MeterTime> {
  const wrong = expect(packet, CMD.readClock, 'the clock');
  return wrong ? { ok: false, reason: wrong } : decodeDateTime(packet.message);
}

/** The set-clock reply echoes the datetime it was given. */
export function decodeSetClock(packet: Packet): Decoded<MeterTime> {
  const wrong = expect(packet, CMD.setClock, 'setting the clock');
  return wrong ? { ok: false, reason: wrong } : decodeDateTime(packet.message);
}

/** The record count: u16 LE (the next two bytes are unknown; `FFFF` on an empty meter). */
export function decodeCount(packet: Packet): Decoded<number> {
  const wrong = expect(packet, CMD.recordCount, 'the record count');
  return wrong ? { ok: false, reason: wrong } : { ok: true, value: u16(packet.message, 0) };
}

export function decodeRecordTime(packet: Packet): Decoded<MeterTime> {
  const wrong = expect(packet, CMD.recordTime, 'a record time');
  return wrong ? { ok: false, reason: wrong } : decodeDateTime(packet.message);
}

/**
 * A record value: u16 LE value, then a word `M2 | M3<<8` whose top six bits are flags: bits 5..4
 * meal (01 before, 10 after, 11 control solution), bits 3..0 the measurement type.
 */
export function decodeRecordValue(packet: Packet): Decoded<RecordValue> {
  const wrong = expect(packet, CMD.recordValue, 'a record value');
  if (wrong) return { ok: false, reason: wrong };
  const flagWord = u16(packet.message, 2);
  const f = flagWord >> 10;
  const mealBits = (f >> 4) & 0x03;
  return {
    ok: true,
    value: {
      value: u16(packet.message, 0),
      type: f & 0x0f,
      meal: mealBits === 1 ? 'before' : mealBits === 2 ? 'after' : 'none',
      control: mealBits === 3,
      flagWord,
    },
  };
}

/** A serial part (27 or 28): its four bytes, reversed, as hex (PROTOCOL.md §4, [INFERRED]). */
export function decodeSerialPart(packet: Packet, cmd: typeof CMD.serialPart1 | typeof CMD.serialPart2): Decoded<string> {
  const wrong = expect(packet, cmd, 'a serial-number part');
  if (wrong) return { ok: false, reason: wrong };
  return { ok: true, value: Array.from(packet.message).reverse().map((b) => b.toString(16).padStart(2, '0').toUpperCase()).join('') };
}
