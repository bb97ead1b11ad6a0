import { CATALOG } from '../../shared/catalog.ts';
import type { Observation } from '../../shared/observation.ts';
import { convertForDisplay, formatConverted } from '../../shared/unit-conversion.ts';
import { UNITS } from '../../shared/units.ts';

/**
 * The measurements a clinic reads in both unit systems: the device's value and unit come first,
 * the other unit beside it, marked as converted ("172.4 lb (78.2 kg)"). Only what is shown;
 * the stored and exported value stays the device's (docs/architecture.md §4).
 */
const BOTH_UNITS: ReadonlySet<string> = new Set([CATALOG.bodyWeight.loinc, CATALOG.bodyHeight.loinc, CATALOG.bodyTemperature.loinc]);

/** Said wherever the converted value is shown, so no one takes it for what the device measured. */
export const CONVERTED_TITLE = 'Converted by POC Hub; the device reported the value before it';

/** "78.2 kg" beside a weight the device gave in lb (and so on); undefined where none is shown. */
export function convertedText(obs: Observation): string | undefined {
  if (obs.code === undefined || !BOTH_UNITS.has(obs.code) || obs.value?.kind !== 'quantity' || obs.value.comparator !== undefined) return undefined;
  const c = convertForDisplay(obs.value.value, obs.value.unit);
  return c && `${formatConverted(c)} ${UNITS[c.unit].display}`;
}
