import { HubError } from '../shared/errors.ts';
import type { Driver } from './kit/index.ts';
import { masimoRad8Driver } from './devices/masimo-rad8/index.ts';
import { siemensClinitekStatusDriver } from './devices/siemens-clinitek-status/index.ts';
import { lifescanOnetouchUltra2Driver } from './devices/lifescan-onetouch-ultra2/index.ts';
import { lifescanOnetouchUltraeasyDriver } from './devices/lifescan-onetouch-ultraeasy/index.ts';
import { ascensiaContourNextDriver } from './devices/ascensia-contour-next/index.ts';
import { abbottFreestyleNeoDriver } from './devices/abbott-freestyle-neo/index.ts';

/** The driver registry: one line per driver. Adding a driver touches its folder and this list. */
export const DRIVERS: readonly Driver[] = [
  masimoRad8Driver,
  siemensClinitekStatusDriver,
  lifescanOnetouchUltra2Driver,
  lifescanOnetouchUltraeasyDriver,
  ascensiaContourNextDriver,
  abbottFreestyleNeoDriver,
];

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
