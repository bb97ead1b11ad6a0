import type { CatalogKey } from '../../../shared/catalog.ts';
import type { OrdinalCode } from '../../../shared/observation.ts';
import type { UcumCode } from '../../../shared/units.ts';

/**
 * The urine-strip analytes every urine driver maps onto the catalog (docs/export.md §9), with
 * the codes analyzers print for them in every language we have seen. One table, so a Clinitek,
 * a Mission U120 and an ASTM analyzer put "glucose 500 mg/dL" on the same code.
 *
 * The kind of value picks the code: a grade or word goes on the Presence (ordinal) code, a
 * concentration in the catalog's unit on the Mass/volume (quantity) code; never one on the other.
 */
export interface UrineAnalyte {
  /** Our name for the analyte (also the key of {@link URINE_ANALYTES}). */
  readonly analyte: string;
  /** Codes analyzers print (trimmed, matched without regard to case or dots: `S.G` = `SG`). */
  readonly codes: readonly string[];
  /** Where grades and words go: a Presence code. */
  readonly ordinal?: CatalogKey;
  /** Where concentrations go: a Mass/volume (or dimensionless) code and its UCUM unit. */
  readonly quantity?: { readonly key: CatalogKey; readonly unit: UcumCode };
  /**
   * Printed units meaning a concentration in a unit the catalog does not hold for this analyte
   * (SI, Ehrlich units): kept unmapped under the analyte's code — we never convert silently.
   */
  readonly foreignUnits?: readonly string[];
  /** Cell-count units printed beside or instead of a grade (`Apr 200 Hem/uL`, `250 RBC/ul`), spelled with `u` for µ. */
  readonly countUnits?: readonly string[];
  /** A bare `+` means "positive" (nitrite prints only `-` or `+`), not `1+`. */
  readonly positiveOnly?: boolean;
  /** Words that mean something only for this analyte. */
  readonly words?: Readonly<Record<string, OrdinalCode>>;
}

/**
 * The analytes. Codes: English Clinitek/Multistix (`GLU BIL KET SG BLD pH PRO UBG NIT LEU`,
 * `BLO`/`URO` in mieweb's list), Spanish Clinitek (`CET` ketone, `DEN` density, `SAN` blood),
 * German Clinitek 50 (`OBL` okkultes Blut), Mission U120 (`BLO`, `URO`), URiSCAN (`BLD`, `p.H`,
 * `S.G`), and `ERY` (erythrocytes) that European strip readers print for the blood pad
 * [INFERRED: not in a capture we hold; it can only mean the blood pad].
 * Ascorbate (`ASC`, `VC`), albumin, creatinine and their ratios are absent on purpose: their
 * LOINC codes are unverified (docs/export.md §9), so they stay unmapped, never dropped.
 */
export const URINE_ANALYTES: readonly UrineAnalyte[] = [
  {
    analyte: 'glucose',
    codes: ['GLU'],
    ordinal: 'urineGlucosePresence',
    quantity: { key: 'urineGlucoseMass', unit: 'mg/dL' },
    foreignUnits: ['mmol/L'],
  },
  {
    analyte: 'bilirubin',
    codes: ['BIL'],
    ordinal: 'urineBilirubinPresence',
    // [INFERRED] the Spanish Clinitek prints Bajo/Alto for bilirubin, read as small/large (the
    // English pad is graded Small/Moderate/Large). Only for bilirubin: elsewhere they stay unmapped.
    // The catalog holds bilirubin only as presence (its Mass/volume code comes from one IG source):
    // a concentration printed beside a grade keeps the grade; a concentration alone stays unmapped.
    words: { bajo: 'small', alto: 'large' },
  },
  {
    analyte: 'ketones',
    codes: ['KET', 'CET'],
    ordinal: 'urineKetonesPresence',
    quantity: { key: 'urineKetonesMass', unit: 'mg/dL' },
    foreignUnits: ['mmol/L'],
  },
  { analyte: 'specific gravity', codes: ['SG', 'DEN'], quantity: { key: 'urineSpecificGravity', unit: '1' } },
  {
    analyte: 'blood',
    codes: ['BLD', 'BLO', 'SAN', 'OBL', 'ERY'],
    ordinal: 'urineBloodPresence',
    countUnits: ['Hem/uL', 'Ery/uL', 'RBC/uL', 'cells/uL'],
  },
  { analyte: 'pH', codes: ['pH'], quantity: { key: 'urinePh', unit: '[pH]' } },
  {
    analyte: 'protein',
    codes: ['PRO'],
    ordinal: 'urineProteinPresence',
    quantity: { key: 'urineProteinMass', unit: 'mg/dL' },
    foreignUnits: ['g/L'],
  },
  {
    analyte: 'urobilinogen',
    codes: ['UBG', 'URO'],
    quantity: { key: 'urineUrobilinogenMass', unit: 'mg/dL' },
    foreignUnits: ['E.U./dL', 'EU/dL', 'umol/L'],
  },
  { analyte: 'nitrite', codes: ['NIT'], ordinal: 'urineNitritePresence', positiveOnly: true },
  {
    analyte: 'leukocytes',
    codes: ['LEU'],
    ordinal: 'urineLeukocytesPresence',
    countUnits: ['Leu/uL', 'WBC/uL', 'cells/uL'],
  },
];

/** A printed code as we compare it: trimmed, dots dropped (`S.G`, `p.H`), upper case. */
export function codeKey(code: string): string {
  return code.trim().replaceAll('.', '').toUpperCase();
}

const BY_CODE: ReadonlyMap<string, UrineAnalyte> = new Map(
  URINE_ANALYTES.flatMap((row) => row.codes.map((code) => [codeKey(code), row] as const)),
);

/** The analyte a printed code names (padding, dots and case ignored), or undefined. */
export function findUrineAnalyte(code: string): UrineAnalyte | undefined {
  return BY_CODE.get(codeKey(code));
}

/** The analyte by our name (`'glucose'`), for drivers whose device names analytes otherwise (ASTM maps). */
export function urineAnalyteNamed(name: string): UrineAnalyte | undefined {
  return URINE_ANALYTES.find((row) => row.analyte === name);
}
