import { observe, quantity, type Observation } from '../../../shared/observation.ts';
import { type DisplaySample, HR_MISSING, SPO2_MISSING, type SpotCheckRecord } from './decode.ts';
import type { OximetrySample } from '../../families/oximetry/capture.ts';

/** A record or sample in our model (the family's oximetry sample). */
export type OnyxReading = OximetrySample;

/** SpO2 from 1 to 100 % and pulse from 1 /min; the missing-data codes and zero are no value (PROTOCOL.md §7). */
const spo2Value = (v: number): number | undefined => (v !== SPO2_MISSING && v >= 1 && v <= 100 ? v : undefined);
const pulseValue = (v: number): number | undefined => (v !== HR_MISSING && v >= 1 ? v : undefined);

function build(spo2: number | undefined, pulse: number | undefined, flags: string[], blocked: boolean): OnyxReading {
  const observations: Observation[] = [];
  if (!blocked && spo2 !== undefined) observations.push(observe('spo2', quantity(spo2, '%')));
  if (!blocked && pulse !== undefined) observations.push(observe('pulseRateOximeter', quantity(pulse, '/min')));
  const valid = !blocked && spo2 !== undefined && pulse !== undefined;
  return { observations, flags, valid, values: valid ? { spo2, pulse } : {} };
}

/**
 * A DF13 spot-check record. Pure. NOMS set, or either value missing, is no measurement: no
 * reading comes of it (PROTOCOL.md §7). Flags: `spot-check-high-quality` (SPA), `from-memory`
 * (MEM), `low-battery`.
 */
export function normalizeSpotCheck(record: SpotCheckRecord): OnyxReading {
  const flags: string[] = [];
  if (record.highQuality) flags.push('spot-check-high-quality');
  if (record.fromMemory) flags.push('from-memory');
  if (record.lowBattery) flags.push('low-battery');
  if (record.noMeasurement) flags.push('no-measurement');
  return build(spo2Value(record.spo2), pulseValue(record.hr), flags, record.noMeasurement);
}

/**
 * A DF8/DF7 display sample. Pure. The sensor alarm (finger out: the last values are held for
 * 10 s with it set, PROTOCOL.md §5) and out-of-track block the values, like "searching".
 */
export function normalizeDisplay(sample: DisplaySample): OnyxReading {
  const flags: string[] = [];
  if (sample.sensorAlarm) flags.push('sensor-alarm');
  if (sample.outOfTrack) flags.push('out-of-track');
  if (sample.artifact) flags.push('artifact');
  if (sample.lowPerfusion) flags.push('low-perfusion');
  if (sample.lowBattery) flags.push('low-battery');
  return build(spo2Value(sample.spo2), pulseValue(sample.hr), flags, sample.sensorAlarm || sample.outOfTrack);
}
