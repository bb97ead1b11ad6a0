import type { UcumCode } from './units.ts';

/**
 * The one catalog of observation codes (LOINC, with IEEE 11073 MDC where one exists), from
 * docs/export.md §9. Drivers look codes up here by key; nothing else in the code base
 * spells a LOINC number. Codes that could not be confirmed (strip ascorbate, albumin/creatinine)
 * are deliberately absent: such results are shown as unmapped.
 */
export type CatalogCategory = 'vital-signs' | 'laboratory';
/** LOINC scale: quantitative, ordinal or nominal. */
export type CatalogScale = 'Qn' | 'Ord' | 'Nom';

export interface CatalogEntry {
  readonly loinc: string;
  readonly display: string;
  readonly category: CatalogCategory;
  readonly scale: CatalogScale;
  /** UCUM units a quantity under this code may carry; empty for ordinal and nominal codes. */
  readonly units: readonly UcumCode[];
  /** Extra LOINC codings the exporter adds (SpO2 also carries 2708-6 for the R4 core profile). */
  readonly alsoLoinc?: readonly string[];
  readonly mdc?: { readonly code: number; readonly refId: string };
}

const vital = (
  loinc: string,
  display: string,
  units: readonly UcumCode[],
  mdc?: CatalogEntry['mdc'],
  alsoLoinc?: readonly string[],
): CatalogEntry => ({ loinc, display, category: 'vital-signs', scale: 'Qn', units, mdc, alsoLoinc });

const lab = (
  loinc: string,
  display: string,
  scale: CatalogScale,
  units: readonly UcumCode[] = [],
  mdc?: CatalogEntry['mdc'],
): CatalogEntry => ({ loinc, display, category: 'laboratory', scale, units, mdc });

export const CATALOG = {
  // Vital signs (R4 vital-signs profile, docs/export.md §9).
  bpPanel: vital('85354-9', 'Blood pressure panel with all children optional', [], { code: 150020, refId: 'MDC_PRESS_BLD_NONINV' }),
  bpSystolic: vital('8480-6', 'Systolic blood pressure', ['mm[Hg]'], { code: 150021, refId: 'MDC_PRESS_BLD_NONINV_SYS' }),
  bpDiastolic: vital('8462-4', 'Diastolic blood pressure', ['mm[Hg]'], { code: 150022, refId: 'MDC_PRESS_BLD_NONINV_DIA' }),
  bpMean: vital('8478-0', 'Mean blood pressure', ['mm[Hg]'], { code: 150023, refId: 'MDC_PRESS_BLD_NONINV_MEAN' }),
  heartRate: vital('8867-4', 'Heart rate', ['/min'], { code: 149514, refId: 'MDC_PULS_RATE' }),
  pulseRateOximeter: vital('8867-4', 'Heart rate', ['/min'], { code: 149530, refId: 'MDC_PULS_OXIM_PULS_RATE' }),
  pulseRateNibp: vital('8867-4', 'Heart rate', ['/min'], { code: 149546, refId: 'MDC_PULS_RATE_NON_INV' }),
  respiratoryRate: vital('9279-1', 'Respiratory rate', ['/min'], { code: 151562, refId: 'MDC_RESP_RATE' }),
  bodyTemperature: vital('8310-5', 'Body temperature', ['Cel', '[degF]'], { code: 150364, refId: 'MDC_TEMP_BODY' }),
  spo2: vital('59408-5', 'Oxygen saturation in Arterial blood by Pulse oximetry', ['%'], { code: 150456, refId: 'MDC_PULS_OXIM_SAT_O2' }, ['2708-6']),
  bodyWeight: vital('29463-7', 'Body weight', ['kg', '[lb_av]', 'g'], { code: 188736, refId: 'MDC_MASS_BODY_ACTUAL' }),
  bodyHeight: vital('8302-2', 'Body height', ['cm', '[in_i]'], { code: 188740, refId: 'MDC_LEN_BODY_ACTUAL' }),
  bmi: vital('39156-5', 'Body mass index (BMI) [Ratio]', ['kg/m2'], { code: 188752, refId: 'MDC_RATIO_MASS_BODY_LEN_SQ' }),
  headCircumference: vital('9843-4', 'Head Occipital-frontal circumference', ['cm', '[in_i]'], { code: 153856, refId: 'MDC_CIRCUM_HEAD' }),

  // Capillary glucose by meter (docs/export.md §9): the code follows the unit the meter reports.
  glucoseMassMeter: lab('41653-7', 'Glucose [Mass/volume] in Capillary blood by Glucometer', 'Qn', ['mg/dL'], { code: 160184, refId: 'MDC_CONC_GLU_CAPILLARY_WHOLEBLOOD' }),
  glucoseMolarMeter: lab('14743-9', 'Glucose [Moles/volume] in Capillary blood by Glucometer', 'Qn', ['mmol/L'], { code: 160184, refId: 'MDC_CONC_GLU_CAPILLARY_WHOLEBLOOD' }),
  // β-hydroxybutyrate by meter strip. One source could not confirm the number; two public
  // sources found since agree on 66441-7 (a hospital test catalog listing it for the Abbott
  // Precision meter, and a public code table grouping it with the β-hydroxybutyrate codes).
  bloodKetoneMeter: lab('66441-7', '3-Hydroxybutyrate [Moles/volume] in Blood by Test strip', 'Qn', ['mmol/L']),

  // Urine dipstick (docs/export.md §9): ordinal (presence) and quantitative codes kept apart.
  urinePanel: lab('50556-0', 'Urinalysis dipstick panel - Urine by Automated test strip', 'Nom'),
  urineGlucosePresence: lab('25428-4', 'Glucose [Presence] in Urine by Test strip', 'Ord'),
  urineGlucoseMass: lab('5792-7', 'Glucose [Mass/volume] in Urine by Test strip', 'Qn', ['mg/dL']),
  urineBilirubinPresence: lab('5770-3', 'Bilirubin.total [Presence] in Urine by Test strip', 'Ord'),
  urineKetonesPresence: lab('2514-8', 'Ketones [Presence] in Urine by Test strip', 'Ord'),
  urineKetonesMass: lab('5797-6', 'Ketones [Mass/volume] in Urine by Test strip', 'Qn', ['mg/dL']),
  urineSpecificGravity: lab('5811-5', 'Specific gravity of Urine by Test strip', 'Qn', ['1']),
  urineBloodPresence: lab('5794-3', 'Hemoglobin [Presence] in Urine by Test strip', 'Ord'),
  urinePh: lab('5803-2', 'pH of Urine by Test strip', 'Qn', ['[pH]']),
  urineProteinPresence: lab('20454-5', 'Protein [Presence] in Urine by Test strip', 'Ord'),
  urineProteinMass: lab('5804-0', 'Protein [Mass/volume] in Urine by Test strip', 'Qn', ['mg/dL']),
  urineUrobilinogenMass: lab('20405-7', 'Urobilinogen [Mass/volume] in Urine by Test strip', 'Qn', ['mg/dL']),
  urineNitritePresence: lab('5802-4', 'Nitrite [Presence] in Urine by Test strip', 'Ord'),
  urineLeukocytesPresence: lab('5799-2', 'Leukocyte esterase [Presence] in Urine by Test strip', 'Ord'),
  urineColor: lab('5778-6', 'Color of Urine', 'Nom'),
  urineClarity: lab('32167-9', 'Clarity of Urine', 'Nom'),
} as const satisfies Record<string, CatalogEntry>;

export type CatalogKey = keyof typeof CATALOG;

/** Every catalog entry whose LOINC code is `loinc` (several keys may share one, e.g. 8867-4). */
export function entriesForLoinc(loinc: string): CatalogEntry[] {
  return Object.values(CATALOG).filter((e: CatalogEntry) => e.loinc === loinc || e.alsoLoinc?.includes(loinc));
}
