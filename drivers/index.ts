import { HubError } from '../shared/errors.ts';
import type { Driver } from './kit/index.ts';
import * as registered from './devices/index.ts';

/**
 * The driver registry, ordered by id: every driver drivers/devices/index.ts exports. Adding a
 * driver is its folder plus one line there; nothing here or in main/ changes.
 */
export const DRIVERS: readonly Driver[] = Object.values<Driver>(registered).sort((a, b) => a.manifest.id.localeCompare(b.manifest.id));

/** The driver with this id in `drivers` (default: the registry), or undefined. */
export function findDriver(id: string, drivers: readonly Driver[] = DRIVERS): Driver | undefined {
  return drivers.find((d) => d.manifest.id === id);
}

/**
 * The one error for a driver id this build does not have, wherever it is named (command line,
 * API, configuration file, simulators): DRIVER_UNKNOWN, listing the ids there are.
 * @param field where the id was read (`ports[1].driverId` in a configuration file), if anywhere.
 */
export function unknownDriverError(id: string, knownIds: readonly string[] = DRIVERS.map((d) => d.manifest.id), field?: string): HubError {
  const message = `unknown driver "${id}" (known drivers: ${knownIds.join(', ')})`;
  return new HubError('DRIVER_UNKNOWN', field === undefined ? message : `${field}: ${message}`, {
    details: { driverId: id, knownIds: [...knownIds], ...(field === undefined ? {} : { field }) },
  });
}

/** The driver with this id in `drivers` (default: the registry). @throws HubError DRIVER_UNKNOWN */
export function requireDriver(id: string, drivers: readonly Driver[] = DRIVERS): Driver {
  const driver = findDriver(id, drivers);
  if (!driver) throw unknownDriverError(id, drivers.map((d) => d.manifest.id));
  return driver;
}

/** The types of a driver's live-trace hooks (`Driver.traceAnnotator`: framing and masking). */
export type { TraceAnnotator, TraceFramer, TraceToken, TraceDirection } from './kit/index.ts';
