import { z } from 'zod';
import { DriverOptionValuesSchema } from '../driver-options.ts';
import { defaultRole, DeviceRoleSchema, type DeviceRole } from '../device-role.ts';

/**
 * Central driver defaults (docs/architecture.md §6, fleet configuration): option values and a
 * device role set once for every port of a driver, whatever its path on a workstation
 * (`/dev/hidraw3` here, `/dev/hidraw5` there).
 */
export const DriverDefaultSchema = z
  .object({
    driverId: z.string().min(1).max(100),
    /** Driver options by key (see `pochub drivers --json`), for every port of this driver. */
    options: DriverOptionValuesSchema.optional(),
    /** Where this driver's results may go, unless a port chooses otherwise. */
    role: DeviceRoleSchema.optional(),
  })
  .strict();
export type DriverDefault = z.infer<typeof DriverDefaultSchema>;

/** Where an effective value came from: the port's own assignment, the central file, or the driver. */
export type ValueSource = 'port' | 'central' | 'driver';

/** What the resolution needs of a manifest (structural, so the shared layer needs no driver kit). */
interface ManifestFacts {
  kind: 'discrete' | 'download' | 'continuous';
  category: 'vitals' | 'glucose' | 'urine';
  options: readonly { key: string }[];
}

/**
 * The option values to hand to the driver: the port's own value where it sets one, else the
 * central default. What neither sets is left out, so the driver kit's `resolveOptions` fills in
 * the manifest default. A central key this driver no longer knows (a newer file, an older build)
 * is dropped rather than refusing to connect; the port's own keys are kept and checked as before.
 */
export function effectiveOptions(manifest: ManifestFacts, port: Readonly<Record<string, number | boolean | string>> | undefined, central: DriverDefault | undefined): Record<string, number | boolean | string> {
  const known = new Set(manifest.options.map((o) => o.key));
  const out: Record<string, number | boolean | string> = {};
  for (const [key, value] of Object.entries(central?.options ?? {})) if (known.has(key)) out[key] = value;
  return { ...out, ...(port ?? {}) };
}

/** The role a port's results get: its own, else the central driver role, else the driver's default. */
export function effectiveRole(manifest: ManifestFacts, port: DeviceRole | undefined, central: DriverDefault | undefined): { role: DeviceRole; from: ValueSource } {
  if (port !== undefined) return { role: port, from: 'port' };
  if (central?.role !== undefined) return { role: central.role, from: 'central' };
  return { role: defaultRole(manifest), from: 'driver' };
}
