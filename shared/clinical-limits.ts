import { CATALOG, type CatalogKey } from './catalog.ts';
import type { UcumCode } from './units.ts';

/**
 * Clinical limits per catalog code and unit, beside the catalog (one place for every rule that
 * judges a value):
 * - `hard`: outside it the value cannot be a real measurement of a living patient (or is outside
 *   what the device can measure). Typed in, it is refused; received, it is kept, flagged, and
 *   cannot be confirmed without a rejection or a manual correction.
 * - `critical`: outside it the value may be real but needs action now. It is accepted only after
 *   a second, explicit confirmation, and flagged.
 * - `reference`: the usual adult range, for marking abnormal values and drawing the band on trends.
 *
 * Limits are given for each unit the catalog allows, never converted at run time: a unit not
 * listed here has no limits, and the value is shown as not checked rather than judged in a guessed
 * unit. Sources: the vital-sign ranges of common adult early-warning scores and point-of-care
 * critical-value lists; meter measuring ranges as printed in glucometer manuals (20–600 mg/dL,
 * 1.1–33.3 mmol/L); the issue's own figures for SpO₂, blood pressure, temperature, weight and height.
 */
export interface Range {
  readonly low?: number;
  readonly high?: number;
}

export interface ClinicalLimits {
  readonly hard: Range;
  readonly critical?: Range;
  readonly reference?: Range;
}

type LimitTable = Partial<Record<CatalogKey, Partial<Record<UcumCode, ClinicalLimits>>>>;

const pulse: Partial<Record<UcumCode, ClinicalLimits>> = {
  '/min': { hard: { low: 20, high: 300 }, critical: { low: 40, high: 150 }, reference: { low: 60, high: 100 } },
};

export const CLINICAL_LIMITS: LimitTable = {
  spo2: { '%': { hard: { low: 0, high: 100 }, critical: { low: 88 }, reference: { low: 95, high: 100 } } },
  bpSystolic: { 'mm[Hg]': { hard: { low: 40, high: 300 }, critical: { low: 80, high: 180 }, reference: { low: 90, high: 129 } } },
  bpDiastolic: { 'mm[Hg]': { hard: { low: 15, high: 250 }, critical: { low: 40, high: 120 }, reference: { low: 60, high: 84 } } },
  bpMean: { 'mm[Hg]': { hard: { low: 20, high: 280 }, critical: { low: 60, high: 150 }, reference: { low: 70, high: 105 } } },
  heartRate: pulse,
  pulseRateOximeter: pulse,
  pulseRateNibp: pulse,
  respiratoryRate: { '/min': { hard: { low: 2, high: 80 }, critical: { low: 8, high: 30 }, reference: { low: 12, high: 20 } } },
  bodyTemperature: {
    Cel: { hard: { low: 25, high: 45 }, critical: { low: 35, high: 40 }, reference: { low: 36.1, high: 37.8 } },
    '[degF]': { hard: { low: 77, high: 113 }, critical: { low: 95, high: 104 }, reference: { low: 97, high: 100 } },
  },
  bodyWeight: {
    kg: { hard: { low: 0.2, high: 350 } },
    '[lb_av]': { hard: { low: 0.44, high: 771 } },
    g: { hard: { low: 200, high: 350_000 } },
  },
  bodyHeight: { cm: { hard: { low: 20, high: 250 } }, '[in_i]': { hard: { low: 7.9, high: 98.4 } } },
  bmi: { 'kg/m2': { hard: { low: 5, high: 150 }, reference: { low: 18.5, high: 24.9 } } },
  headCircumference: { cm: { hard: { low: 20, high: 80 } }, '[in_i]': { hard: { low: 7.9, high: 31.5 } } },
  glucoseMassMeter: { 'mg/dL': { hard: { low: 20, high: 600 }, critical: { low: 50, high: 400 }, reference: { low: 70, high: 140 } } },
  glucoseMolarMeter: { 'mmol/L': { hard: { low: 1.1, high: 33.3 }, critical: { low: 2.8, high: 22.2 }, reference: { low: 3.9, high: 7.8 } } },
  bloodKetoneMeter: { 'mmol/L': { hard: { low: 0, high: 8 }, critical: { high: 3 }, reference: { high: 0.6 } } },
  urineSpecificGravity: { '1': { hard: { low: 1, high: 1.06 }, reference: { low: 1.005, high: 1.03 } } },
  urinePh: { '[pH]': { hard: { low: 4, high: 10 }, reference: { low: 5, high: 8 } } },
  urineGlucoseMass: { 'mg/dL': { hard: { low: 0, high: 2000 } } },
  urineKetonesMass: { 'mg/dL': { hard: { low: 0, high: 200 } } },
  urineProteinMass: { 'mg/dL': { hard: { low: 0, high: 2000 } } },
  urineUrobilinogenMass: { 'mg/dL': { hard: { low: 0, high: 16 }, reference: { low: 0.2, high: 1 } } },
};

/** Where a value stands against its limits. */
export type ValueClass = 'impossible' | 'critical-low' | 'critical-high' | 'low' | 'high' | 'normal' | 'unchecked';

/** The limits of a catalog code in a unit, if any. */
export function limitsOf(key: CatalogKey, unit: string): ClinicalLimits | undefined {
  return (CLINICAL_LIMITS[key] as Partial<Record<string, ClinicalLimits>> | undefined)?.[unit];
}

/**
 * The limits for a LOINC code in a unit. Several catalog keys may share one LOINC code (heart
 * rate); they share their limits too.
 */
export function limitsForLoinc(loinc: string, unit: string): ClinicalLimits | undefined {
  for (const key of Object.keys(CATALOG) as CatalogKey[]) {
    if (CATALOG[key].loinc !== loinc) continue;
    const found = limitsOf(key, unit);
    if (found !== undefined) return found;
  }
  return undefined;
}

const below = (v: number, r: Range | undefined): boolean => r?.low !== undefined && v < r.low;
const above = (v: number, r: Range | undefined): boolean => r?.high !== undefined && v > r.high;

/** Judge one number against limits; no limits means `unchecked`, never a guess. */
export function classifyValue(value: number, limits: ClinicalLimits | undefined): ValueClass {
  if (limits === undefined) return 'unchecked';
  if (!Number.isFinite(value) || below(value, limits.hard) || above(value, limits.hard)) return 'impossible';
  if (below(value, limits.critical)) return 'critical-low';
  if (above(value, limits.critical)) return 'critical-high';
  if (below(value, limits.reference)) return 'low';
  if (above(value, limits.reference)) return 'high';
  return 'normal';
}
