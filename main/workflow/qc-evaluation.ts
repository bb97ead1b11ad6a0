import type { QcLot } from '../../shared/api/qc-model.ts';
import { CATALOG } from '../../shared/catalog.ts';
import { HubError } from '../../shared/errors.ts';
import type { Observation, QuantityValue } from '../../shared/observation.ts';
import type { Reading } from '../../shared/reading.ts';
import { UNITS } from '../../shared/units.ts';

/** The outcome of comparing one control result with one lot level (docs/architecture.md §8 rule 11). */
export interface QcJudgement {
  value: string;
  low: number;
  high: number;
  verdict: 'pass' | 'fail';
  /** Why it failed, in words; absent for a pass. */
  reason?: string;
}

/** `12.5` as a person writes it: no trailing zeros, no exponent for clinical magnitudes. */
export function numberText(n: number): string {
  return String(Number(n.toPrecision(6)));
}

/** `320 mg/dL` / `>600 mg/dL`: a quantity as messages show it. */
export function quantityText(value: string, unit: string): string {
  const display = Object.hasOwn(UNITS, unit) ? UNITS[unit as keyof typeof UNITS].display : unit;
  return display === '' ? value : `${value} ${display}`;
}

function flatten(observations: readonly Observation[]): Observation[] {
  return observations.flatMap((o) => [o, ...flatten(o.components ?? [])]);
}

/** The control's value for the lot's analyte, or a plain-words CONFLICT when it has none in the lot's unit. */
function controlValue(reading: Reading, lot: QcLot): QuantityValue {
  const loinc = CATALOG[lot.analyte].loinc;
  const found = flatten(reading.observations).find((o) => o.code === loinc && o.value?.kind === 'quantity');
  const value = found?.value;
  if (value?.kind !== 'quantity') {
    throw new HubError('CONFLICT', `This control result has no ${CATALOG[lot.analyte].display} value, so lot ${lot.lotNumber} cannot judge it. Choose a lot for what the device measured.`, {
      details: { lotId: lot.id, analyte: lot.analyte },
    });
  }
  if (value.unit !== lot.unit) {
    throw new HubError('CONFLICT', `This control result is in ${quantityText('', value.unit).trim()}, lot ${lot.lotNumber} in ${quantityText('', lot.unit).trim()}: choose a lot defined in the device's unit.`, {
      details: { lotId: lot.id, unit: value.unit, lotUnit: lot.unit },
    });
  }
  return value;
}

/**
 * Compare a control result with one level of a lot. An expired lot fails whatever the value (its
 * ranges no longer hold); a value the device could only bound (`>600`, HI/LO) fails, as it cannot
 * be shown to lie within the range. The level is the one a person (or the device) named: a result
 * is never guessed into whichever level it happens to fit.
 *
 * @throws HubError INPUT_INVALID for a level the lot does not have; CONFLICT for a result with no
 *   value for the lot's analyte in the lot's unit.
 */
export function judgeControl(reading: Reading, lot: QcLot, levelName: string): QcJudgement {
  const level = lot.levels.find((l) => l.level === levelName);
  if (level === undefined) {
    throw new HubError('INPUT_INVALID', `Lot ${lot.lotNumber} has no level "${levelName}"; its levels are ${lot.levels.map((l) => l.level).join(', ')}.`, {
      details: { field: 'level' },
    });
  }
  const q = controlValue(reading, lot);
  const value = `${q.comparator ?? ''}${numberText(q.value)}`;
  const base = { value, low: level.low, high: level.high };
  // The lot's last day counts as in date: compare with the control's own (device-local) date.
  const measuredOn = reading.effectiveTime.slice(0, 10);
  if (measuredOn > lot.expiresOn) return { ...base, verdict: 'fail', reason: `lot expired on ${lot.expiresOn}` };
  if (q.comparator !== undefined) return { ...base, verdict: 'fail', reason: 'result beyond the meter’s measuring range' };
  if (q.value < level.low || q.value > level.high) return { ...base, verdict: 'fail', reason: 'out of range' };
  return { ...base, verdict: 'pass' };
}
