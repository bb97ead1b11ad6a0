import { CATALOG, type CatalogKey } from '../../shared/catalog.ts';
import { classifyValue, limitsForLoinc, type Range } from '../../shared/clinical-limits.ts';
import { SHORT_NAMES } from '../../shared/observation-names.ts';
import type { Observation, QuantityValue } from '../../shared/observation.ts';
import { UNITS } from '../../shared/units.ts';

/**
 * Plausibility of a reading's values (docs/architecture.md §8): each quantity, components
 * included, judged against the clinical limits of its code and unit (shared/clinical-limits.ts),
 * plus the cross-checks between values of one reading (systolic above diastolic). Each finding
 * is a sentence a person reads on the row and in the refusal, never a code.
 */
export interface Plausibility {
  /** Values that cannot be real measurements: the reading is never confirmed as it is. */
  impossible: string[];
  /** Values that need action now: confirmed only after an explicit acknowledgement. */
  critical: string[];
  /** Values outside the usual adult range: shown, nothing more. */
  abnormal: string[];
}

const SYSTOLIC = CATALOG.bpSystolic.loinc;
const DIASTOLIC = CATALOG.bpDiastolic.loinc;

const KEY_BY_LOINC = new Map<string, CatalogKey>();
for (const key of Object.keys(CATALOG) as CatalogKey[]) {
  if (!KEY_BY_LOINC.has(CATALOG[key].loinc)) KEY_BY_LOINC.set(CATALOG[key].loinc, key);
}

/** `SpO₂`, `Systolic`: the short name people know, else the catalog's name. */
function nameOf(obs: Observation): string {
  const key = obs.code === undefined ? undefined : KEY_BY_LOINC.get(obs.code);
  return key === undefined ? (obs.display ?? obs.code ?? 'Value') : SHORT_NAMES[key];
}

/** `250 %`, `128 mmHg`, `1.02` (a unit with no text adds nothing). */
export function withUnit(value: number | string, unit: string): string {
  const text = (UNITS as Record<string, { display: string } | undefined>)[unit]?.display ?? unit;
  return text === '' ? String(value) : `${value} ${text}`;
}

/** `0–100 %`, `at least 20 /min`, `at most 8 mmol/L`. */
export function describeRange(r: Range, unit: string): string {
  if (r.low !== undefined && r.high !== undefined) return withUnit(`${r.low}–${r.high}`, unit);
  if (r.low !== undefined) return `at least ${withUnit(r.low, unit)}`;
  return `at most ${withUnit(r.high ?? '', unit)}`;
}

function quantitiesOf(observations: readonly Observation[]): Array<{ obs: Observation; q: QuantityValue }> {
  return observations.flatMap((o) => [
    ...(o.value?.kind === 'quantity' ? [{ obs: o, q: o.value }] : []),
    ...quantitiesOf(o.components ?? []),
  ]);
}

/** Judge every value of a reading; values with no limits for their unit are left unjudged. */
export function checkPlausibility(observations: readonly Observation[]): Plausibility {
  const out: Plausibility = { impossible: [], critical: [], abnormal: [] };
  const quantities = quantitiesOf(observations);
  for (const { obs, q } of quantities) {
    if (obs.code === undefined) continue;
    const limits = limitsForLoinc(obs.code, q.unit);
    const what = `${nameOf(obs)} ${withUnit(`${q.comparator ?? ''}${q.value}`, q.unit)}`;
    const cls = classifyValue(q.value, limits);
    if (limits === undefined || cls === 'normal' || cls === 'unchecked') continue;
    if (cls === 'impossible') out.impossible.push(`${what} is outside what can be measured (${describeRange(limits.hard, q.unit)})`);
    else if (cls === 'critical-low') out.critical.push(`${what} is critically low (below ${withUnit(limits.critical?.low ?? '', q.unit)})`);
    else if (cls === 'critical-high') out.critical.push(`${what} is critically high (above ${withUnit(limits.critical?.high ?? '', q.unit)})`);
    else out.abnormal.push(`${what} is ${cls} (usual range ${describeRange(limits.reference ?? {}, q.unit)})`);
  }
  // A pressure whose systolic is not above its diastolic was misread or mistyped: one of the two is wrong.
  const sys = quantities.find((x) => x.obs.code === SYSTOLIC && x.q.comparator === undefined);
  const dia = quantities.find((x) => x.obs.code === DIASTOLIC && x.q.comparator === undefined);
  if (sys !== undefined && dia !== undefined && sys.q.value <= dia.q.value) {
    out.impossible.push(`Systolic ${withUnit(sys.q.value, sys.q.unit)} is not above diastolic ${withUnit(dia.q.value, dia.q.unit)}: one of them is wrong`);
  }
  return out;
}
