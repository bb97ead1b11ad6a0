import { z } from 'zod';
import { CATALOG, type CatalogKey } from './catalog.ts';
import { UNITS, type UcumCode } from './units.ts';

/** Normalized ordinal grades of docs/trace-format.md §2, with their rank for sorting and trends. */
export const ORDINAL_CODES = ['neg', 'normal', 'trace', 'small', 'moderate', 'large', 'pos', '1+', '2+', '3+', '4+'] as const;
export type OrdinalCode = (typeof ORDINAL_CODES)[number];
export const ORDINAL_RANK: Readonly<Record<OrdinalCode, number>> = {
  neg: 0, normal: 0, trace: 1, small: 2, '1+': 2, moderate: 3, '2+': 3, large: 4, '3+': 4, '4+': 5, pos: 2,
};

export const COMPARATORS = ['<', '<=', '>=', '>'] as const;
export const INTERPRETATIONS = ['N', 'A', 'H', 'L', 'HH', 'LL'] as const;
export type Interpretation = (typeof INTERPRETATIONS)[number];

export const QuantityValueSchema = z.object({
  kind: z.literal('quantity'),
  value: z.number().finite(),
  unit: z.string().refine((u) => Object.hasOwn(UNITS, u), { message: 'unit is not a catalog UCUM code' }),
  comparator: z.enum(COMPARATORS).optional(),
  /**
   * How many digits the device printed after the decimal point (`1.020` → 3, `7.0` → 1), so every
   * output can write the value as printed: a number alone cannot hold trailing zeros, and
   * `1.020` is not the same statement as `1.02`. Absent: write the value as the number prints
   * (readings stored before the field existed, devices that print integers).
   */
  decimals: z.number().int().min(0).max(6).optional(),
});
const OrdinalValueSchema = z.object({ kind: z.literal('ordinal'), code: z.enum(ORDINAL_CODES), text: z.string() });
const TextValueSchema = z.object({ kind: z.literal('text'), text: z.string() });
const UnmappedValueSchema = z.object({ kind: z.literal('unmapped'), text: z.string(), label: z.string() });

export const ObservationValueSchema = z.discriminatedUnion('kind', [
  QuantityValueSchema,
  OrdinalValueSchema,
  TextValueSchema,
  UnmappedValueSchema,
]);
export type ObservationValue = z.infer<typeof ObservationValueSchema>;
export type QuantityValue = z.infer<typeof QuantityValueSchema>;

/** A coded body site (SNOMED CT body structure), see {@link BODY_SITES}. */
export const BodySiteSchema = z.object({ system: z.string(), code: z.string(), display: z.string() });
export type BodySite = z.infer<typeof BodySiteSchema>;

const SNOMED = 'http://snomed.info/sct';
/**
 * The body sites drivers name, coded as in the HL7 vital-signs body-temperature location value
 * set (SNOMED CT body structures), so every driver codes a site the same way.
 */
export const BODY_SITES = {
  oral: { system: SNOMED, code: '74262004', display: 'Oral cavity structure' },
  axillary: { system: SNOMED, code: '422543003', display: 'Structure of axillary fossa' },
  rectal: { system: SNOMED, code: '34402009', display: 'Rectum structure' },
} as const satisfies Record<string, BodySite>;

const ObservationBase = z.object({
  /** LOINC code from the catalog; absent only when the driver could not name the analyte. */
  code: z.string().optional(),
  display: z.string().optional(),
  /** IEEE 11073-10101 code (PCD-01), where the catalog has one. */
  mdc: z.number().int().optional(),
  value: ObservationValueSchema.optional(),
  interpretation: z.enum(INTERPRETATIONS).optional(),
  referenceRange: z.object({ low: z.number().optional(), high: z.number().optional(), text: z.string().optional() }).optional(),
  /**
   * Where on the body it was measured, when the device says so (a thermometer's oral, axillary
   * or rectal algorithm): a SNOMED CT body-structure coding, carried to FHIR `bodySite`.
   */
  bodySite: BodySiteSchema.optional(),
});
export type Observation = z.infer<typeof ObservationBase> & { components?: Observation[] };

export const ObservationSchema: z.ZodType<Observation> = ObservationBase.extend({
  components: z.lazy(() => z.array(ObservationSchema)).optional(),
}).refine((o) => o.code !== undefined || o.value?.kind === 'unmapped', {
  message: 'an observation without a code must carry an unmapped value',
}).refine((o) => o.value !== undefined || (o.components?.length ?? 0) > 0, {
  message: 'an observation needs a value or components',
});

/** An observation under a catalog code, built so that the unit always belongs to the code. */
export function observe(key: CatalogKey, value: ObservationValue, extra: Pick<Observation, 'interpretation' | 'referenceRange'> = {}): Observation {
  const entry = CATALOG[key];
  if (value.kind === 'quantity' && !(entry.units as readonly string[]).includes(value.unit)) {
    // A unit that does not belong to the code is a driver bug, not device noise: say so loudly.
    throw new Error(`unit ${value.unit} is not allowed for ${key} (${entry.loinc})`);
  }
  if (value.kind === 'ordinal' && entry.scale !== 'Ord') throw new Error(`${key} is not an ordinal code`);
  const obs: Observation = { code: entry.loinc, display: entry.display, value, ...extra };
  if (entry.mdc) obs.mdc = entry.mdc.code;
  return obs;
}

/** A result the driver could not map: kept with the device's own label and text, never dropped. */
export function unmapped(label: string, text: string, key?: CatalogKey): Observation {
  const value = { kind: 'unmapped', label, text } as const;
  if (key === undefined) return { value };
  return { code: CATALOG[key].loinc, display: CATALOG[key].display, value };
}

/**
 * A quantity value. `decimals` is how many digits the device printed after the point (see
 * {@link printedDecimals}); leave it out when the device printed none or it is not known.
 */
export function quantity(value: number, unit: UcumCode, comparator?: (typeof COMPARATORS)[number], decimals?: number): ObservationValue {
  const q: QuantityValue = comparator ? { kind: 'quantity', value, unit, comparator } : { kind: 'quantity', value, unit };
  if (decimals !== undefined) q.decimals = decimals;
  return q;
}

/**
 * Digits after the decimal point of a number as the device printed it (`1.020` → 3, `6.0` → 1,
 * `500` → undefined): what {@link quantity} takes as `decimals`. Undefined for text without a
 * fractional part, so integer values do not carry the field at all.
 */
export function printedDecimals(text: string): number | undefined {
  const m = /^\s*[<>]?=?\s*[+-]?\d*\.(\d+)\s*$/.exec(text);
  if (!m?.[1]) return undefined;
  return Math.min(m[1].length, 6);
}
