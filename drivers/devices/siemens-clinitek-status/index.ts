import type { Driver } from '../../kit/driver.ts';
import { createClinitekSession } from './driver.ts';
import { manifest } from './manifest.ts';
import { clinitekTraceAnnotator } from './trace-annotate.ts';
import { clinitekSimulator } from './simulator.ts';

/** Siemens Clinitek Status / Status+ urine strip reader: CSV records over RS-232 (PROTOCOL.md). */
export const clinitekStatusDriver: Driver = {
  manifest,
  createSession: createClinitekSession,
  simulator: clinitekSimulator,
  traceAnnotator: clinitekTraceAnnotator,
};
