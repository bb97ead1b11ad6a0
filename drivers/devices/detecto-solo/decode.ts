import { latin1 } from '../../kit/index.ts';

/** One print line in the scale's own terms (PROTOCOL.md §2); absent fields were blank. */
export interface PrintRecord {
  /** `HH:MM` as printed. */
  readonly time: string;
  /** `NN/NN/YY` as printed (the order is a setting, PROTOCOL.md §2). */
  readonly date: string;
  readonly bmi?: { value: number; text: string };
  readonly height?: { feet: number; inches: number; inchesText: string } | { cm: number; text: string };
  readonly weight: { value: number; text: string; unit: 'lb' | 'kg' };
}

export type DecodedLine = { ok: true; record: PrintRecord } | { ok: false; reason: string };

const NUMBER = /^\d{1,4}(?:\.\d{1,3})?$/;
/**
 * Foot and inch marks as bytes read one to one (latin1): the straight `'` and `"`, the
 * typographic ’ ” and primes ′ ″ in UTF-8 (E2 80 99 / E2 80 9D / E2 80 B2 / E2 80 B3) and in
 * Windows-1252 (92 / 94), and two straight apostrophes for inches (PROTOCOL.md §2).
 */
const FOOT = "(?:'|\u00e2\u0080\u0099|\u00e2\u0080\u00b2|\u0092)";
const INCH = '(?:"|\u00e2\u0080\u009d|\u00e2\u0080\u00b3|\u0094|\'\')';
const FEET_INCHES = new RegExp(`^(\\d{1,2})\\s*${FOOT}\\s*(\\d{1,2}(?:\\.\\d{1,2})?)\\s*${INCH}?$`);
const CENTIMETRES = /^(\d{2,3}(?:\.\d{1,2})?)\s*cm$/i;
const WEIGHT = /^(-?\s*\d{1,4}(?:\.\d{1,3})?)\s*(lb|kg)s?$/i;

/**
 * One line (terminator removed) as a print record: five comma-separated fields, the weight
 * with its unit, BMI and height either blank or well-formed. Anything else is refused with a
 * reason; no field is guessed.
 */
export function decodeLine(line: Uint8Array): DecodedLine {
  const text = latin1(line).trim();
  const fields = text.split(',').map((f) => f.trim());
  if (fields.length !== 5) return { ok: false, reason: `${fields.length} fields, not 5 (Time, Date, BMI, Height, Weight)` };
  const [time = '', date = '', bmiText = '', heightText = '', weightText = ''] = fields;
  if (!/^\d{1,2}:\d{2}$/.test(time)) return { ok: false, reason: `time "${time}" is not HH:MM` };
  if (!/^\d{1,2}\/\d{1,2}\/\d{2}(?:\d{2})?$/.test(date)) return { ok: false, reason: `date "${date}" is not NN/NN/YY` };
  const w = WEIGHT.exec(weightText);
  if (!w?.[1] || !w[2]) return { ok: false, reason: `weight "${weightText}" is not a number with lb or kg` };
  const weight = { value: Number(w[1].replace(/\s/g, '')), text: w[1].replace(/\s/g, ''), unit: w[2].toLowerCase() as 'lb' | 'kg' };
  let bmi: PrintRecord['bmi'];
  if (bmiText !== '') {
    if (!NUMBER.test(bmiText)) return { ok: false, reason: `BMI "${bmiText}" is not a number` };
    bmi = { value: Number(bmiText), text: bmiText };
  }
  let height: PrintRecord['height'];
  if (heightText !== '') {
    const fi = FEET_INCHES.exec(heightText);
    const cm = CENTIMETRES.exec(heightText);
    if (fi?.[1] && fi[2] && Number(fi[2]) < 12) height = { feet: Number(fi[1]), inches: Number(fi[2]), inchesText: fi[2] };
    else if (cm?.[1]) height = { cm: Number(cm[1]), text: cm[1] };
    else return { ok: false, reason: `height "${heightText}" is neither feet and inches nor cm` };
  }
  return { ok: true, record: { time, date, weight, ...(bmi ? { bmi } : {}), ...(height ? { height } : {}) } };
}
