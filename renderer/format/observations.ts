import { CATALOG, type CatalogKey } from '../../shared/catalog.ts';
import type { Interpretation, Observation, ObservationValue } from '../../shared/observation.ts';
import { SHORT_NAMES } from '../../shared/observation-names.ts';
import { UNITS } from '../../shared/units.ts';

// Moved to shared so the workflow's messages use the same names; re-exported for the screens.
export { SHORT_NAMES };

const KEY_BY_LOINC = new Map<string, CatalogKey>();
for (const key of Object.keys(CATALOG) as CatalogKey[]) {
  if (!KEY_BY_LOINC.has(CATALOG[key].loinc)) KEY_BY_LOINC.set(CATALOG[key].loinc, key);
}

/** The catalog key of a LOINC code (the first, where several share one). */
export function catalogKeyOf(loinc: string | undefined): CatalogKey | undefined {
  return loinc === undefined ? undefined : KEY_BY_LOINC.get(loinc);
}

/** The name shown for an observation: short catalog name, the device's label, or its display. */
export function observationName(obs: Observation): string {
  const key = catalogKeyOf(obs.code);
  if (key) return SHORT_NAMES[key];
  if (obs.value?.kind === 'unmapped') return obs.value.label;
  return obs.display ?? obs.code ?? 'Unknown';
}

/** The unit as people write it (`mmHg`, `°C`), from the catalog's UCUM table. */
export function unitText(unit: string): string {
  return Object.hasOwn(UNITS, unit) ? UNITS[unit as keyof typeof UNITS].display : unit;
}

/** A value and its unit as shown; unmapped values keep the device's own text. */
export function valueParts(value: ObservationValue): { value: string; unit: string } {
  switch (value.kind) {
    case 'quantity':
      return { value: `${value.comparator ?? ''}${value.value}`, unit: unitText(value.unit) };
    case 'ordinal':
    case 'text':
    case 'unmapped':
      return { value: value.text, unit: '' };
    default:
      return value satisfies never;
  }
}

/** One line of a reading: the observation itself, or each component of a panel (BP). */
export function flattenObservations(observations: readonly Observation[]): Observation[] {
  const out: Observation[] = [];
  for (const obs of observations) {
    if (obs.value !== undefined) out.push(obs);
    if (obs.components) out.push(...flattenObservations(obs.components));
  }
  return out;
}

type Tone = 'high' | 'low' | 'abnormal';
/** Interpretation flags in words; N (normal) and none show nothing. */
export function interpretationText(i: Interpretation | undefined): { text: string; tone: Tone; symbol: string } | undefined {
  switch (i) {
    case 'H':
      return { text: 'High', tone: 'high', symbol: '▲' };
    case 'HH':
      return { text: 'Critically high', tone: 'high', symbol: '▲▲' };
    case 'L':
      return { text: 'Low', tone: 'low', symbol: '▼' };
    case 'LL':
      return { text: 'Critically low', tone: 'low', symbol: '▼▼' };
    case 'A':
      return { text: 'Abnormal', tone: 'abnormal', symbol: '!' };
    case 'N':
    case undefined:
      return undefined;
    default:
      return i satisfies never;
  }
}

/** A one-line summary for a reading's accessible name: "SpO₂ 97 %, Pulse 72 /min". */
export function summarize(observations: readonly Observation[], max = 4): string {
  const lines = flattenObservations(observations);
  const parts = lines.slice(0, max).map((o) => {
    const v = o.value ? valueParts(o.value) : { value: '', unit: '' };
    return `${observationName(o)} ${v.value}${v.unit ? ` ${v.unit}` : ''}`.trim();
  });
  if (lines.length > max) parts.push(`${lines.length - max} more`);
  return parts.join(', ') || 'no values';
}
