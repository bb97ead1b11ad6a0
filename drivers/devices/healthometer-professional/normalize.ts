import { observe, printedDecimals, quantity, type Observation } from '../../../shared/observation.ts';
import type { ScalePacket } from './decode.ts';

/** What one packet becomes, or why it is not a weighing (the driver then treats it as unsettled). */
export type Weighing = { ok: true; observations: Observation[] } | { ok: false; reason: string };

/**
 * Weight in [lb_av] or kg and height in [in_i] or cm as the `N` field states, the printed
 * decimals kept; BMI in kg/m2 only when the scale sent one above zero — the hub never computes
 * it; a zero height (none entered) is left out. A zero or negative weight is nothing on the
 * platform, not a reading (PROTOCOL.md §3–4). The tare is a scale setting, not a vital sign.
 */
export function normalizePacket(packet: ScalePacket): Weighing {
  const { weight, height, bmi, units } = packet;
  const unitText = units === 'imperial' ? 'lb' : 'kg';
  if (!(weight.value > 0)) return { ok: false, reason: `weight ${weight.text} ${unitText} (nothing on the scale)` };
  const observations = [observe('bodyWeight', quantity(weight.value, units === 'imperial' ? '[lb_av]' : 'kg', undefined, printedDecimals(weight.text)))];
  if (height && height.value > 0) observations.push(observe('bodyHeight', quantity(height.value, units === 'imperial' ? '[in_i]' : 'cm', undefined, printedDecimals(height.text))));
  if (bmi && bmi.value > 0) observations.push(observe('bmi', quantity(bmi.value, 'kg/m2', undefined, printedDecimals(bmi.text))));
  return { ok: true, observations };
}
