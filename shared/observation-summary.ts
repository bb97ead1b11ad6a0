import type { Observation } from './observation.ts';

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
      if (v?.kind === 'quantity') out.push(`${name} ${v.comparator ?? ''}${v.value} ${v.unit}`);
      else if (v?.kind === 'ordinal') out.push(`${name} ${v.code}`);
      else if (v !== undefined) out.push(`${name} ${v.text}`);
      if (o.components !== undefined) walk(o.components);
    }
  };
  walk(observations);
  return out;
}
