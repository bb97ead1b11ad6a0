import { observe, printedDecimals, quantity, type Observation } from '../../../shared/observation.ts';
import type { PrintRecord } from './decode.ts';

/** The date orders the scale may print (the manifest option `dateOrder`, PROTOCOL.md §2). */
export const DATE_ORDERS = ['MDY', 'DMY'] as const;
export type DateOrder = (typeof DATE_ORDERS)[number];

/** What one print becomes, or why it is not a reading. */
export type Weighing = { ok: true; observations: Observation[]; deviceTime?: string } | { ok: false; reason: string };

const pad = (n: number): string => String(n).padStart(2, '0');

/**
 * The print's time and date as a local `YYYY-MM-DDTHH:MM:SS`, or undefined when they are not a
 * real moment (the reading then has no device time; the weight still counts). Two-digit years
 * are 20YY.
 */
export function deviceTimeOf(record: PrintRecord, order: DateOrder): string | undefined {
  const [a, b, y] = record.date.split('/').map(Number);
  const [h, mi] = record.time.split(':').map(Number);
  if (a === undefined || b === undefined || y === undefined || h === undefined || mi === undefined) return undefined;
  const [month, day] = order === 'MDY' ? [a, b] : [b, a];
  const year = y < 100 ? 2000 + y : y;
  const check = new Date(Date.UTC(year, month - 1, day, h, mi));
  if (check.getUTCMonth() !== month - 1 || check.getUTCDate() !== day || h > 23 || mi > 59) return undefined;
  return `${year}-${pad(month)}-${pad(day)}T${pad(h)}:${pad(mi)}:00`;
}

/**
 * Weight in [lb_av] or kg as printed; height in [in_i] (feet × 12 + inches, the printed inch
 * decimals kept) or cm; BMI in kg/m2 only when the scale printed one — the hub never computes
 * it. A zero or negative weight (nothing on the platform) is not a reading (PROTOCOL.md §4).
 */
export function normalizeWeighing(record: PrintRecord, order: DateOrder): Weighing {
  const { weight, height, bmi } = record;
  if (!(weight.value > 0)) return { ok: false, reason: `weight ${weight.text} ${weight.unit} (nothing on the scale)` };
  const observations = [observe('bodyWeight', quantity(weight.value, weight.unit === 'lb' ? '[lb_av]' : 'kg', undefined, printedDecimals(weight.text)))];
  if (height && 'feet' in height) {
    const decimals = printedDecimals(height.inchesText);
    const inches = height.feet * 12 + height.inches;
    observations.push(observe('bodyHeight', quantity(decimals === undefined ? inches : Number(inches.toFixed(decimals)), '[in_i]', undefined, decimals)));
  } else if (height) {
    observations.push(observe('bodyHeight', quantity(height.cm, 'cm', undefined, printedDecimals(height.text))));
  }
  if (bmi && bmi.value > 0) observations.push(observe('bmi', quantity(bmi.value, 'kg/m2', undefined, printedDecimals(bmi.text))));
  const deviceTime = deviceTimeOf(record, order);
  return { ok: true, observations, ...(deviceTime ? { deviceTime } : {}) };
}
