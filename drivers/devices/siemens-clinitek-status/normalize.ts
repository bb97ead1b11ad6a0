import { observe, type Observation } from '../../../shared/observation.ts';
import type { Reading } from '../../../shared/reading.ts';
import { urineObservation } from '../../families/urine/index.ts';
import type { ClinitekErrorRecord, ClinitekResultRecord, ClinitekTriplet } from './decode.ts';
import { FLAG_ABNORMAL, NOT_ENTERED } from './protocol.ts';

/**
 * One triplet to one observation, by the urine family's vocabulary (drivers/families/urine), so
 * the Clinitek maps a pad exactly as every other urine analyzer does: the kind of value picks the
 * code, whatever cannot be mapped is kept as unmapped with the device's label and text, and a `*`
 * flag becomes interpretation `A`.
 */
export function normalizeTriplet({ code, result, flag }: ClinitekTriplet): Observation {
  return urineObservation({ label: code, value: result, abnormal: flag === FLAG_ABNORMAL });
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
