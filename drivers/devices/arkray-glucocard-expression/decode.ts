/**
 * GLUCOCARD Expression packet payloads → the meter's terms (PROTOCOL.md §2–4), pure and never
 * throwing: serial, clock, memory records with their field-sum check.
 */

const pad = (n: number, w = 2): string => String(n).padStart(w, '0');

/** `YYYY-MM-DDTHH:MM:00`, or undefined when the fields are no calendar time. */
export function localTime(year: number, month: number, day: number, hour: number, minute: number): string | undefined {
  if (month < 1 || month > 12 || day < 1 || hour > 23 || minute > 59) return undefined;
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  const days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1] ?? 0;
  if (day > days) return undefined;
  return `${pad(year, 4)}-${pad(month)}-${pad(day)}T${pad(hour)}:${pad(minute)}:00`;
}

/** Day, hour and minute packed in a u16 LE: day bits 0–4, hour 5–9, minute 10–15 (PROTOCOL.md §2). */
export function unpackDayTime(lo: number, hi: number): { day: number; hour: number; minute: number } {
  const v = lo | (hi << 8);
  return { day: v & 0x1f, hour: (v >> 5) & 0x1f, minute: (v >> 10) & 0x3f };
}

/** The packed u16 of a day, hour and minute. */
export function packDayTime(day: number, hour: number, minute: number): number {
  return (day & 0x1f) | ((hour & 0x1f) << 5) | ((minute & 0x3f) << 10);
}

/** The serial of a `0F` reply: 8 ASCII bytes, sent reversed (PROTOCOL.md §2). */
export function decodeSerial(payload: Uint8Array): string | undefined {
  const text = String.fromCharCode(...Array.from(payload).reverse()).replace(/[\0 ]+$/u, '').replace(/^[\0 ]+/u, '');
  return /^[\x21-\x7e]{1,8}$/.test(text) ? text : undefined;
}

/** The meter clock of a `07` reply (PROTOCOL.md §2). */
export function decodeClock(payload: Uint8Array): { local?: string; text: string } {
  const year = 2000 + ((payload[0] ?? 0) & 0x7f);
  const month = (payload[1] ?? 0) & 0x0f;
  const { day, hour, minute } = unpackDayTime(payload[2] ?? 0, payload[3] ?? 0);
  const local = localTime(year, month, day, hour, minute);
  return { text: `${year}-${month}-${day} ${hour}:${minute}`, ...(local ? { local } : {}) };
}

/** One memory record in the meter's terms. */
export interface ExpressionRecord {
  unit: 'mg/dL' | 'mmol/L';
  control: boolean;
  time: { local?: string; text: string };
  value: number;
}

/** A memory slot: a record, empty (FF×8), or why it cannot be read (PROTOCOL.md §4). */
export type SlotDecode = { kind: 'record'; record: ExpressionRecord } | { kind: 'empty' } | { kind: 'bad'; reason: string };

export function decodeSlot(payload: Uint8Array): SlotDecode {
  if (payload.length !== 8) return { kind: 'bad', reason: `a slot has ${payload.length} bytes, not 8` };
  if (payload.every((b) => b === 0xff)) return { kind: 'empty' };
  const p = (i: number): number => payload[i] ?? 0;
  const unitBit = (p(0) >> 7) & 1;
  const yy = p(0) & 0x7f;
  const month = (p(1) >> 4) & 0x0f;
  const control = p(1) & 1;
  const { day, hour, minute } = unpackDayTime(p(2), p(3));
  const value = p(4) | (p(5) << 8);
  const stated = p(6) | (p(7) << 8);
  const sum = (yy + unitBit + control + month + day + hour + minute + value) & 0xffff;
  if (sum !== stated) return { kind: 'bad', reason: `record field sum ${stated} does not match its fields (${sum})` };
  const local = localTime(2000 + yy, month, day, hour, minute);
  return { kind: 'record', record: { unit: unitBit === 1 ? 'mg/dL' : 'mmol/L', control: control === 1, value, time: { text: `${2000 + yy}-${month}-${day} ${hour}:${minute}`, ...(local ? { local } : {}) } } };
}

/** The 8 payload bytes of a record (simulator and tests): the field sum computed. */
export function encodeSlot(r: { year: number; month: number; day: number; hour: number; minute: number; value: number; control?: boolean; mgdl?: boolean }): number[] {
  const unitBit = r.mgdl === false ? 0 : 1;
  const yy = r.year % 100;
  const control = r.control ? 1 : 0;
  const packed = packDayTime(r.day, r.hour, r.minute);
  const sum = (yy + unitBit + control + r.month + r.day + r.hour + r.minute + r.value) & 0xffff;
  return [(unitBit << 7) | yy, (r.month << 4) | control, packed & 0xff, packed >> 8, r.value & 0xff, (r.value >> 8) & 0xff, sum & 0xff, sum >> 8];
}
