import { observe, printedDecimals, quantity, unmapped, type COMPARATORS, type Observation } from '../../../shared/observation.ts';
import type { Reading } from '../../../shared/reading.ts';
import { findAnalyte, ordinalWord, type AnalyteRow } from './analytes.ts';
import type { ClinitekErrorRecord, ClinitekResultRecord, ClinitekTriplet } from './decode.ts';
import { FLAG_ABNORMAL, NOT_ENTERED } from './protocol.ts';

type Comparator = (typeof COMPARATORS)[number];

/** A printed result, classified by its form before any mapping. */
type ParsedResult =
  | { form: 'word'; word: string }
  | { form: 'number'; value: number; comparator?: Comparator; unit: string; decimals?: number }
  | { form: 'count'; count: number; unit: string }
  | { form: 'other' };

/** `500 mg/dL`, `>=1.030`, `7.0`, `3.2 umol/L`, `0.2 E.U./dL`. */
const NUMBER = /^(>=|<=|>|<)?\s*(\d+(?:\.\d+)?)(?:\s+(\S+))?$/;
/** `Apr 200 Hem/uL`, `Ca 200 Ery/uL`, `Apr 500 Leu/uL`: approximately N cells per µL. */
const COUNT = /^(?:Apr|Ca)\.?\s+(\d+)\s+(\S+\/uL)$/i;
/** `Negative`, `Trace-intact`, `Positivo`. */
const WORD = /^[A-Za-z\u00c0-\u00ff]+(?:-[A-Za-z\u00c0-\u00ff]+)*$/;

/** Classify a printed result (already trimmed by the decoder). */
export function parseResult(text: string): ParsedResult {
  const count = COUNT.exec(text);
  // A run of digits no pad can print (line noise) reads as Infinity: not a number, kept as printed.
  if (count) return Number.isFinite(Number(count[1])) ? { form: 'count', count: Number(count[1]), unit: count[2] ?? '' } : { form: 'other' };
  const n = NUMBER.exec(text);
  if (n) {
    const value = Number(n[2]);
    if (!Number.isFinite(value)) return { form: 'other' };
    const unit = n[3] ?? '';
    const comparator = n[1] as Comparator | undefined;
    // SG 1.020 and pH 6.0 say how precisely the pad was read: the printed decimals travel with the value.
    const decimals = printedDecimals(n[2] ?? '');
    return { form: 'number', value, unit, ...(comparator ? { comparator } : {}), ...(decimals === undefined ? {} : { decimals }) };
  }
  if (WORD.test(text)) return { form: 'word', word: text };
  return { form: 'other' };
}

/**
 * One triplet to one observation. The code is chosen by the kind of value (an ordinal never
 * goes on a quantitative code, nor the other way round); whatever cannot be mapped is kept as
 * unmapped with the device's label and text. A `*` flag becomes interpretation `A`.
 */
export function normalizeTriplet(triplet: ClinitekTriplet): Observation {
  const observation = mapTriplet(triplet, findAnalyte(triplet.code));
  if (triplet.flag === FLAG_ABNORMAL) observation.interpretation = 'A';
  return observation;
}

function mapTriplet({ code, result }: ClinitekTriplet, row: AnalyteRow | undefined): Observation {
  if (!row) return unmapped(code, result);
  const parsed = parseResult(result);
  switch (parsed.form) {
    case 'word': {
      const grade = ordinalWord(row, parsed.word);
      if (grade === undefined) return unmapped(code, result);
      if (row.ordinal) return observe(row.ordinal, { kind: 'ordinal', code: grade, text: result });
      // A grade for an analyte the catalog holds only as a concentration (urobilinogen "Normal").
      return row.quantity ? unmapped(code, result, row.quantity.key) : unmapped(code, result);
    }
    case 'number': {
      const q = row.quantity;
      if (q && parsed.unit === q.printed) return observe(q.key, quantity(parsed.value, q.unit, parsed.comparator, parsed.decimals));
      if (q && row.foreignUnits?.includes(parsed.unit)) return unmapped(code, result, q.key);
      return unmapped(code, result);
    }
    case 'count':
      // "About N cells/µL" is a positive pad; the count unit is not UCUM and the code is a
      // presence code, so the grade is `pos` and the printed text keeps the number.
      if (row.ordinal && row.countUnits?.includes(parsed.unit) && parsed.count > 0) {
        return observe(row.ordinal, { kind: 'ordinal', code: 'pos', text: result });
      }
      return unmapped(code, result);
    case 'other':
      return unmapped(code, result);
    default: {
      const never: never = parsed;
      return never;
    }
  }
}

/** True when an operator-entered field holds the device's words for "not entered". */
export function isNotEntered(text: string): boolean {
  const t = text.trim().toLowerCase();
  return t === '' || (NOT_ENTERED as readonly string[]).includes(t);
}

interface ClinitekNormalizedResult {
  observations: Observation[];
  flags: string[];
  context: NonNullable<Reading['context']>;
}

/** A result record to observations (colour, clarity, then the pads in record order), flags and context. */
export function normalizeResults(record: ClinitekResultRecord): ClinitekNormalizedResult {
  const observations: Observation[] = [];
  if (!isNotEntered(record.colour)) observations.push(observe('urineColor', { kind: 'text', text: record.colour }));
  if (!isNotEntered(record.clarity)) observations.push(observe('urineClarity', { kind: 'text', text: record.clarity }));
  for (const triplet of record.results) observations.push(normalizeTriplet(triplet));
  const abnormal = record.results.some((t) => t.flag === FLAG_ABNORMAL);
  return { observations, flags: abnormal ? ['abnormal'] : [], context: contextOf(record) };
}

/** What the record says of the sample: sequence, sample id, operator, strip type. */
function contextOf(record: ClinitekResultRecord | ClinitekErrorRecord): NonNullable<Reading['context']> {
  const context: NonNullable<Reading['context']> = { sequence: record.sequence };
  if (record.sampleId !== '') context.sampleId = record.sampleId;
  if (record.operatorId !== '') context.operatorId = record.operatorId;
  if (record.strip !== '') context.method = record.strip;
  return context;
}

/**
 * The plain-words message for an error record. We do not know what each code means (no source
 * says), so the message points to the analyzer's manual rather than guessing.
 */
export function errorMessage(record: ClinitekErrorRecord): string {
  const sample = record.sampleId !== '' ? ` (sample ${record.sampleId})` : '';
  return (
    `Clinitek reported error ${record.errorCode} for test ${record.sequence}${sample}; ` +
    `the strip was not read — see the analyzer's manual and repeat the test`
  );
}
