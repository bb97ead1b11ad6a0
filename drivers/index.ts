import type { Driver } from './kit/driver.ts';
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

/** The driver with this id, or undefined. */
export function findDriver(id: string): Driver | undefined {
  return DRIVERS.find((d) => d.manifest.id === id);
}

/** The types of a driver's live-trace hooks (`Driver.traceAnnotator`: framing and masking). */
export type { TraceAnnotator, TraceFramer, TraceToken, TraceDirection } from './kit/trace-annotator.ts';
