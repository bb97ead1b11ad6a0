import type { Observation } from '../../../shared/observation.ts';
import type { Reading } from '../../../shared/reading.ts';
import { urineObservation } from '../../families/urine/index.ts';
import type { UriscanReport, UriscanResult } from './decode.ts';

/**
 * One analyte line to one observation through the urine family's vocabulary
 * (drivers/families/urine): the family peels the grade printed against the value (`++++2000`),
 * folds the lower-case units (`mg/dl`, `RBC/ul`) and keeps whatever it cannot map as unmapped
 * with the printed code and text. The analyzer prints no abnormal mark, so none is invented.
 */
export function normalizeResult({ code, result }: UriscanResult): Observation {
  return urineObservation({ label: code, value: result });
}

interface UriscanNormalized {
  observations: Observation[];
  context?: NonNullable<Reading['context']>;
}

/**
 * A report to observations (the pads in printed order) and context. The sample ID goes to
 * `context.sampleId`; the printed patient name and ward are not put on the reading: the reading
 * schema has no field for an analyzer's patient name, and a name typed at the analyzer is never
 * identity (PROTOCOL.md §4).
 */
export function normalizeReport(report: UriscanReport): UriscanNormalized {
  const observations = report.results.map(normalizeResult);
  return report.sampleId === undefined ? { observations } : { observations, context: { sampleId: report.sampleId } };
}
