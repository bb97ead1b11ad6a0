import type { Driver } from '../../kit/driver.ts';
import { Rad8Session } from './driver.ts';
import { manifest } from './manifest.ts';
import { rad8TraceAnnotator } from './trace-annotate.ts';
import { simulator } from './simulator.ts';

/** Masimo Rad-8 / Radical-7 / Rad-87 / Radical-5 pulse oximeters, serial output "ASCII 1". */
export const masimoRad8Driver: Driver = {
  manifest,
  createSession: (context) => new Rad8Session(context),
  simulator,
  traceAnnotator: rad8TraceAnnotator,
};
