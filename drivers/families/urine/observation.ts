import { ORDINAL_RANK, observe, quantity, unmapped, type Observation, type OrdinalCode } from '../../../shared/observation.ts';
import { findUrineAnalyte, type UrineAnalyte } from './analytes.ts';
import { splitGrade, urineGrade } from './grades.ts';
import { catalogSpelling, parseUrineValue } from './values.ts';

/** One pad's result as a urine analyzer printed it. */
export interface UrineResult {
  /** The analyzer's code for the pad, as printed (`GLU`, `S.G`, `CET`, `OBL`). */
  readonly label: string;
  /** The grade column, when the device prints one apart from the value (`3+`, `-`, `+-`, `+++`). */
  readonly grade?: string;
  /** The value as printed (`500 mg/dL`, `Negative`, `>=1.030`, `Ca 10 Ery/uL`, `++++2000 mg/dl`). */
  readonly value: string;
  /** The analyzer marked it abnormal (`*`). */
  readonly abnormal?: boolean;
  /** The analyte, when the driver knows it by other means (an ASTM test-code map); else looked up by label. */
  readonly analyte?: UrineAnalyte;
}

/** The printed text kept with a grade or an unmapped value: grade and value as the device printed them. */
function printedText(result: UrineResult): string {
  return [result.grade?.trim() ?? '', result.value.trim()].filter((part) => part !== '').join(' ');
}

/** Units printed as nothing: SG and pH are dimensionless, so an empty unit is theirs. */
function unitMatches(printed: string, unit: string): boolean {
  return printed === '' ? unit === '1' || unit === '[pH]' : catalogSpelling(printed) === unit;
}

/**
 * One pad's result to one observation, the same way for every urine driver:
 * - a concentration in the catalog's unit → the analyte's Mass/volume code, with its comparator
 *   (`>=300 mg/dL`) and printed decimals (`1.020`);
 * - a grade (`1+`, `+++`, `+-`, `-`) or a word (`Negative`, `NEGATIV`, `pos`) → the Presence code,
 *   with the printed text; a cell count (`250 RBC/ul`, `Ca 10 Ery/uL`) in this pad's own count unit
 *   → the grade printed beside it, else positive (negative for an exact count of 0);
 * - a concentration in another unit (`3.2 umol/L`) → unmapped under the analyte's code, never
 *   converted; "about N" (`Ca 25 mg/dL`) is never read as exactly N;
 * - anything else, or an analyte we do not know → unmapped with the device's label and text.
 * `abnormal` (`*`) becomes interpretation `A`.
 */
export function urineObservation(result: UrineResult): Observation {
  const observation = mapResult(result, result.analyte ?? findUrineAnalyte(result.label));
  if (result.abnormal) observation.interpretation = 'A';
  return observation;
}

function mapResult(result: UrineResult, row: UrineAnalyte | undefined): Observation {
  const text = printedText(result);
  if (!row) return unmapped(result.label, text);
  const split = result.grade === undefined ? splitGrade(result.value) : { grade: result.grade, rest: result.value };
  const grade = split.grade === undefined ? undefined : urineGrade(split.grade, row);
  // A grade column that is not a grade we know makes the whole result unreadable: never half-read it.
  if (split.grade !== undefined && split.grade.trim() !== '' && grade === undefined) return unmapped(result.label, text);
  const presence = (code: OrdinalCode): Observation =>
    row.ordinal ? observe(row.ordinal, { kind: 'ordinal', code, text }) : unmappedOf(result.label, text, row);
  const parsed = parseUrineValue(split.rest);
  switch (parsed.form) {
    case 'number': {
      const q = row.quantity;
      if (q && unitMatches(parsed.unit, q.unit)) return observe(q.key, quantity(parsed.value, q.unit, parsed.comparator, parsed.decimals));
      const unit = catalogSpelling(parsed.unit);
      if (row.countUnits?.includes(unit) && parsed.comparator === undefined) return presence(grade ?? (parsed.value > 0 ? 'pos' : 'neg'));
      if (grade !== undefined && row.ordinal) return presence(grade);
      if (row.foreignUnits?.includes(unit)) return unmappedOf(result.label, text, row);
      return unmapped(result.label, text);
    }
    case 'approximate': {
      const unit = catalogSpelling(parsed.unit);
      // "About 0 cells" says nothing a reviewer could trust as negative: only a grade reads it.
      if (row.countUnits?.includes(unit) && (grade !== undefined || parsed.value > 0)) return presence(grade ?? 'pos');
      if (grade !== undefined && row.ordinal) return presence(grade);
      // About N in this pad's own unit: the pad is known, the number is not exact.
      if (unit === row.quantity?.unit || row.foreignUnits?.includes(unit)) return unmappedOf(result.label, text, row);
      return unmapped(result.label, text);
    }
    case 'word': {
      const word = urineGrade(parsed.word, row);
      if (word === undefined) return unmapped(result.label, text);
      if (grade === undefined) return presence(word);
      // `- neg`, `+ pos`: the column and the word agree and the column is finer. A column that says
      // negative beside a word that says positive (or the reverse) is a contradiction: not read.
      if ((ORDINAL_RANK[grade] === 0) !== (ORDINAL_RANK[word] === 0)) return unmapped(result.label, text);
      return presence(grade);
    }
    case 'empty':
      return grade === undefined ? unmapped(result.label, text) : presence(grade);
    case 'other':
      return grade !== undefined && row.ordinal ? presence(grade) : unmapped(result.label, text);
    default: {
      const never: never = parsed;
      return never;
    }
  }
}

/** Unmapped, but under the analyte's code when it has one: the reviewer sees which pad it was. */
function unmappedOf(label: string, text: string, row: UrineAnalyte): Observation {
  const key = row.quantity?.key ?? row.ordinal;
  return key === undefined ? unmapped(label, text) : unmapped(label, text, key);
}
