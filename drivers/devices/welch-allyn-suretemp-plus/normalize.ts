import { BODY_SITES, type BodySite, observe, quantity, type Observation } from '../../../shared/observation.ts';
import { ALGORITHM, type TemperatureRecord } from './decode.ts';

/** The units a clinic may chart the temperature in (the manifest option `unit`). */
export const TEMPERATURE_UNITS = ['Cel', '[degF]'] as const;
export type TemperatureUnit = (typeof TEMPERATURE_UNITS)[number];

const KELVIN_AT_0_CEL = 273.15;

/**
 * The site the module's algorithm field names (PROTOCOL.md §4, §6): oral, rectal, or one of the
 * two axillary algorithms (paediatric and adult are the same site). The cal key and values not
 * in the manual have no site.
 */
export function bodySiteOf(algorithm: number): BodySite | undefined {
  switch (algorithm) {
    case ALGORITHM.oral:
      return BODY_SITES.oral;
    case ALGORITHM.rectal:
      return BODY_SITES.rectal;
    case ALGORITHM.pediatricAxillary:
    case ALGORITHM.adultAxillary:
      return BODY_SITES.axillary;
    default:
      return undefined;
  }
}

/**
 * A kelvin value in the chosen unit, to the tenth the module's display shows (PROTOCOL.md §6).
 * The wire carries kelvin, which no clinic charts: this is the one conversion, chosen by the
 * `unit` option and stated in the manifest, not a silent one.
 */
export function fromKelvin(kelvin: number, unit: TemperatureUnit): number {
  const cel = kelvin - KELVIN_AT_0_CEL;
  const value = unit === 'Cel' ? cel : cel * 1.8 + 32;
  return Math.round(value * 10) / 10;
}

/**
 * A final temperature as an observation: body temperature (8310-5) in the chosen unit with one
 * decimal, coded with the site of its algorithm. Undefined when the value cannot be a body
 * temperature (0 = none yet, NaN, outside 20–50 °C).
 */
export function normalizeTemperature(record: TemperatureRecord, unit: TemperatureUnit): Observation | undefined {
  const k = record.finalKelvin;
  if (!Number.isFinite(k) || k < KELVIN_AT_0_CEL + 20 || k > KELVIN_AT_0_CEL + 50) return undefined;
  const obs = observe('bodyTemperature', quantity(fromKelvin(k, unit), unit, undefined, 1));
  const site = bodySiteOf(record.algorithm);
  if (site) obs.bodySite = { ...site };
  return obs;
}
