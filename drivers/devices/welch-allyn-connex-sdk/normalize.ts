import { bloodPressurePanel, pulseRate } from '../../../shared/blood-pressure.ts';
import { observe, printedDecimals, quantity, unmapped, type Observation } from '../../../shared/observation.ts';
import type { CatalogKey } from '../../../shared/catalog.ts';
import type { UcumCode } from '../../../shared/units.ts';
import type { Reading } from '../../../shared/reading.ts';
import { fieldValue, type FieldValue } from './decode.ts';
import type { DeviceEntry, ReadingEntry, ValueField } from './protocol.ts';

/** The display units the device reported in `GetDevices`: the unit of every value (PROTOCOL.md §2.3). */
export interface DisplayUnits {
  readonly temperature?: string;
  readonly nibp?: string;
  readonly height?: string;
  readonly weight?: string;
}

export const unitsOf = (d: DeviceEntry): DisplayUnits => ({ temperature: d.tempdisplayunit, nibp: d.nibpdisplayunit, height: d.heightdisplayunit, weight: d.weightdisplayunit });

const TEMPERATURE: Readonly<Record<string, UcumCode>> = { DEG_F: '[degF]', DEG_C: 'Cel' };
const WEIGHT: Readonly<Record<string, UcumCode>> = { UNITS_LBS: '[lb_av]', UNITS_KG: 'kg' };
// UNITS_FEET_INCHES is left out on purpose: how the service writes feet and inches in one
// string is not known (PROTOCOL.md §2.3), so such a height is kept as the device's text.
const HEIGHT: Readonly<Record<string, UcumCode>> = { UNITS_INCHES: '[in_i]', UNITS_CENTIMETERS: 'cm' };

export interface NormalizedReading {
  readonly observations: Observation[];
  readonly context?: NonNullable<Reading['context']>;
  /** Fields whose text was not a number: kept as unmapped observations, and said to the caller. */
  readonly invalid: ValueField[];
}

/**
 * One SDK reading as our observations (PROTOCOL.md §3), in the device's display units: a BP panel
 * (mm[Hg]; kPa kept as the device's text by bloodPressurePanel), pulse (cuff pulse when a BP was
 * taken with it, otherwise source not stated), heart rate, SpO₂, respiration, temperature, height,
 * weight, BMI; pain as text (no catalog code). Values that are `"0"` were not measured and are left
 * out. Undefined when nothing at all was measured (the service's empty current reading).
 */
export function normalizeReading(entry: ReadingEntry, units: DisplayUnits): NormalizedReading | undefined {
  const invalid: ValueField[] = [];
  const observations: Observation[] = [];
  const v = (f: ValueField): FieldValue => fieldValue(entry[f]);
  const num = (f: ValueField): number | undefined => {
    const x = v(f);
    if (!x.measured) return undefined;
    if ('invalid' in x) {
      invalid.push(f);
      observations.push(unmapped(f, x.invalid));
      return undefined;
    }
    return x.value;
  };
  const add = (f: ValueField, key: CatalogKey, unit: UcumCode | undefined, label: string, unitText: string | undefined): void => {
    const x = v(f);
    if (!x.measured) return;
    if ('invalid' in x) {
      // Not a number (a feet-and-inches height, a damaged value): kept as the device's text.
      invalid.push(f);
      observations.push(unmapped(label, `${x.invalid}${unitText ? ` ${unitText}` : ''}`, key));
      return;
    }
    observations.push(unit ? observe(key, quantity(x.value, unit, undefined, printedDecimals(x.text))) : unmapped(label, `${x.text} ${unitText ?? '(unit not reported)'}`, key));
  };

  const bp = (['systolic', 'diastolic', 'map'] as const).map((f) => v(f));
  const [sys, dia, map] = bp;
  const systolic = sys?.measured && 'value' in sys ? sys.value : undefined;
  const diastolic = dia?.measured && 'value' in dia ? dia.value : undefined;
  const mean = map?.measured && 'value' in map ? map.value : undefined;
  const bpUnit = units.nibp === 'NIBP_KPA' ? 'kPa' : units.nibp === 'NIBP_MMHG' ? 'mmHg' : undefined;
  const bpBroken = bp.some((x) => x.measured && 'invalid' in x) || (map?.measured && (systolic === undefined || diastolic === undefined));
  if (systolic !== undefined && diastolic !== undefined && bpUnit && !bpBroken) {
    const panel = bloodPressurePanel({ systolic, diastolic, unit: bpUnit, ...(mean !== undefined ? { mean } : {}) });
    if (bpUnit === 'kPa') {
      // kPa stays the device's text, printed decimals included (`16,0` → `16.0 kPa`, not `16 kPa`).
      const texts = [sys, dia, map].map((x) => (x?.measured && 'text' in x ? x.text : ''));
      panel.components?.forEach((c, i) => {
        if (c.value?.kind === 'unmapped') c.value = { ...c.value, text: `${texts[i] ?? ''} kPa` };
      });
    }
    observations.push(panel);
  } else if (bp.some((x) => x.measured)) {
    // Half a pressure, a value that is not a number or an unknown unit: kept as the device's text.
    const t = (x: FieldValue | undefined): string => (!x?.measured ? '-' : 'invalid' in x ? x.invalid : x.text);
    (['systolic', 'diastolic', 'map'] as const).forEach((f, i) => {
      const x = bp[i];
      if (x?.measured && 'invalid' in x) invalid.push(f);
    });
    observations.push(unmapped('NIBP', `${t(sys)}/${t(dia)} (${t(map)}) ${units.nibp ?? '(unit not reported)'}`, 'bpPanel'));
  }
  const pulse = num('pulse');
  if (pulse !== undefined) observations.push(pulseRate(pulse, systolic !== undefined ? 'nibp' : 'monitor'));
  const hr = num('hr');
  if (hr !== undefined && hr !== pulse) observations.push(pulseRate(hr, 'monitor'));
  add('o2sat', 'spo2', '%', 'SpO2', undefined);
  add('respiration', 'respiratoryRate', '/min', 'RR', undefined);
  const u = (table: Readonly<Record<string, UcumCode>>, given: string | undefined): UcumCode | undefined => (given === undefined ? undefined : table[given]);
  add('temperature', 'bodyTemperature', u(TEMPERATURE, units.temperature), 'Temp', units.temperature);
  add('height', 'bodyHeight', u(HEIGHT, units.height), 'Height', units.height);
  add('weight', 'bodyWeight', u(WEIGHT, units.weight), 'Weight', units.weight);
  add('bmi', 'bmi', 'kg/m2', 'BMI', undefined);
  const pain = v('pain');
  if (pain.measured) observations.push(unmapped('Pain', 'invalid' in pain ? pain.invalid : pain.text));

  if (observations.length === 0) return undefined;
  const context: NonNullable<Reading['context']> = {};
  const id = (s: string | undefined): string | undefined => (s === undefined || s.trim() === '' || s.trim() === '0' ? undefined : s.trim());
  const sampleId = id(entry.patientid);
  const operatorId = id(entry.clinicianid);
  const sequence = entry.reading?.trim();
  if (sampleId) context.sampleId = sampleId;
  if (operatorId) context.operatorId = operatorId;
  if (sequence) context.sequence = sequence;
  return { observations, invalid, ...(Object.keys(context).length > 0 ? { context } : {}) };
}
