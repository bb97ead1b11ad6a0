import { localDateTime } from '../../../shared/time.ts';
import { componentRepeats, fieldRaw, fieldText, type AstmRecord } from '../../families/astm/records.ts';

/**
 * Bayer's H, R and L records in the vendor's own terms (PROTOCOL.md §5). Field numbers
 * are 1-based as PROTOCOL.md §5 counts them; R positions are Bayer's, not E1394's.
 */

/** PROTOCOL.md §5 / Tidepool's model table: product code digits → model. */
const PRODUCT_MODELS: Readonly<Record<string, string>> = {
  '6200': 'Contour Next Link',
  '6210': 'Contour Next Link 2.4',
  '6300': 'Contour Next Link',
  '7150': 'Contour',
  '7160': 'Contour Next EZ',
  '7220': 'Contour',
  '7350': 'Contour Next',
  '7390': 'Contour USB',
  '7410': 'Contour Next USB',
  '7600': 'Contour Plus',
  '7800': 'Contour Next One / Contour Plus One',
  '7900': 'Ascensia Contour Next',
  '7950': 'Contour Plus Blue',
};

/** The header as the meter sent it. */
export interface ContourHeader {
  /** Field 5 component 1: `Bayer7390`, `Contour7800`. */
  productCode: string;
  /** The digits of the product code (`7390`), which name the model. */
  productNumber: string;
  model: string;
  /** Field 5 component 2, a repeat list: digital, analog, AGP versions. */
  versions: string[];
  /** Field 5 component 3: `7390-2336773`, `7830H5001733`. */
  serial?: string;
  /** Field 6: `KEY=value` settings (U unit, V range, …), values as sent. */
  config: Record<string, string>;
  /** U: 0 = mg/dL, 1 = mmol/L. */
  displayUnit?: 'mg/dL' | 'mmol/L';
  /** V: low bound (2 digits) and high bound (3 digits) as numbers, unit not yet decided. */
  range?: { low: number; high: number; text: string };
  /** Field 7: result records in memory (the progress total). */
  recordCount?: number;
  /** Field 14: the meter's clock, local `YYYY-MM-DDTHH:MM:SS`. */
  meterTime?: string;
  /** Things missing or odd in the header, for problem events. */
  warnings: string[];
}

/** A result record (PROTOCOL.md §5). */
export interface ContourResult {
  /** Field 2: a transfer index, not a stable record id (it shifts as the memory grows). */
  index: string;
  /** Field 3 component 4 (`Glucose`). */
  test: string;
  /** Field 4 as sent. */
  valueText: string;
  /** Field 4 when it is a number. */
  value?: number;
  /** Field 5 component 1 (`mg/dL`, `mmol/L`). */
  unit: string;
  /** Field 5 component 2: reference method letter (P plasma, B whole blood, C capillary). */
  method: string;
  /** Field 7, split at `/`: `<`, `>`, `C`, `B`, `A`, `D`, `M0`, `T1`, … */
  markers: string[];
  /** Field 9: the test time, local `YYYY-MM-DDTHH:MM:SS`. */
  deviceTime: string;
}

type ContourDecoded<T> = { ok: true; value: T } | { ok: false; reason: string };

/** `YYYYMMDDHHMM` (12 digits) or `YYYYMMDDHHMMSS` (14, Next Link 2.4) → local date-time. */
export function parseMeterTime(text: string): string | undefined {
  const m = /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})?$/.exec(text);
  if (!m) return undefined;
  const [, y, mo, d, h, mi, s] = m;
  return localDateTime(Number(y), Number(mo), Number(d), Number(h), Number(mi), Number(s ?? 0));
}

/** Decimal number as meters print it (`93`, `5.2`); anything else is not a value. */
const NUMBER = /^\d{1,4}(\.\d{1,3})?$/;

/** Decode an H record. Only the record type is required; what is missing becomes a warning. */
export function decodeHeader(record: AstmRecord): ContourDecoded<ContourHeader> {
  if (record.type !== 'H') return { ok: false, reason: `not a header record (${record.type || '?'})` };
  const warnings: string[] = [];
  const sender = componentRepeats(record, 5);
  const productCode = sender[0]?.[0] ?? '';
  const productNumber = /(\d{4})/.exec(productCode)?.[1] ?? '';
  const model = PRODUCT_MODELS[productNumber] ?? (productCode ? `Contour (${productCode})` : 'Contour');
  const serial = sender[2]?.[0] || undefined;
  if (!serial) warnings.push('the header names no serial number (field 5, component 3)');

  const config: Record<string, string> = {};
  for (const entry of componentRepeats(record, 6)) {
    const text = entry.join(record.delimiters.repeat);
    const eq = text.indexOf('=');
    if (eq > 0) config[text.slice(0, eq)] = text.slice(eq + 1);
  }
  const displayUnit = config['U'] === '0' ? 'mg/dL' : config['U'] === '1' ? 'mmol/L' : undefined;
  if (config['U'] !== undefined && !displayUnit) warnings.push(`unknown unit setting U=${config['U']}`);
  const v = /^(\d{2})(\d{3})$/.exec(config['V'] ?? '');
  const range = v ? { low: Number(v[1]), high: Number(v[2]), text: config['V'] as string } : undefined;
  if (config['V'] !== undefined && !range) warnings.push(`range setting V=${config['V']} is not 2 + 3 digits`);

  const countText = fieldText(record, 7);
  const recordCount = /^\d+$/.test(countText) ? Number(countText) : undefined;
  if (recordCount === undefined) warnings.push(`record count "${countText}" is not a number`);
  const timeText = fieldText(record, 14);
  const meterTime = parseMeterTime(timeText);
  if (!meterTime) warnings.push(`meter time "${timeText}" is not a date-time`);

  const versions = sender[1]?.filter((x) => x !== '') ?? [];
  return { ok: true, value: { productCode, productNumber, model, versions, serial, config, displayUnit, range, recordCount, meterTime, warnings } };
}

/** Decode an R record with Bayer's positions: `R|i|^^^Glucose|93|mg/dL^P||A/M0/T1||201505261150`. */
export function decodeResult(record: AstmRecord): ContourDecoded<ContourResult> {
  if (record.type !== 'R') return { ok: false, reason: `not a result record (${record.type || '?'})` };
  const timeText = fieldText(record, 9);
  const deviceTime = parseMeterTime(timeText);
  if (!deviceTime) return { ok: false, reason: `result time "${timeText}" (field 9) is not a date-time` };
  const testId = componentRepeats(record, 3).map((c) => c[0] ?? '');
  const unitMethod = componentRepeats(record, 5).map((c) => c[0] ?? '');
  const valueText = fieldText(record, 4).trim();
  // Markers are separated by `/` (PROTOCOL.md §5); the repeat delimiter is accepted too.
  const markers = fieldText(record, 7)
    .split(/[/\\]/)
    .map((m) => m.trim())
    .filter((m) => m !== '');
  const result: ContourResult = {
    index: fieldText(record, 2),
    test: testId[3] || testId.filter((x) => x !== '').join(' '),
    valueText,
    unit: unitMethod[0] ?? '',
    method: unitMethod[1] ?? '',
    markers,
    deviceTime,
  };
  if (NUMBER.test(valueText)) result.value = Number(valueText);
  return { ok: true, value: result };
}

/**
 * The termination code of an L record (`N` normal): E1394 puts it in field 3 (`L|1|N`), the
 * Bayer form `L|1||N` (PROTOCOL.md §5, [inferred]) one field later; '' when absent.
 */
export function terminationCode(record: AstmRecord): string {
  return fieldRaw(record, 3).trim() || fieldRaw(record, 4).trim();
}
