import { observe, printedDecimals, quantity, type Observation } from '../../../shared/observation.ts';
import type { Printed, ScaleLine } from './decode.ts';

/** One weighing gathered from a print line, or from a BMI-mode block. */
export interface Weighing {
  readonly weight: Printed;
  readonly unit: 'lb' | 'kg';
  readonly net: boolean;
  readonly height?: Extract<ScaleLine, { type: 'height' }>['height'];
  readonly bmi?: Printed;
}

export type Normalized = { ok: true; observations: Observation[]; flags: string[] } | { ok: false; reason: string };

/**
 * Weight in [lb_av] or kg as printed; height in [in_i] (feet × 12 + inches, the printed inch
 * decimals kept) or cm; BMI in kg/m2 only when printed — never computed. A Net weight is the
 * weight with the tare taken off: kept as printed and flagged `net-weight` so the assistant sees
 * it. A zero or negative weight is nothing on the platform, not a reading (PROTOCOL.md §4).
 */
export function normalizeWeighing(w: Weighing): Normalized {
  if (!(w.weight.value > 0)) return { ok: false, reason: `weight ${w.weight.text} ${w.unit} (nothing on the scale)` };
  const observations = [observe('bodyWeight', quantity(w.weight.value, w.unit === 'lb' ? '[lb_av]' : 'kg', undefined, printedDecimals(w.weight.text)))];
  const h = w.height;
  if (h && 'feet' in h) {
    const decimals = printedDecimals(h.inches.text);
    const inches = h.feet * 12 + h.inches.value;
    observations.push(observe('bodyHeight', quantity(decimals === undefined ? inches : Number(inches.toFixed(decimals)), '[in_i]', undefined, decimals)));
  } else if (h && h.cm.value > 0) {
    observations.push(observe('bodyHeight', quantity(h.cm.value, 'cm', undefined, printedDecimals(h.cm.text))));
  }
  if (w.bmi && w.bmi.value > 0) observations.push(observe('bmi', quantity(w.bmi.value, 'kg/m2', undefined, printedDecimals(w.bmi.text))));
  return { ok: true, observations, flags: w.net ? ['net-weight'] : [] };
}
