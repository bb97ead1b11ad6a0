import type { z } from 'zod';
import { latin1 } from '../../kit/index.ts';
import { DeviceListSchema, ReadingListSchema, type DeviceEntry, type ReadingEntry } from './protocol.ts';

/** A decoded body, or why it was refused (said in the problem event, never thrown). */
export type Decoded<T> = { ok: true; value: T } | { ok: false; reason: string };

/** UTF-8 text of a body; a body that is not UTF-8 is read as Latin-1 so the JSON check can refuse it. */
function text(body: Uint8Array): string {
  // drivers/ has no TextDecoder (layer rule, docs/architecture.md §2): decodeURIComponent of the
  // percent-escaped bytes is a strict UTF-8 decoder that every JS runtime has.
  try {
    return decodeURIComponent(Array.from(body, (b) => `%${b.toString(16).padStart(2, '0')}`).join(''));
  } catch {
    return latin1(body);
  }
}

function decodeJson<S extends z.ZodType>(body: Uint8Array, schema: S, what: string): Decoded<z.output<S>> {
  let json: unknown;
  try {
    json = JSON.parse(text(body));
  } catch {
    return { ok: false, reason: `${what} is not JSON` };
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) return { ok: false, reason: `${what} does not have the expected shape (${parsed.error.issues[0]?.message ?? 'invalid'})` };
  return { ok: true, value: parsed.data };
}

/** The body of `GetDevices`: the devices the service sees (PROTOCOL.md §2.1). */
export function decodeDeviceList(body: Uint8Array): Decoded<DeviceEntry[]> {
  return decodeJson(body, DeviceListSchema, 'the device list');
}

/** The body of `GetCurrentReading` or `GetReadings`: an array of readings, oldest first (PROTOCOL.md §2.2). */
export function decodeReadings(body: Uint8Array): Decoded<ReadingEntry[]> {
  const decoded = decodeJson(body, ReadingListSchema, 'the reading list');
  return decoded.ok ? { ok: true, value: decoded.value as ReadingEntry[] } : decoded;
}

/**
 * A value as a number, or undefined when not measured. The service writes `"0"` (or nothing) for
 * "not measured" and follows the Windows locale for the decimal mark, so `97,3` is `97.3`
 * (PROTOCOL.md §2.3). `text` is the value with a decimal point, for the printed precision.
 */
export type FieldValue = { measured: false } | { measured: true; value: number; text: string } | { measured: true; invalid: string };

export function fieldValue(raw: string | undefined): FieldValue {
  const trimmed = (raw ?? '').trim();
  if (trimmed === '') return { measured: false };
  const dotted = trimmed.replace(',', '.');
  if (!/^\d{1,4}(\.\d{1,3})?$/.test(dotted)) return { measured: true, invalid: trimmed.slice(0, 40) };
  const value = Number(dotted);
  if (value === 0) return { measured: false };
  return { measured: true, value, text: dotted };
}

/** The device's own time of a reading (`2013-09-14T13:23:33`, local), or undefined when it is not in that form. */
export function deviceTimeOf(date: string | undefined): string | undefined {
  const m = /^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2}:\d{2})/.exec(date ?? '');
  return m ? `${m[1]}T${m[2]}` : undefined;
}
