import { z } from 'zod';

/**
 * Where a device's results may go (docs/architecture.md §8, "Device roles"), set per port by
 * biomed staff:
 * - `bedside`: the cart's own monitor, thermometer or scale — a result goes to the selected
 *   patient only when it was measured after that patient was selected;
 * - `shared`: used for several patients (a urine analyzer) — never assigned on arrival; the
 *   device's sample id may propose a patient, which the assistant accepts;
 * - `memory`: results downloaded from a device's memory — kept apart until the assistant imports
 *   chosen ones for a chosen patient.
 */
export const DEVICE_ROLES = ['bedside', 'shared', 'memory'] as const;
export type DeviceRole = (typeof DEVICE_ROLES)[number];

export const DeviceRoleSchema = z.enum(DEVICE_ROLES, { error: 'a device role is one of bedside, shared or memory' });

/** The words the Devices screen shows for each role. */
export const DEVICE_ROLE_WORDS: Readonly<Record<DeviceRole, string>> = {
  bedside: 'Bedside — the cart\u2019s own device',
  shared: 'Shared — used for several patients',
  memory: 'Memory — results downloaded from the device\u2019s memory',
};

/**
 * A driver's role until biomed staff choose one: a memory download is `memory`, a urine analyzer
 * (one per clinic, used for every patient) is `shared`, anything else sits at the bedside.
 */
export function defaultRole(manifest: { kind: 'discrete' | 'download' | 'continuous'; category: 'vitals' | 'glucose' | 'urine' }): DeviceRole {
  if (manifest.kind === 'download') return 'memory';
  if (manifest.category === 'urine') return 'shared';
  return 'bedside';
}

/** How long memory results count as recent for an import, unless the workstation config says otherwise. */
export const DEFAULT_MEMORY_WINDOW_MINUTES = 120;
/** Bounds of that window: from 5 minutes to a week. */
export const MEMORY_WINDOW_LIMITS = { min: 5, max: 7 * 24 * 60 } as const;

/** The recent window as a person says it: `2 hours`, `90 minutes`. */
export function windowText(minutes: number): string {
  if (minutes % 60 === 0) return `${minutes / 60} hour${minutes === 60 ? '' : 's'}`;
  return `${minutes} minutes`;
}
