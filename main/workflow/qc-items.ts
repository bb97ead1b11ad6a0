import type { QcEvaluation } from '../../shared/api/qc-model.ts';
import type { QcEvaluationRecord } from '../store/qc-repo.ts';

/** A stored control evaluation as the API shows it on the control's review item. */
export function toQcEvaluation(e: QcEvaluationRecord): QcEvaluation {
  return {
    lotId: e.lotId,
    lotNumber: e.lotNumber,
    level: e.level,
    low: e.low,
    high: e.high,
    unit: e.unit,
    value: e.value,
    verdict: e.verdict,
    ...(e.reason === undefined ? {} : { reason: e.reason }),
    ...(e.evaluatedBy === undefined ? {} : { evaluatedBy: e.evaluatedBy }),
    evaluatedAt: e.evaluatedAt,
  };
}
