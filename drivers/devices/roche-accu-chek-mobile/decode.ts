import { localDateTime } from '../../../shared/time.ts';
import type { ReportRow } from './protocol.ts';

/** One glucose row in the meter's terms (PROTOCOL.md §2). */
export interface MobileResult {
  line: number;
  /** `YYYY-MM-DDTHH:MM:00`. */
  time: string;
  /** The result as printed (decimal point normalised), and its unit. */
  value: { kind: 'number'; value: number; decimals: number } | { kind: 'text'; text: string };
  unit: 'mg/dL' | 'mmol/L';
  control: boolean;
  beforeMeal: boolean;
  afterMeal: boolean;
  temperatureWarning: boolean;
  outOfTarget: boolean;
  other: boolean;
}

export type MobileDecoded = { ok: true; result: MobileResult | undefined } | { ok: false; reason: string };

const UNITS: Readonly<Record<string, MobileResult['unit']>> = { 'mmol/l': 'mmol/L', 'mg/dl': 'mg/dL' };

/**
 * A data row → a glucose result, `undefined` for a row with an empty Result (not a glucose
 * row: PROTOCOL.md §2), or why the row is not one. A marker column counts when it holds anything.
 */
export function decodeRow(row: ReportRow): MobileDecoded {
  const f = row.fields;
  if (f.result === '') return { ok: true, result: undefined };
  const date = /^(\d{2})\.(\d{2})\.(\d{4})$/.exec(f.date);
  const clock = /^(\d{2}):(\d{2})$/.exec(f.time);
  const time = date && clock ? localDateTime(Number(date[3]), Number(date[2]), Number(date[1]), Number(clock[1]), Number(clock[2]), 0) : undefined;
  if (time === undefined) return { ok: false, reason: `line ${row.line}: "${f.date} ${f.time}" is no dd.mm.yyyy HH:MM date and time` };
  const unit = UNITS[f.unit.toLowerCase()];
  if (unit === undefined) return { ok: false, reason: `line ${row.line}: the unit "${f.unit}" is neither mmol/l nor mg/dl` };
  const number = /^(\d{1,4})(?:[.,](\d{1,2}))?$/.exec(f.result);
  const value: MobileResult['value'] = number ? { kind: 'number', value: Number(`${number[1]}.${number[2] ?? '0'}`), decimals: number[2]?.length ?? 0 } : { kind: 'text', text: f.result };
  const on = (s: string): boolean => s !== '';
  return {
    ok: true,
    result: { line: row.line, time, value, unit, control: on(f.control), beforeMeal: on(f.beforeMeal), afterMeal: on(f.afterMeal), temperatureWarning: on(f.temperatureWarning), outOfTarget: on(f.outOfTarget), other: on(f.other) },
  };
}
