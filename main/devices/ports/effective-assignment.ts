import { effectiveOptions, effectiveRole, type DriverDefault, type ValueSource } from '../../../shared/config/driver-defaults.ts';
import type { DeviceRole } from '../../../shared/device-role.ts';
import type { DriverManifest } from '../../../drivers/kit/index.ts';
import type { PortAssignmentRecord } from '../../store/ports-repo.ts';

/** Where the central driver defaults are read (the store's `driverDefaults`; absent: none). */
export interface DriverDefaultsSource {
  get(driverId: string): DriverDefault | undefined;
}

/**
 * A port's assignment as a session uses it (docs/architecture.md §6, fleet configuration): the
 * port's own option values and role, else the central driver default, else the driver's. The one
 * place this resolution happens, so a session, a port test and the Devices screen agree.
 */
export function effectiveAssignment(
  manifest: DriverManifest,
  assignment: Pick<PortAssignmentRecord, 'options' | 'role'> | undefined,
  defaults: DriverDefaultsSource | undefined,
): { options: Record<string, number | boolean | string>; role: DeviceRole; roleFrom: ValueSource; centralOptions: Record<string, number | boolean | string> } {
  const central = defaults?.get(manifest.id);
  const options = effectiveOptions(manifest, assignment?.options, central);
  // Every central value this driver knows, also those the port overrides (the form compares with them).
  const centralOptions = effectiveOptions(manifest, undefined, central);
  const { role, from } = effectiveRole(manifest, assignment?.role, central);
  return { options, role, roleFrom: from, centralOptions };
}
