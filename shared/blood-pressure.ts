import { CATALOG } from './catalog.ts';
import { observe, quantity, unmapped, type Observation } from './observation.ts';

/**
 * Blood pressure in the observation model (docs/architecture.md §4): one panel observation
 * (LOINC 85354-9, no value of its own) whose components are systolic (8480-6), diastolic
 * (8462-4) and, when the device reports it, mean (8478-0), in mm[Hg]. The FHIR exporter turns it
 * into one vital-signs BP Observation with components; the HL7 exporter into one OBX per component.
 *
 * Cuff pressures in kPa are never converted: the catalog allows mm[Hg] only, so a kPa value is
 * kept as an unmapped component with the device's own text (`12.4 kPa`), shown and exported as
 * text. Converting would invent digits the device did not display.
 */

/** The pressure unit as the device printed it. */
export type PressureUnit = 'mmHg' | 'kPa';

export interface BloodPressureValues {
  readonly systolic: number;
  readonly diastolic: number;
  /** Mean arterial pressure, when the device measured or printed it. */
  readonly mean?: number;
  readonly unit: PressureUnit;
}

function pressure(key: 'bpSystolic' | 'bpDiastolic' | 'bpMean', label: string, value: number, unit: PressureUnit): Observation {
  if (unit === 'mmHg') return observe(key, quantity(value, 'mm[Hg]'));
  return unmapped(label, `${value} kPa`, key);
}

/** A BP panel: systolic, diastolic and (if given) mean as components, in the order people read them. */
export function bloodPressurePanel(values: BloodPressureValues): Observation {
  const components = [pressure('bpSystolic', 'SYS', values.systolic, values.unit), pressure('bpDiastolic', 'DIA', values.diastolic, values.unit)];
  if (values.mean !== undefined) components.push(pressure('bpMean', 'MAP', values.mean, values.unit));
  const panel: Observation = { code: CATALOG.bpPanel.loinc, display: CATALOG.bpPanel.display, components };
  if (CATALOG.bpPanel.mdc) panel.mdc = CATALOG.bpPanel.mdc.code;
  return panel;
}

/**
 * Where a pulse rate was measured. The source is recorded as the observation's MDC code (one
 * catalog key per source, all under LOINC 8867-4): `nibp` → MDC_PULS_RATE_NON_INV (the cuff's
 * oscillations), `oximeter` → MDC_PULS_OXIM_PULS_RATE (the pleth), `monitor` → MDC_PULS_RATE
 * (source not stated). The MDC code is stored with the observation and exported (a second coding
 * of the FHIR Observation.code, OBX-3 in the PCD-01 profile), so the source survives export
 * without a flag or free text.
 */
export type PulseSource = 'nibp' | 'oximeter' | 'monitor';

const PULSE_KEY = { nibp: 'pulseRateNibp', oximeter: 'pulseRateOximeter', monitor: 'heartRate' } as const;

/** A pulse rate in /min with its source recorded (see `PulseSource`). */
export function pulseRate(value: number, source: PulseSource): Observation {
  return observe(PULSE_KEY[source], quantity(value, '/min'));
}

/** The source of a pulse observation, read back from its MDC code; undefined when it has none. */
export function pulseSourceOf(obs: Pick<Observation, 'code' | 'mdc'>): PulseSource | undefined {
  if (obs.code !== CATALOG.heartRate.loinc || obs.mdc === undefined) return undefined;
  for (const [source, key] of Object.entries(PULSE_KEY) as [PulseSource, (typeof PULSE_KEY)[PulseSource]][]) {
    if (CATALOG[key].mdc?.code === obs.mdc) return source;
  }
  return undefined;
}
