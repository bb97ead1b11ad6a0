import type { Observation } from './observation.ts';
import { printedNumber } from './printed-number.ts';

/**
 * The values of a reading in one short list, components included: `8480-6 142 mm[Hg]` (by code,
 * for audit rows, so the log says what was confirmed without the store) or `Systolic blood
 * pressure 142 mm[Hg]` (by name, for the outbox, so a person can tell rows apart).
 */
export function summarizeObservations(observations: readonly Observation[], label: 'code' | 'display' = 'code'): string[] {
  const out: string[] = [];
  const walk = (list: readonly Observation[]): void => {
    for (const o of list) {
      const v = o.value;
      const name = (label === 'display' ? o.display : undefined) ?? o.code ?? (v?.kind === 'unmapped' ? v.label : '?');
      // As printed (`5811-5 1.020 1`): the audit row and the outbox say what the device said.
      if (v?.kind === 'quantity') out.push(`${name} ${v.comparator ?? ''}${printedNumber(v.value, v.decimals)} ${v.unit}`);
      else if (v?.kind === 'ordinal') out.push(`${name} ${v.code}`);
      else if (v !== undefined) out.push(`${name} ${v.text}`);
      if (o.components !== undefined) walk(o.components);
    }
  };
  walk(observations);
  return out;
}
