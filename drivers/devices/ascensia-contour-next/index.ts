import type { Driver } from '../../kit/driver.ts';
import { createContourSession } from './driver.ts';
import { manifest } from './manifest.ts';
import { contourTraceAnnotator } from './trace-annotate.ts';
import { contourSimulator } from './simulator.ts';

/** Ascensia / Bayer Contour meters over USB HID (`ABC` reports carrying ASTM frames; PROTOCOL.md). */
export const contourNextDriver: Driver = {
  manifest,
  createSession: createContourSession,
  simulator: contourSimulator,
  traceAnnotator: contourTraceAnnotator,
};
