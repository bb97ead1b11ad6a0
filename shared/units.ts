/**
 * The UCUM units POC Hub may put on a quantity, with the human-readable text shown next to them.
 * Every code here is checked against @lhncbc/ucum-lhc by `test/catalog-units.test.ts`; a unit a driver
 * cannot find here is never guessed: the value becomes `unmapped` (docs/architecture.md §4).
 */
export const UNITS = {
  'mm[Hg]': { display: 'mmHg' },
  '/min': { display: '/min' },
  Cel: { display: '°C' },
  '[degF]': { display: '°F' },
  '%': { display: '%' },
  kg: { display: 'kg' },
  g: { display: 'g' },
  '[lb_av]': { display: 'lb' },
  cm: { display: 'cm' },
  '[in_i]': { display: 'in' },
  'kg/m2': { display: 'kg/m²' },
  'mg/dL': { display: 'mg/dL' },
  'mmol/L': { display: 'mmol/L' },
  '[pH]': { display: 'pH' },
  '1': { display: '' },
} as const satisfies Record<string, { display: string }>;

/** A UCUM code from the catalog. */
export type UcumCode = keyof typeof UNITS;

/** True when `code` is one of the catalog's UCUM codes. */
export function isUcumCode(code: string): code is UcumCode {
  return Object.hasOwn(UNITS, code);
}
