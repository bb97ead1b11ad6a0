import { latin1 } from '../../kit/index.ts';

/** A number as printed, the text kept for its decimals. */
export interface Printed {
  readonly value: number;
  readonly text: string;
}

/** One line in the scale's own terms (PROTOCOL.md §2–3). */
export type ScaleLine =
  /** The Print key's 21-character line: weight, unit, Gross or Net. */
  | { readonly type: 'print'; readonly weight: Printed; readonly unit: 'lb' | 'kg'; readonly net: boolean }
  /** BMI mode: `GROSS WEIGHT 215.0 LB` (or NET). */
  | { readonly type: 'weight'; readonly weight: Printed; readonly unit: 'lb' | 'kg'; readonly net: boolean }
  /** BMI mode: `PATIENT HEIGHT 6-01.0 FT` (feet and inches) or `… 185.4 CM`. */
  | { readonly type: 'height'; readonly height: { feet: number; inches: Printed } | { cm: Printed } }
  /** BMI mode: `PATIENT BMI 28.4`. */
  | { readonly type: 'bmi'; readonly bmi: Printed };

export type DecodedLine = { ok: true; line: ScaleLine } | { ok: false; reason: string };

const NUM = '(-?\\d{1,5}(?:\\.\\d{1,3})?)';
const PRINT = new RegExp(`^\\s*${NUM}\\s+(lb|kg)\\s+(gross|net)\\s*$`, 'i');
const WEIGHT = new RegExp(`^\\s*(gross|net)\\s+weight\\s+${NUM}\\s*(lb|kg)\\s*$`, 'i');
const HEIGHT_FT = /^\s*patient\s+height\s+(\d{1,2})-(\d{1,2}(?:\.\d{1,2})?)\s*ft\s*$/i;
const HEIGHT_CM = /^\s*patient\s+height\s+(\d{2,3}(?:\.\d{1,2})?)\s*cm\s*$/i;
const BMI = /^\s*patient\s+bmi\s+(\d{1,3}(?:\.\d{1,2})?)\s*$/i;

const printed = (text: string): Printed => ({ value: Number(text), text });
const unitOf = (u: string): 'lb' | 'kg' => (u.toLowerCase() === 'lb' ? 'lb' : 'kg');

/**
 * One line (terminator removed). The forms of PROTOCOL.md §2–3 are matched whole; anything else
 * is refused with a reason, no field guessed. Inches must be below 12.
 */
export function decodeLine(bytes: Uint8Array): DecodedLine {
  const text = latin1(bytes);
  const p = PRINT.exec(text);
  if (p?.[1] && p[2] && p[3]) return { ok: true, line: { type: 'print', weight: printed(p[1]), unit: unitOf(p[2]), net: p[3].toLowerCase() === 'net' } };
  const w = WEIGHT.exec(text);
  if (w?.[1] && w[2] && w[3]) return { ok: true, line: { type: 'weight', weight: printed(w[2]), unit: unitOf(w[3]), net: w[1].toLowerCase() === 'net' } };
  const ft = HEIGHT_FT.exec(text);
  if (ft?.[1] && ft[2]) {
    if (!(Number(ft[2]) < 12)) return { ok: false, reason: `height inches ${ft[2]} are not below 12` };
    return { ok: true, line: { type: 'height', height: { feet: Number(ft[1]), inches: printed(ft[2]) } } };
  }
  const cm = HEIGHT_CM.exec(text);
  if (cm?.[1]) return { ok: true, line: { type: 'height', height: { cm: printed(cm[1]) } } };
  const b = BMI.exec(text);
  if (b?.[1]) return { ok: true, line: { type: 'bmi', bmi: printed(b[1]) } };
  return { ok: false, reason: 'neither a print line nor a BMI-mode line' };
}
