import { observe, quantity, type Observation } from '../../../shared/observation.ts';
import type { NoninRecord } from './decode.ts';
import type { OximetrySample } from '../../families/oximetry/capture.ts';

/** One decoded line in our model (the family's oximetry sample; flags: `fast-mode`, `event-marker`, `breath-detected`, PROTOCOL.md §3). */
export type NoninSample = OximetrySample;

/**
 * A record in our terms. Pure. A zero is treated like `---`: no oximeter reports a living
 * patient at 0 % or 0 /min, and the manuals do not say that zero never appears while
 * searching (PROTOCOL.md §3, inferred), so it is neither shown nor captured.
 */
export function normalize(record: NoninRecord): NoninSample {
  const spo2 = record.spo2 || undefined;
  const pulse = record.pulse || undefined;
  const observations: Observation[] = [];
  if (spo2 !== undefined) observations.push(observe('spo2', quantity(spo2, '%')));
  if (pulse !== undefined) observations.push(observe('pulseRateOximeter', quantity(pulse, '/min')));
  const flags: string[] = [];
  if (record.fast) flags.push('fast-mode');
  if (record.eventMarker) flags.push('event-marker');
  if (record.breath) flags.push('breath-detected');
  const valid = spo2 !== undefined && pulse !== undefined;
  return { observations, flags, valid, values: valid ? { spo2, pulse } : {} };
}
