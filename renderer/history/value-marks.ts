import { classifyValue, limitsForLoinc } from '../../shared/clinical-limits.ts';
import { ORDINAL_RANK, type Interpretation, type Observation } from '../../shared/observation.ts';

/**
 * How a value stands, for marking it on the flowsheet: against the reference and critical limits
 * of shared/clinical-limits.ts, or the device's own interpretation flag, whichever says more.
 * `unchecked`: no limits on file for this code and unit, and no flag from the device.
 */
export type Mark = 'normal' | 'unchecked' | 'low' | 'high' | 'abnormal' | 'critical-low' | 'critical-high' | 'impossible';

/** Severity, so the worse of two judgements wins (and of systolic and diastolic, for one BP cell). */
const SEVERITY: Readonly<Record<Mark, number>> = {
  normal: 0,
  unchecked: 0,
  low: 1,
  high: 1,
  abnormal: 1,
  'critical-low': 2,
  'critical-high': 2,
  impossible: 3,
};

/** The kind of mark, for the stylesheet and the legend: colour is never the only sign. */
export type MarkLevel = 'none' | 'abnormal' | 'critical' | 'impossible';

/** Symbol and words of each mark, as shown in the cell and the legend. */
export const MARK_VIEW: Readonly<Record<Mark, { level: MarkLevel; symbol: string; text: string }>> = {
  normal: { level: 'none', symbol: '', text: '' },
  unchecked: { level: 'none', symbol: '', text: '' },
  low: { level: 'abnormal', symbol: '▼', text: 'Low' },
  high: { level: 'abnormal', symbol: '▲', text: 'High' },
  abnormal: { level: 'abnormal', symbol: '!', text: 'Abnormal' },
  'critical-low': { level: 'critical', symbol: '▼▼', text: 'Critically low' },
  'critical-high': { level: 'critical', symbol: '▲▲', text: 'Critically high' },
  impossible: { level: 'impossible', symbol: '✕', text: 'Impossible value' },
};

/** The worse of two marks. */
export function worse(a: Mark, b: Mark): Mark {
  return SEVERITY[b] > SEVERITY[a] ? b : a;
}

function fromInterpretation(i: Interpretation | undefined): Mark {
  switch (i) {
    case 'H':
      return 'high';
    case 'L':
      return 'low';
    case 'A':
      return 'abnormal';
    case 'HH':
      return 'critical-high';
    case 'LL':
      return 'critical-low';
    case 'N':
    case undefined:
      return 'unchecked';
    default:
      return i satisfies never;
  }
}

/**
 * Mark one observation. Quantities are judged against the limits table; a dipstick grade above
 * negative/normal is abnormal (the reference for every strip pad is negative); the device's flag
 * counts too, so a meter's own HH is never hidden by a table that knows less.
 */
export function markOf(obs: Observation): Mark {
  const flagged = fromInterpretation(obs.interpretation);
  const v = obs.value;
  if (v?.kind === 'quantity' && obs.code !== undefined) {
    const cls = classifyValue(v.value, limitsForLoinc(obs.code, v.unit));
    return worse(cls, flagged);
  }
  if (v?.kind === 'ordinal') return worse(ORDINAL_RANK[v.code] > 0 ? 'abnormal' : 'normal', flagged);
  return flagged;
}
