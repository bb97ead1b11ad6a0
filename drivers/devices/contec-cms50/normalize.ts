import { observe, quantity, unmapped, type Observation } from '../../../shared/observation.ts';
import type { Cms50Sample } from './decode.ts';
import type { OximetrySample } from '../../families/oximetry/capture.ts';

/** A sample in our model (the family's oximetry sample; flags `probe-error`, `searching`, `finger-out`, `spo2-low`, PROTOCOL.md §6). */
export type Cms50Reading = OximetrySample;

/** V7.0 "invalid" markers (PROTOCOL.md §3.4). */
const PULSE_INVALID = 0xff;
const SPO2_INVALID = 0x7f;
const PI_INVALID = 0xffff;

/**
 * A sample in our terms. Pure. SpO2 is kept only from 1 to 100 % and pulse from 1 /min, the
 * invalid markers never; a zero is no value (PROTOCOL.md §6, inferred for the older firmware,
 * which names no invalid marker). PI has no catalog code: kept unmapped as `PI` in %.
 */
export function normalize(sample: Cms50Sample): Cms50Reading {
  const spo2 = sample.spo2 !== SPO2_INVALID && sample.spo2 >= 1 && sample.spo2 <= 100 ? sample.spo2 : undefined;
  const pulse = sample.pulse !== PULSE_INVALID && sample.pulse >= 1 ? sample.pulse : undefined;
  const flags: string[] = [];
  if (sample.probeError) flags.push('probe-error');
  if (sample.searching) flags.push('searching');
  if (sample.fingerOut) flags.push('finger-out');
  if (sample.spo2Low) flags.push('spo2-low');
  const blocked = sample.probeError || sample.searching || sample.fingerOut;
  const observations: Observation[] = [];
  if (!blocked && spo2 !== undefined) observations.push(observe('spo2', quantity(spo2, '%')));
  if (!blocked && pulse !== undefined) observations.push(observe('pulseRateOximeter', quantity(pulse, '/min')));
  if (!blocked && sample.pi !== undefined && sample.pi !== PI_INVALID && !sample.piInvalid) observations.push(unmapped('PI', `${(sample.pi / 100).toFixed(2)}%`));
  const valid = !blocked && spo2 !== undefined && pulse !== undefined;
  return { observations, flags, valid, values: valid ? { spo2, pulse } : {} };
}
