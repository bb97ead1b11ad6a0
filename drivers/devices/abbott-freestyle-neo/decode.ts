import { singleLine, timeOf, type MeterTime } from '../../families/freestyle-hid/clock.ts';
import { splitFields } from './protocol.ts';
/** The clock helpers moved to the family; re-exported for this folder's tests and probe. */
export { meterClock, parseMeterDate, singleLine, type MeterTime } from '../../families/freestyle-hid/clock.ts';

/**
 * Text replies and record lines in the meter's own terms (PROTOCOL.md §3, §5, §6): no codes,
 * no units chosen here. Every decoder returns a result or a reason; none throws.
 */

const DIGITS = /^\d{1,5}$/;
const allDigits = (fields: readonly string[]): boolean => fields.every((f) => DIGITS.test(f));

/** `$gunits?` (Neo) / `$uom?` (Libre): `1` mg/dL, `0` mmol/L (PROTOCOL.md §5–6; [source]). */
export function parseUnitSetting(message: string): 'mg/dL' | 'mmol/L' | undefined {
  const line = singleLine(message);
  return line === '1' ? 'mg/dL' : line === '0' ? 'mmol/L' : undefined;
}

/** `$dbrnum?`: `DBRECORDS = n` (glucometer-protocols) or `DB Record Number = n` (Tidepool): both [inferred]. */
export function parseDbRecordCount(message: string): number | undefined {
  const m = /^(?:DBRECORDS|DB Record Number) = (\d{1,10})\r\n$/.exec(message);
  return m ? Number(m[1]) : undefined;
}

/** A value field: a number, `HI`/`LO`, or anything else kept as printed. */
export type MeterValue = { kind: 'number'; value: number } | { kind: 'high' } | { kind: 'low' } | { kind: 'text'; text: string };

function valueOf(field: string): MeterValue {
  if (/^\d{1,5}$/.test(field)) return { kind: 'number', value: Number(field) };
  if (field === 'HI') return { kind: 'high' };
  if (field === 'LO') return { kind: 'low' };
  return { kind: 'text', text: field };
}

/** Neo record types (PROTOCOL.md §5). */
const NEO_RECORD_TYPE = { glucose: '7', ketone: '9', timeChange: '6', insulin: '10', basalTitration: '11' } as const;
/** Fewest fields a glucose record needs (field 11 carries the control flag); real ones have 19. */
const NEO_GLUCOSE_MIN_FIELDS = 11;
/** Fewest fields of a ketone record (field 10 is the control flag); glucometerutils hints at 11. */
const NEO_KETONE_MIN_FIELDS = 10;

/** A Precision/Optium Neo `$result?` record, in the meter's terms. */
export type NeoRecord =
  | { kind: 'glucose' | 'ketone'; id: string; time: MeterTime; value: MeterValue; control: boolean }
  | { kind: 'event'; id: string; recordType: string; label: string };

const NEO_EVENT_LABELS: Record<string, string> = {
  [NEO_RECORD_TYPE.timeChange]: 'time change',
  [NEO_RECORD_TYPE.insulin]: 'insulin entered on the meter',
  [NEO_RECORD_TYPE.basalTitration]: 'basal titration',
};

/** A decoded record, or why the line is not one. */
type FreestyleNeoDecoded<R> = { ok: true; record: R } | { ok: false; reason: string };

/**
 * One `$result?` line (1-based fields, PROTOCOL.md §5): 1 type, 2 id, 3–7 month, day, year, hour,
 * minute, 9 value; control solution when field 11 (glucose) or 10 (ketone) is 0 [source].
 */
export function decodeNeoRecord(line: string): FreestyleNeoDecoded<NeoRecord> {
  const f = splitFields(line);
  const [type = '', id = '', month = '', day = '', year2 = '', hour = '', minute = ''] = f;
  if (!DIGITS.test(type) || !DIGITS.test(id)) return { ok: false, reason: 'the record does not start with a numeric type and id' };
  if (!allDigits([month, day, year2, hour, minute])) return { ok: false, reason: 'the record date and time are not numbers' };
  const event = NEO_EVENT_LABELS[type];
  if (event !== undefined) return { ok: true, record: { kind: 'event', id, recordType: type, label: event } };
  const isGlucose = type === NEO_RECORD_TYPE.glucose;
  if (!isGlucose && type !== NEO_RECORD_TYPE.ketone) return { ok: false, reason: `record type ${type} is not known` };
  const minFields = isGlucose ? NEO_GLUCOSE_MIN_FIELDS : NEO_KETONE_MIN_FIELDS;
  if (f.length < minFields) return { ok: false, reason: `a type ${type} record needs at least ${minFields} fields, this one has ${f.length}` };
  const controlField = f[isGlucose ? 10 : 9] ?? '';
  if (!DIGITS.test(controlField)) return { ok: false, reason: `the control-solution field "${controlField}" is not a number` };
  return {
    ok: true,
    record: { kind: isGlucose ? 'glucose' : 'ketone', id, time: timeOf(year2, month, day, hour, minute), value: valueOf(f[8] ?? ''), control: Number(controlField) === 0 },
  };
}

/** Libre `$arresult?` reading types, idx 9 (PROTOCOL.md §6). */
export const LIBRE_READING_TYPE = { stripGlucose: 0, stripKetone: 1, sensorScan: 2 } as const;
/** Libre record types, idx 1. */
const LIBRE_TYPE_READING = '2';
const LIBRE_TYPE_TIME_CHANGE = '5';
/** Fields of a type 2 record without rapid-acting insulin: idx 0–34 (PROTOCOL.md §6). */
const LIBRE_READING_MIN_FIELDS = 35;
/** With the rapid-acting flag set, idx 43 holds the dose. */
const LIBRE_RAPID_DOSE_INDEX = 43;
/** Trend arrow idx 14 (PROTOCOL.md §6). */
export const LIBRE_TRENDS = ['none', 'down-fast', 'down', 'steady', 'up', 'up-fast'] as const;

/** A Libre `$arresult?` record in the meter's terms. */
export type LibreRecord =
  | {
      kind: 'reading';
      id: string;
      time: MeterTime;
      readingType: number;
      value: number;
      trend: number;
      sport: boolean;
      medication: boolean;
      rapidInsulin: boolean;
      longInsulin: boolean;
      food: boolean;
      /** Custom comments whose bit is set (idx 19 bitfield over idx 29–34). */
      comments: string[];
      errors: number;
    }
  | { kind: 'event'; id: string; recordType: string; label: string };

/** One `$arresult?` line (0-based indexes as glucometerutils uses them, PROTOCOL.md §6). */
export function decodeLibreRecord(line: string): FreestyleNeoDecoded<LibreRecord> {
  const f = splitFields(line);
  const [id = '', type = ''] = f;
  if (!DIGITS.test(id) || !DIGITS.test(type)) return { ok: false, reason: 'the record does not start with a numeric id and type' };
  if (type === LIBRE_TYPE_TIME_CHANGE) {
    // New time idx 2–7, old time idx 9–14 (PROTOCOL.md §6).
    if (!allDigits([2, 3, 4, 5, 6, 7, 9, 10, 11, 12, 13, 14].map((i) => f[i] ?? ''))) return { ok: false, reason: 'the clock change does not hold two numeric times' };
    return { ok: true, record: { kind: 'event', id, recordType: type, label: 'time change' } };
  }
  if (type !== LIBRE_TYPE_READING) return { ok: false, reason: `record type ${type} is not known` };
  if (f.length < LIBRE_READING_MIN_FIELDS) return { ok: false, reason: `a reading record needs at least ${LIBRE_READING_MIN_FIELDS} fields, this one has ${f.length}` };
  const numeric = [2, 3, 4, 5, 6, 7, 9, 12, 14, 15, 16, 17, 18, 19, 25, 28];
  if (!allDigits(numeric.map((i) => f[i] ?? ''))) return { ok: false, reason: 'a numeric field of the reading is not a number' };
  const n = (i: number): number => Number(f[i]);
  const rapidInsulin = n(17) !== 0;
  if (rapidInsulin && f.length <= LIBRE_RAPID_DOSE_INDEX) return { ok: false, reason: 'the rapid-acting insulin flag is set but the record is too short to hold the dose' };
  const comments = f.slice(29, 35).filter((text, bit) => (n(19) & (1 << bit)) !== 0 && text.trim() !== '');
  return {
    ok: true,
    record: {
      kind: 'reading',
      id,
      time: timeOf(f[4] ?? '', f[2] ?? '', f[3] ?? '', f[5] ?? '', f[6] ?? '', f[7] ?? ''),
      readingType: n(9),
      value: n(12),
      trend: n(14),
      sport: n(15) !== 0,
      medication: n(16) !== 0,
      rapidInsulin,
      longInsulin: n(18) !== 0,
      food: n(25) !== 0,
      comments,
      errors: n(28),
    },
  };
}
