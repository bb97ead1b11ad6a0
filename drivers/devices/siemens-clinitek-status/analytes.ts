import type { CatalogKey } from '../../../shared/catalog.ts';
import type { OrdinalCode } from '../../../shared/observation.ts';
import type { UcumCode } from '../../../shared/units.ts';

/**
 * The analyte table: the analyzer's codes (which follow the device language) and how each
 * result form maps onto the catalog (PROTOCOL.md §4–5; docs/export.md §9). A code not in this
 * table (ALB, CRE, A:C, P:C, ASC, anything new) is kept as an unmapped result, never dropped.
 */
export interface AnalyteRow {
  /** Our name for the analyte. */
  readonly analyte: string;
  /** Codes printed by an English device (trimmed; matched without regard to case). */
  readonly english: readonly string[];
  /** Codes printed by a Spanish device. */
  readonly spanish: readonly string[];
  /** Where categorical results (`Negative`, `Small`, `Positivo` …) go: a Presence code. */
  readonly ordinal?: CatalogKey;
  /** Where concentrations go: a Mass/volume (or dimensionless) code, its unit and its printed unit. */
  readonly quantity?: { readonly key: CatalogKey; readonly unit: UcumCode; readonly printed: string };
  /**
   * Printed units that are a concentration of this analyte in a unit the catalog does not hold
   * (Ehrlich units, SI). Kept unmapped under the analyte's code: we never convert silently.
   */
  readonly foreignUnits?: readonly string[];
  /** Approximate cell counts (`Apr 200 Hem/uL`, `Ca 200 Ery/uL`): the count units of this pad. */
  readonly countUnits?: readonly string[];
  /** Words that mean something only for this analyte. */
  readonly words?: Readonly<Record<string, OrdinalCode>>;
}

export const ANALYTES: readonly AnalyteRow[] = [
  {
    analyte: 'glucose',
    english: ['GLU'],
    spanish: ['GLU'],
    ordinal: 'urineGlucosePresence',
    quantity: { key: 'urineGlucoseMass', unit: 'mg/dL', printed: 'mg/dL' },
    foreignUnits: ['mmol/L'],
  },
  {
    analyte: 'bilirubin',
    english: ['BIL'],
    spanish: ['BIL'],
    ordinal: 'urineBilirubinPresence',
    // [INFERRED] PROTOCOL.md §5 reads the Spanish bilirubin words Bajo/Alto as small/large (the
    // English pad is graded Small/Moderate/Large). Only for bilirubin: elsewhere they stay unmapped.
    words: { bajo: 'small', alto: 'large' },
  },
  {
    analyte: 'ketones',
    english: ['KET'],
    spanish: ['CET'],
    ordinal: 'urineKetonesPresence',
    quantity: { key: 'urineKetonesMass', unit: 'mg/dL', printed: 'mg/dL' },
    foreignUnits: ['mmol/L'],
  },
  {
    analyte: 'specific gravity',
    english: ['SG'],
    spanish: ['DEN'],
    quantity: { key: 'urineSpecificGravity', unit: '1', printed: '' },
  },
  {
    analyte: 'blood',
    english: ['BLD', 'BLO'],
    spanish: ['SAN'],
    ordinal: 'urineBloodPresence',
    countUnits: ['Hem/uL', 'Ery/uL'],
  },
  {
    analyte: 'pH',
    english: ['pH'],
    spanish: ['pH'],
    quantity: { key: 'urinePh', unit: '[pH]', printed: '' },
  },
  {
    analyte: 'protein',
    english: ['PRO'],
    spanish: ['PRO'],
    ordinal: 'urineProteinPresence',
    quantity: { key: 'urineProteinMass', unit: 'mg/dL', printed: 'mg/dL' },
    foreignUnits: ['g/L'],
  },
  {
    analyte: 'urobilinogen',
    english: ['UBG', 'URO'],
    spanish: ['URO'],
    quantity: { key: 'urineUrobilinogenMass', unit: 'mg/dL', printed: 'mg/dL' },
    foreignUnits: ['E.U./dL', 'umol/L'],
  },
  {
    analyte: 'nitrite',
    english: ['NIT'],
    spanish: ['NIT'],
    ordinal: 'urineNitritePresence',
  },
  {
    analyte: 'leukocytes',
    english: ['LEU'],
    spanish: ['LEU'],
    ordinal: 'urineLeukocytesPresence',
    countUnits: ['Leu/uL'],
  },
];

/**
 * Categorical words, English and Spanish, lower-cased. Only words seen in the captures or named
 * in PROTOCOL.md §5 and the Multistix grading are here; others (e.g. a Spanish word for trace, which
 * no capture shows) stay unmapped with their text until a capture shows them.
 */
export const ORDINAL_WORDS: Readonly<Record<string, OrdinalCode>> = {
  negative: 'neg',
  negativo: 'neg',
  trace: 'trace',
  'trace-intact': 'trace',
  'trace-lysed': 'trace',
  small: 'small',
  moderate: 'moderate',
  large: 'large',
  positive: 'pos',
  positivo: 'pos',
  normal: 'normal',
};

const BY_CODE: ReadonlyMap<string, AnalyteRow> = new Map(
  ANALYTES.flatMap((row) => [...row.english, ...row.spanish].map((code) => [code.toUpperCase(), row] as const)),
);

/** The row for a printed code (padding trimmed, case ignored), or undefined. */
export function findAnalyte(code: string): AnalyteRow | undefined {
  return BY_CODE.get(code.trim().toUpperCase());
}

/** The ordinal grade of a word for this analyte, or undefined. */
export function ordinalWord(row: AnalyteRow | undefined, word: string): OrdinalCode | undefined {
  const key = word.trim().toLowerCase();
  const own = row?.words;
  if (own && Object.hasOwn(own, key)) return own[key];
  return Object.hasOwn(ORDINAL_WORDS, key) ? ORDINAL_WORDS[key] : undefined;
}
