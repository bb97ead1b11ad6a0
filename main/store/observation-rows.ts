import type { Observation } from '../../shared/observation.ts';

/** The columns of one `observations` row that come from the observation itself. */
export interface ObservationColumns {
  code: string | null;
  display: string | null;
  mdc: number | null;
  value_kind: 'quantity' | 'ordinal' | 'text' | 'unmapped' | null;
  value_num: number | null;
  value_unit: string | null;
  comparator: string | null;
  value_code: string | null;
  value_text: string | null;
  label: string | null;
  interpretation: string | null;
  ref_low: number | null;
  ref_high: number | null;
  ref_text: string | null;
}

/** Spread an observation's value over the typed columns; components are rows of their own. */
export function observationColumns(o: Observation): ObservationColumns {
  const columns: ObservationColumns = {
    code: o.code ?? null,
    display: o.display ?? null,
    mdc: o.mdc ?? null,
    value_kind: o.value?.kind ?? null,
    value_num: null,
    value_unit: null,
    comparator: null,
    value_code: null,
    value_text: null,
    label: null,
    interpretation: o.interpretation ?? null,
    ref_low: o.referenceRange?.low ?? null,
    ref_high: o.referenceRange?.high ?? null,
    ref_text: o.referenceRange?.text ?? null,
  };
  const v = o.value;
  switch (v?.kind) {
    case undefined:
      break;
    case 'quantity':
      columns.value_num = v.value;
      columns.value_unit = v.unit;
      columns.comparator = v.comparator ?? null;
      break;
    case 'ordinal':
      columns.value_code = v.code;
      columns.value_text = v.text;
      break;
    case 'text':
      columns.value_text = v.text;
      break;
    case 'unmapped':
      columns.value_text = v.text;
      columns.label = v.label;
      break;
    default:
      v satisfies never;
  }
  return columns;
}
