import type { Observation } from '../../../shared/observation.ts';
import type { Reading } from '../../../shared/reading.ts';
import { urineObservation } from '../../families/urine/index.ts';
import type { U120Report, U120Result } from './decode.ts';

/**
 * One analyte line to one observation through the urine family's vocabulary
 * (drivers/families/urine), as every urine driver maps its pads: the grade column goes as the
 * grade, number and unit as the printed value, `*` as interpretation `A`. What the family does
 * not map (ascorbate, an unknown label) stays unmapped with the analyzer's label and text.
 */
export function normalizeResult(result: U120Result): Observation {
  const value = result.unit === undefined ? result.value : `${result.value} ${result.unit}`;
  return urineObservation({ label: result.label, value, abnormal: result.abnormal, ...(result.grade === undefined ? {} : { grade: result.grade }) });
}

interface U120Normalized {
  observations: Observation[];
  flags: string[];
  context?: NonNullable<Reading['context']>;
}

/** A report to observations (in report order), flags (`abnormal` when any line had `*`) and context. */
export function normalizeReport(report: U120Report): U120Normalized {
  const observations = report.results.map(normalizeResult);
  const flags = report.results.some((r) => r.abnormal) ? ['abnormal'] : [];
  const context: NonNullable<Reading['context']> = {};
  // The sample ID goes to the context so a shared analyzer's result proposes its patient.
  if (report.sequence !== undefined) context.sequence = report.sequence;
  if (report.sampleId !== undefined) context.sampleId = report.sampleId;
  if (report.operatorId !== undefined) context.operatorId = report.operatorId;
  return Object.keys(context).length > 0 ? { observations, flags, context } : { observations, flags };
}
