import { CATALOG, type CatalogKey } from '../../shared/catalog.ts';
import type { Interpretation, Observation, ObservationValue } from '../../shared/observation.ts';
import { SHORT_NAMES } from '../../shared/observation-names.ts';
import { UNITS } from '../../shared/units.ts';
// A cycle by design: the BP line is built from the helpers below, and summaries use it. Only functions cross it.
import { shownValues } from './blood-pressure.ts';
import { convertedText } from './converted.ts';

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
  if (obs.value?.kind === 'unmapped') return UNMAPPED_NAMES[obs.value.label.trim().toUpperCase()] ?? obs.value.label;
  return obs.display ?? obs.code ?? 'Unknown';
}

/**
 * Oximeter values with no catalog code arrive under the device's upper-case field names; these
 * are how clinicians write them. A label not listed here is shown as the device printed it.
 */
const UNMAPPED_NAMES: Readonly<Record<string, string>> = {
  PI: 'PI',
  PIDELTA: 'PI delta',
  SPCO: 'SpCO',
  SPMET: 'SpMet',
  SPHB: 'SpHb',
  SPOC: 'SpOC',
  PVI: 'PVI',
  DESAT: 'Desat',
};

/** The unit as people write it (`mmHg`, `°C`), from the catalog's UCUM table. */
export function unitText(unit: string): string {
  return Object.hasOwn(UNITS, unit) ? UNITS[unit as keyof typeof UNITS].display : unit;
}

/**
 * Decimals a value keeps even when they are zeros, per code: the strip and the thermometer print
 * SG 1.020, pH 7.0 and 37.0 °C, and the number type drops those zeros (1.02, 7, 37), which reads
 * as a different precision than the device measured.
 */
const MIN_DECIMALS: Partial<Record<CatalogKey, number>> = {
  urineSpecificGravity: 3,
  urinePh: 1,
  bodyTemperature: 1,
  glucoseMolarMeter: 1,
  bloodKetoneMeter: 1,
  urineUrobilinogenMass: 1,
  bmi: 1,
};

/** A number as people write it: no exponent, no stray zeros, at least `minDecimals` decimals. */
export function formatNumber(n: number, minDecimals = 0): string {
  return n.toLocaleString('en-US', { useGrouping: false, minimumFractionDigits: minDecimals, maximumFractionDigits: Math.max(minDecimals, 6) });
}

/**
 * A device's printed value tidied for reading: leading zeros of a fixed-width field dropped
 * (`03.19%` → `3.19` and `%`, `027` → `27`) and the unit split off; decimals the device printed
 * are kept (`3.60`). Anything that is not a plain number with an optional unit stays as printed.
 */
export function tidyPrinted(text: string): { value: string; unit: string } {
  const m = /^\s*([<>]=?)?\s*([+-]?)0*(\d+(?:\.\d+)?)\s*(%|[A-Za-z°µ][A-Za-z°µ/²]*)?\s*$/.exec(text);
  if (!m) return { value: text, unit: '' };
  return { value: `${m[1] ?? ''}${m[2] ?? ''}${m[3] ?? ''}`, unit: m[4] ?? '' };
}

/** A value and its unit as shown; `code` (LOINC) keeps the precision that code is printed with. */
export function valueParts(value: ObservationValue, code?: string): { value: string; unit: string } {
  switch (value.kind) {
    case 'quantity': {
      const key = catalogKeyOf(code);
      // The decimals the device printed win; the per-code minimum covers readings stored without them.
      const decimals = value.decimals ?? (key === undefined ? 0 : (MIN_DECIMALS[key] ?? 0));
      return { value: `${value.comparator ?? ''}${formatNumber(value.value, decimals)}`, unit: unitText(value.unit) };
    }
    case 'unmapped':
      return tidyPrinted(value.text);
    case 'ordinal':
    case 'text':
      return { value: value.text, unit: '' };
    default:
      return value satisfies never;
  }
}

/** A value as shown: the device's value and unit, and for a weight, height or temperature the other unit ("78.2 kg"). */
export interface ShownParts {
  readonly value: string;
  readonly unit: string;
  /** The value in the other unit, converted for reading only; shown after the device's, marked as converted. */
  readonly converted?: string;
}

/**
 * An observation's value and unit as shown beside its name: the unit is left out when it only
 * repeats the name ("pH 7.5", never "pH 7.5 pH").
 */
export function obsParts(obs: Observation): ShownParts {
  if (!obs.value) return { value: '—', unit: '' };
  const parts = valueParts(obs.value, obs.code);
  const converted = convertedText(obs);
  const shown = parts.unit !== '' && parts.unit.toLowerCase() === observationName(obs).toLowerCase() ? { value: parts.value, unit: '' } : parts;
  return converted === undefined ? shown : { ...shown, converted };
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

/** A one-line summary for a reading's accessible name: "SpO₂ 97 %, Pulse 72 /min", "Blood pressure 128/84 (99) mmHg". */
export function summarize(observations: readonly Observation[], max = 4): string {
  const lines = shownValues(observations);
  const parts = lines.slice(0, max).map((v) => `${v.name} ${v.value}${v.unit ? ` ${v.unit}` : ''}${v.converted ? ` (${v.converted})` : ''}`.trim());
  if (lines.length > max) parts.push(`${lines.length - max} more`);
  return parts.join(', ') || 'no values';
}
