import { localDateTime } from '../../../shared/time.ts';
import { COUNT_TAG, MESSAGE, RECORD_LENGTH } from './protocol.ts';

/**
 * Messages → values (PROTOCOL.md §3–4), pure. A message of another shape is `ok: false` with the
 * reason; nothing is guessed.
 */
export type Decoded<T> = { ok: true; value: T } | { ok: false; reason: string };

/** One reading as the meter sends it. */
export interface CodeFreeRecord {
  /** `YYYY-MM-DDTHH:MM:00`: the meter sends no seconds. */
  deviceTime: string;
  /** The stored value, mg/dL [INFERRED]. */
  mgdl: number;
  meal: 'none' | 'before' | 'after';
  /** The meal byte as sent (00, 10, 20 known). */
  mealByte: number;
  /** The bytes no source explains (2 leading, 7 trailing), kept as hex for the record's context. */
  unknown: string;
}

const hex = (b: Uint8Array): string => Array.from(b, (x) => x.toString(16).padStart(2, '0').toUpperCase()).join(' ');

export function isChallenge(message: Uint8Array): boolean {
  return message.length === MESSAGE.challenge.length && message.every((b, i) => b === MESSAGE.challenge[i]);
}

/** The count message: `30 <count u16 BE>` then filler. */
export function decodeCount(message: Uint8Array): Decoded<number> {
  if (message[0] !== COUNT_TAG || message.length < 3) return { ok: false, reason: `not a count message (${hex(message.subarray(0, 4))}…)` };
  return { ok: true, value: ((message[1] ?? 0) << 8) | (message[2] ?? 0) };
}

/** A record message: `?? ?? YY MM DD hh mm VALUE(u16 BE) MEAL` and 7 unknown bytes. */
export function decodeRecord(message: Uint8Array): Decoded<CodeFreeRecord> {
  if (message.length !== RECORD_LENGTH) return { ok: false, reason: `a record is ${RECORD_LENGTH} bytes, this message ${message.length}` };
  const at = (i: number): number => message[i] ?? 0;
  const deviceTime = localDateTime(2000 + at(2), at(3), at(4), at(5), at(6));
  if (deviceTime === undefined) return { ok: false, reason: `record time ${hex(message.subarray(2, 7))} is not a calendar time` };
  const mealByte = at(9);
  const meal = mealByte === 0x10 ? 'before' : mealByte === 0x20 ? 'after' : 'none';
  return { ok: true, value: { deviceTime, mgdl: (at(7) << 8) | at(8), meal, mealByte, unknown: `${hex(message.subarray(0, 2))} | ${hex(message.subarray(10))}` } };
}
