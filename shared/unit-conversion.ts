import type { UcumCode } from './units.ts';

/**
 * The other unit a clinic expects beside a body weight, height or temperature: 172.4 lb is also
 * read as 78.2 kg, 98.6 °F as 37.0 °C. For what the screens show beside the device's own value
 * ONLY: what is stored and exported stays the value and unit the device reported
 * (docs/architecture.md §4, units are never converted silently).
 */

/** 1 [lb_av] = 0.45359237 kg exactly (the international avoirdupois pound). */
export const KG_PER_LB = 0.45359237;
/** 1 [in_i] = 2.54 cm exactly (the international inch). */
export const CM_PER_IN = 2.54;

/** A value converted into the other unit, with the decimals it is shown with. */
export interface ConvertedValue {
  readonly value: number;
  readonly unit: UcumCode;
  /** One for every unit here: finer than the device would be a false precision. */
  readonly decimals: number;
}

interface Conversion {
  readonly to: UcumCode;
  readonly convert: (value: number) => number;
  readonly decimals: number;
}

const CONVERSIONS: Readonly<Partial<Record<UcumCode, Conversion>>> = {
  '[lb_av]': { to: 'kg', convert: (lb) => lb * KG_PER_LB, decimals: 1 },
  kg: { to: '[lb_av]', convert: (kg) => kg / KG_PER_LB, decimals: 1 },
  '[in_i]': { to: 'cm', convert: (inch) => inch * CM_PER_IN, decimals: 1 },
  cm: { to: '[in_i]', convert: (cm) => cm / CM_PER_IN, decimals: 1 },
  '[degF]': { to: 'Cel', convert: (f) => ((f - 32) * 5) / 9, decimals: 1 },
  Cel: { to: '[degF]', convert: (c) => (c * 9) / 5 + 32, decimals: 1 },
};

/**
 * Beyond this no body is measured; a converted 1e30 would only print in exponent form, so such a
 * value (impossible, and flagged so) is shown as the device sent it, alone.
 */
const LARGEST_CONVERTED = 1e9;

/**
 * `value` in `unit` converted into the unit shown beside it (lb ↔ kg, in ↔ cm, °F ↔ °C); undefined
 * for any other unit or a value that is not a finite number of a sensible size.
 */
export function convertForDisplay(value: number, unit: string): ConvertedValue | undefined {
  if (!Number.isFinite(value) || Math.abs(value) > LARGEST_CONVERTED || !Object.hasOwn(CONVERSIONS, unit)) return undefined;
  const c = CONVERSIONS[unit as UcumCode];
  if (!c) return undefined;
  return { value: c.convert(value), unit: c.to, decimals: c.decimals };
}

/**
 * A converted number with exactly its decimals, halves rounded away from zero: 78.19999… → `78.2`,
 * 37 → `37.0`. Float noise is cut off first (12 significant digits), so 36.99999999 reads 37.0.
 */
export function formatConverted(c: ConvertedValue): string {
  const clean = Number(c.value.toPrecision(12));
  const scale = 10 ** c.decimals;
  const rounded = (Math.sign(clean) * Math.round(Math.abs(clean) * scale)) / scale;
  // -0.04 rounds to -0: shown as 0.0, not -0.0.
  return (rounded === 0 ? 0 : rounded).toFixed(c.decimals);
}
