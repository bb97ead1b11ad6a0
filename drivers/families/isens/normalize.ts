import type { Observation } from '../../../shared/observation.ts';
import type { ReadingKind } from '../../../shared/reading.ts';
import { GLUCOSE_FLAGS, glucoseObservation, ketoneObservation } from '../glucose/observations.ts';

/** GLUE record flag bits (drivers/devices/isens-caresens/PROTOCOL.md §6, [INFERRED]). */
export const FLAG = { control: 0x01, postMeal: 0x02, low: 0x04, high: 0x08, fasting: 0x10, plain: 0x20, ketone: 0x40, rangeValid: 0x80 } as const;

/** The glucose measuring range the manuals give (drivers/devices/isens-caresens/PROTOCOL.md §6): beyond it a value is HI/LO. */
export const HIGH_MG_DL = 600;
export const LOW_MG_DL = 20;
/** The ketone HI bound, mmol/L. */
export const KETONE_HIGH = 8.0;

export type Normalized = { ok: true; kind: ReadingKind; observations: Observation[]; flags: string[] } | { ok: false; reason: string };

/**
 * A GLUE record's flags and value → kind, observation and flags (pure). Glucose is always mg/dL,
 * never converted; a ketone result is value/10 mmol/L. HI/LO: the flag bits count only when bit
 * 0x80 says they are valid, and a value beyond the manual's range is HI/LO whatever the bits say.
 * A ketone LO has no documented bound, so it is refused (the driver reports it) rather than guessed.
 */
export function normalizeRecord(flags: number, value: number): Normalized {
  const out: string[] = [];
  const ranged = (flags & FLAG.rangeValid) !== 0;
  const high = ranged && (flags & FLAG.high) !== 0;
  const low = ranged && (flags & FLAG.low) !== 0;
  let observation: Observation;
  if (flags & FLAG.ketone) {
    const mmol = value / 10;
    if (low) return { ok: false, reason: 'a ketone result marked LO (its bound is not documented)' };
    if (high || mmol > KETONE_HIGH) {
      observation = ketoneObservation(KETONE_HIGH, '>', 1);
      out.push(GLUCOSE_FLAGS.aboveRange);
    } else {
      observation = ketoneObservation(mmol, undefined, 1);
    }
  } else if (high || value > HIGH_MG_DL) {
    observation = glucoseObservation(HIGH_MG_DL, 'mg/dL', '>');
    out.push(GLUCOSE_FLAGS.aboveRange);
  } else if (low || value < LOW_MG_DL) {
    observation = glucoseObservation(LOW_MG_DL, 'mg/dL', '<');
    out.push(GLUCOSE_FLAGS.belowRange);
  } else {
    observation = glucoseObservation(value, 'mg/dL');
  }
  const control = (flags & FLAG.control) !== 0;
  if (control) out.push(GLUCOSE_FLAGS.control);
  if (flags & FLAG.fasting) out.push(GLUCOSE_FLAGS.fasting);
  if (flags & FLAG.postMeal) out.push(GLUCOSE_FLAGS.afterMeal);
  return { ok: true, kind: control ? 'control' : 'patient', observations: [observation], flags: out };
}
