import { observe, quantity, unmapped, type Interpretation, type Observation } from '../../../shared/observation.ts';
import { isUnavailable, type Rad8Record } from './decode.ts';
import type { OximetrySample } from '../../families/oximetry/capture.ts';

/**
 * One decoded line in our model (the family's oximetry sample): SpO2 and pulse under catalog
 * codes, then every other printed value as unmapped; flags `alarm:*`, `low-battery`,
 * `exception:*`, `exception1:*` in bit order; valid when SpO2 and pulse are present and no
 * blocking exception is set.
 */
export type Rad8Sample = OximetrySample;

/** Keys that are not results: identity and status words, or mapped to catalog codes. */
const NOT_UNMAPPED = new Set(['SN', 'SPO2', 'BPM', 'ALARM', 'EXC', 'EXC1']);
/**
 * EXC bits that do not make a sample invalid: "Masimo SET" is the normal state (PROTOCOL.md §5),
 * and low SpCO / SpMet confidence concerns only those values (flagged, still kept).
 */
const NON_BLOCKING_EXCEPTIONS = new Set(['masimo-set', 'spco-low-confidence', 'spmet-low-confidence']);
/** Exceptions that are normal and need no flag. */
const SILENT_EXCEPTIONS = new Set(['masimo-set']);

function limitFlag(alarms: readonly string[], high: string, low: string): Pick<Observation, 'interpretation'> {
  const interpretation: Interpretation | undefined = alarms.includes(high) ? 'H' : alarms.includes(low) ? 'L' : undefined;
  return interpretation ? { interpretation } : {};
}

/** A record in our terms: observations, flags and validity. Pure. */
export function normalize(record: Rad8Record): Rad8Sample {
  const observations: Observation[] = [];
  if (record.spo2 !== undefined) {
    observations.push(observe('spo2', quantity(record.spo2, '%'), limitFlag(record.alarms, 'spo2-high', 'spo2-low')));
  }
  if (record.pulse !== undefined) {
    observations.push(observe('pulseRateOximeter', quantity(record.pulse, '/min'), limitFlag(record.alarms, 'pulse-high', 'pulse-low')));
  }
  // PI, SpCO, SpMet, SpHb, PVI … have no catalog code: kept as printed, never dropped (docs/architecture.md §4).
  for (const [key, value] of record.fields) {
    if (!NOT_UNMAPPED.has(key) && !isUnavailable(value)) observations.push(unmapped(key, value));
  }

  const flags = [
    ...record.alarms.map((a) => (a === 'low-battery' ? a : `alarm:${a}`)),
    ...record.exceptions.filter((e) => !SILENT_EXCEPTIONS.has(e)).map((e) => `exception:${e}`),
    ...record.exceptions1.map((e) => `exception1:${e}`),
  ];
  // Every other EXC bit, known or not, is a sensor or cable problem. EXC1's bits are not
  // published; a set one is treated as blocking too, since we cannot tell it is harmless.
  const blocked = record.exceptions.some((e) => !NON_BLOCKING_EXCEPTIONS.has(e)) || record.exceptions1.length > 0;
  const hasValues = record.spo2 !== undefined && record.pulse !== undefined;
  const values = hasValues ? { spo2: record.spo2, pulse: record.pulse } : {};
  return { observations, flags, valid: hasValues && !blocked, values };
}
