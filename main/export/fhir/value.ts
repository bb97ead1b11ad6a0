import type { Observation as FhirObservation, ObservationReferenceRange, Quantity } from '@medplum/fhirtypes';
import { ORDINAL_SNOMED, SNOMED_SYSTEM } from '../../../shared/export/ordinal-codes.ts';
import type { Observation, ObservationValue, QuantityValue } from '../../../shared/observation.ts';
import { printedNumber } from '../../../shared/printed-number.ts';
import { UNITS, isUcumCode } from '../../../shared/units.ts';
import { UCUM_SYSTEM } from './codes.ts';
import { markDecimal } from './decimal-json.ts';

/** The value[x] part of an Observation or component (FHIR R4 allows the same choices in both). */
type FhirValue = Pick<FhirObservation, 'valueQuantity' | 'valueCodeableConcept' | 'valueString'>;

/** Human-readable unit text: the catalog's display, or the UCUM code where it has none (unit `1`). */
function unitText(code: string): string {
  const display = isUcumCode(code) ? UNITS[code].display : '';
  return display === '' ? code : display;
}

function ucumQuantity(value: number, unit: string): Quantity {
  return { value, unit: unitText(unit), system: UCUM_SYSTEM, code: unit };
}

function quantityOf(q: QuantityValue): Quantity {
  // HI/LO readings keep the meter's limit as the value and say which side with the comparator.
  const quantity = q.comparator ? { ...ucumQuantity(q.value, q.unit), comparator: q.comparator } : ucumQuantity(q.value, q.unit);
  // FHIR decimals keep their printed digits (`1.020`): the bundle writer emits this text verbatim.
  if (q.decimals !== undefined) markDecimal(quantity, 'value', printedNumber(q.value, q.decimals));
  return quantity;
}

/**
 * FHIR value of an observation value. Ordinals carry a SNOMED CT qualifier plus the strip's
 * printed label as text (the code never replaces what the reader printed, docs/export.md §9);
 * free text and unmapped results go as text so nothing the device said is lost.
 */
export function fhirValue(value: ObservationValue): FhirValue {
  switch (value.kind) {
    case 'quantity':
      return { valueQuantity: quantityOf(value) };
    case 'ordinal': {
      const snomed = ORDINAL_SNOMED[value.code];
      return { valueCodeableConcept: { coding: [{ system: SNOMED_SYSTEM, code: snomed.code, display: snomed.display }], text: value.text || snomed.display } };
    }
    case 'text':
      return { valueCodeableConcept: { text: value.text } };
    case 'unmapped':
      return { valueString: value.text };
  }
}

/** referenceRange: bounds in the value's own unit when the value is a quantity, else text only. */
export function referenceRange(obs: Observation): ObservationReferenceRange[] | undefined {
  const rr = obs.referenceRange;
  if (!rr || (rr.low === undefined && rr.high === undefined && !rr.text)) return undefined;
  const unit = obs.value?.kind === 'quantity' ? obs.value.unit : undefined;
  const range: ObservationReferenceRange = {};
  if (unit !== undefined && rr.low !== undefined) range.low = ucumQuantity(rr.low, unit);
  if (unit !== undefined && rr.high !== undefined) range.high = ucumQuantity(rr.high, unit);
  const text = rr.text ?? (unit === undefined ? [rr.low, rr.high].map((v) => (v === undefined ? '' : String(v))).join('–') : undefined);
  if (text) range.text = text;
  return [range];
}
