import type { Driver } from '../../kit/driver.ts';
import { createUltra2Session } from './driver.ts';
import { manifest } from './manifest.ts';
import { ultra2TraceAnnotator } from './trace-annotate.ts';
import { ultra2Simulator } from './simulator.ts';

/** LifeScan OneTouch Ultra 2: memory download over its ASCII serial protocol (PROTOCOL.md). */
export const onetouchUltra2Driver: Driver = {
  manifest,
  createSession: createUltra2Session,
  simulator: ultra2Simulator,
  traceAnnotator: ultra2TraceAnnotator,
};
