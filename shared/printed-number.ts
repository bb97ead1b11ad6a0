/**
 * A number written as the device printed it: `decimals` digits after the point when the reading
 * says how many it printed (`1.02` with 3 → `1.020`), else the shortest plain decimal. Never
 * exponent notation (HL7 NM, CSV and FHIR decimals all want plain digits). Shared by every
 * output (FHIR, HL7, CSV, the screen) so a value reads the same everywhere (docs/export.md §4).
 */
export function printedNumber(value: number, decimals?: number): string {
  if (!Number.isFinite(value)) throw new RangeError(`not a finite number: ${value}`);
  if (decimals !== undefined && Number.isInteger(decimals) && decimals >= 0 && decimals <= 20) {
    const fixed = value.toFixed(decimals);
    // A `decimals` smaller than the value's own digits would round the value: keep the value.
    if (Number(fixed) === value && !/e/i.test(fixed)) return fixed;
  }
  return plainDecimal(value);
}

/** The shortest decimal text of `value` without exponent notation. */
function plainDecimal(value: number): string {
  const text = String(value);
  if (!/e/i.test(text)) return text;
  // Only very large or very small magnitudes reach here.
  return value.toFixed(Math.min(20, Math.max(0, -Math.floor(Math.log10(Math.abs(value))) + 15)));
}
