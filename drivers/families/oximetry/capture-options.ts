import type { DriverContext, DriverOption } from '../../kit/index.ts';

/**
 * The options every continuous oximeter offers for the automatic-capture rule
 * (docs/adding-a-driver.md §2): the same keys, labels, defaults and ranges on every such driver,
 * so biomed staff meet one setting under one name whichever oximeter the port has.
 */

/** Seconds the values must stay valid and stable before an automatic capture. */
const DEFAULT_STABILITY_WINDOW_SECONDS = 10;
/** Largest SpO2 spread in the window, in %. */
const DEFAULT_SPO2_TOLERANCE_PERCENT = 1;
/** Largest pulse-rate spread in the window, in /min. */
const DEFAULT_PULSE_TOLERANCE_PER_MIN = 3;

const OPTIONS: readonly DriverOption[] = [
  { key: 'stabilityWindowSeconds', label: 'Stability window', description: 'Seconds SpO2 and pulse must stay valid and stable before a reading is captured automatically', type: 'number', default: DEFAULT_STABILITY_WINDOW_SECONDS, unit: 's', min: 2, max: 120 },
  { key: 'autoCapture', label: 'Capture automatically', description: 'Capture a reading automatically when the values are stable (otherwise only the Capture button does)', type: 'boolean', default: true },
  { key: 'spo2Tolerance', label: 'SpO2 tolerance', description: 'Largest SpO2 change allowed within the stability window', type: 'number', default: DEFAULT_SPO2_TOLERANCE_PERCENT, unit: '%', min: 0, max: 5 },
  { key: 'pulseTolerance', label: 'Pulse tolerance', description: 'Largest pulse-rate change allowed within the stability window', type: 'number', default: DEFAULT_PULSE_TOLERANCE_PER_MIN, unit: '/min', min: 0, max: 20 },
];

/**
 * The capture options for a manifest's `options`. `appliesTo` names the modes they concern when
 * the device also has modes without a stream (the Onyx's `DF8/DF7`): each description then
 * starts with it, so the Devices screen says the option does nothing in the other modes.
 */
export function oximetryCaptureOptions(appliesTo?: string): DriverOption[] {
  if (appliesTo === undefined) return OPTIONS.map((o) => ({ ...o }));
  return OPTIONS.map((o) => ({ ...o, description: `${appliesTo}: ${o.description.charAt(0).toLowerCase()}${o.description.slice(1)}` }));
}

/** The capture rule as a session runs it, read from the session's resolved options. */
export interface OximetryCaptureSettings {
  readonly windowMs: number;
  readonly tolerances: { readonly spo2: number; readonly pulse: number };
  readonly autoCapture: boolean;
}

function numberOption(ctx: Pick<DriverContext, 'options'>, key: string): number {
  const value = ctx.options[key];
  // The session runner fills in defaults (resolveOptions); a context built by hand may not.
  return typeof value === 'number' ? value : (OPTIONS.find((o) => o.key === key)?.default as number);
}

/** The settings `ctx.options` asks for, the family defaults where it names none. */
export function oximetryCaptureSettings(ctx: Pick<DriverContext, 'options'>): OximetryCaptureSettings {
  return {
    windowMs: numberOption(ctx, 'stabilityWindowSeconds') * 1000,
    tolerances: { spo2: numberOption(ctx, 'spo2Tolerance'), pulse: numberOption(ctx, 'pulseTolerance') },
    autoCapture: ctx.options['autoCapture'] !== false,
  };
}
