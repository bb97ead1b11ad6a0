import type { Interpretation, Observation } from '../../shared/observation.ts';
import { catalogKeyOf, flattenObservations, obsParts, observationName, valueParts } from './observations.ts';

/**
 * Blood pressure as clinicians write it: one value `systolic/diastolic (mean)` — `128/84 (99)
 * mmHg` — rather than three lines (docs/architecture.md §4, the BP panel). The model keeps the
 * three components apart; only the screens join them.
 */

/** The members of one blood pressure, each found by its catalog code. */
export interface BloodPressureParts {
  readonly systolic?: Observation;
  readonly diastolic?: Observation;
  readonly mean?: Observation;
}

/** One line as a screen shows it: a single observation, or a whole blood pressure. */
export interface ShownValue {
  readonly name: string;
  readonly value: string;
  readonly unit: string;
  /** The value in the other unit ("78.2 kg"), converted for reading only; shown after the device's. */
  readonly converted?: string;
  /** The device's flag; for a blood pressure, the most severe of its members'. */
  readonly interpretation?: Interpretation;
  /** `bp` for a joined blood pressure; otherwise the value's kind. */
  readonly kind: 'bp' | 'quantity' | 'ordinal' | 'text' | 'unmapped';
  /** The full name, for a tooltip. */
  readonly title?: string;
}

const ROLE = { bpSystolic: 'systolic', bpDiastolic: 'diastolic', bpMean: 'mean' } as const;

/**
 * Take the first systolic, diastolic and mean out of a reading's flattened values; the rest come
 * back in order. `bp` is undefined when there is neither a systolic nor a diastolic (a mean on
 * its own stays an ordinary value).
 */
export function splitBloodPressure(lines: readonly Observation[]): { bp?: BloodPressureParts; rest: Observation[] } {
  const found: { systolic?: Observation; diastolic?: Observation; mean?: Observation } = {};
  const rest: Observation[] = [];
  for (const obs of lines) {
    const key = catalogKeyOf(obs.code);
    const role = key === 'bpSystolic' || key === 'bpDiastolic' || key === 'bpMean' ? ROLE[key] : undefined;
    if (role && found[role] === undefined && obs.value !== undefined) found[role] = obs;
    else rest.push(obs);
  }
  if (found.systolic === undefined && found.diastolic === undefined) return { rest: [...lines] };
  return { bp: found, rest };
}

/**
 * `128/84 (99)` and `mmHg`; a missing member is `—`, a missing mean is left out. Values in kPa
 * (kept as the device's text) are joined the same way, with their own unit.
 */
export function bloodPressureText(bp: BloodPressureParts): { value: string; unit: string } {
  const part = (obs: Observation | undefined): { value: string; unit: string } | undefined => (obs?.value ? valueParts(obs.value, obs.code) : undefined);
  const s = part(bp.systolic);
  const d = part(bp.diastolic);
  const m = part(bp.mean);
  const value = `${s?.value ?? '—'}/${d?.value ?? '—'}${m ? ` (${m.value})` : ''}`;
  return { value, unit: s?.unit || d?.unit || m?.unit || '' };
}

const SEVERITY: readonly Interpretation[] = ['HH', 'LL', 'H', 'L', 'A'];

/** The most severe flag among the members (critical before high/low before abnormal). */
function worstInterpretation(members: readonly (Observation | undefined)[]): Interpretation | undefined {
  const flags = new Set(members.map((o) => o?.interpretation));
  return SEVERITY.find((i) => flags.has(i));
}

/**
 * A reading's values as the review row and summaries show them: panels flattened, and the blood
 * pressure as one `Blood pressure 128/84 (99) mmHg` line in the place of its first member.
 */
export function shownValues(observations: readonly Observation[]): ShownValue[] {
  const lines = flattenObservations(observations);
  const { bp } = splitBloodPressure(lines);
  const members = new Set<Observation>(bp ? [bp.systolic, bp.diastolic, bp.mean].filter((o): o is Observation => o !== undefined) : []);
  const out: ShownValue[] = [];
  let bpShown = false;
  for (const obs of lines) {
    if (bp && members.has(obs)) {
      if (bpShown) continue;
      bpShown = true;
      const interpretation = worstInterpretation([bp.systolic, bp.diastolic, bp.mean]);
      out.push({ name: 'Blood pressure', ...bloodPressureText(bp), kind: 'bp', title: 'Blood pressure: systolic/diastolic (mean)', ...(interpretation ? { interpretation } : {}) });
      continue;
    }
    const parts = obsParts(obs);
    out.push({
      name: observationName(obs),
      ...parts,
      kind: obs.value?.kind ?? 'text',
      ...(obs.interpretation ? { interpretation: obs.interpretation } : {}),
      ...(obs.display ? { title: obs.display } : {}),
    });
  }
  return out;
}
