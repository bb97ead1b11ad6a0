import { timeOf, type MeterTime } from '../../families/freestyle-hid/clock.ts';
import { splitFields } from '../../families/freestyle-hid/protocol.ts';

/**
 * InsuLinx `$result?` record lines in the meter's own terms (PROTOCOL.md §3). Every field position
 * comes from one set of notes [inferred]: the decoder checks what it uses and refuses the rest.
 */

const DIGITS = /^\d{1,5}$/;
/** Record type 0 is a blood-glucose result (not 7 as on the Neo). */
export const INSULINX_GLUCOSE_TYPE = '0';
/** Field 14 (1-based) carries the value, so a glucose record has at least 14 fields (16 seen). */
const GLUCOSE_MIN_FIELDS = 14;
const VALUE_INDEX = 13;

/** A glucose value as printed: a number (mg/dL), or anything else kept as text. */
export type InsulinxValue = { kind: 'number'; value: number } | { kind: 'text'; text: string };

/** An InsuLinx record: a glucose result, or another type (insulin, notes, …) the hub does not import. */
export type InsulinxRecord =
  | { kind: 'glucose'; id: string; time: MeterTime; value: InsulinxValue }
  | { kind: 'other'; id: string; recordType: string };

export type InsulinxDecoded = { ok: true; record: InsulinxRecord } | { ok: false; reason: string };

/** One `$result?` line: 1 type, 2 id, 3 month, 4 day, 5 year (2 digits), 6 hour, 7 minute, 14 value. */
export function decodeInsulinxRecord(line: string): InsulinxDecoded {
  const f = splitFields(line);
  const [type = '', id = '', month = '', day = '', year2 = '', hour = '', minute = ''] = f;
  if (!DIGITS.test(type) || !DIGITS.test(id)) return { ok: false, reason: 'the record does not start with a numeric type and id' };
  if (type !== INSULINX_GLUCOSE_TYPE) return { ok: true, record: { kind: 'other', id, recordType: type } };
  if (f.length < GLUCOSE_MIN_FIELDS) return { ok: false, reason: `a glucose record needs at least ${GLUCOSE_MIN_FIELDS} fields, this one has ${f.length}` };
  if (![month, day, year2, hour, minute].every((x) => DIGITS.test(x))) return { ok: false, reason: 'the record date and time are not numbers' };
  const field = f[VALUE_INDEX] ?? '';
  const value: InsulinxValue = DIGITS.test(field) ? { kind: 'number', value: Number(field) } : { kind: 'text', text: field };
  return { ok: true, record: { kind: 'glucose', id, time: timeOf(year2, month, day, hour, minute), value } };
}
