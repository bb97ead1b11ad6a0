import type { Driver } from '../../kit/driver.ts';
import { createFreeStyleSession } from './driver.ts';
import { manifest } from './manifest.ts';
import { abbottTraceAnnotator } from './trace-annotate.ts';
import { freestyleSimulator } from './simulator.ts';

/** Abbott FreeStyle Precision/Optium Neo and Libre (1) reader over the HID "shim" protocol (PROTOCOL.md). */
export const abbottFreestyleNeoDriver: Driver = {
  manifest,
  createSession: createFreeStyleSession,
  simulator: freestyleSimulator,
  traceAnnotator: abbottTraceAnnotator,
};
