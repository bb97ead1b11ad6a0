import type { Driver } from '../../kit/driver.ts';
import { createUltraEasySession } from './driver.ts';
import { manifest } from './manifest.ts';
import { ultraEasyTraceAnnotator } from './trace-annotate.ts';
import { ultraEasySimulator } from './simulator.ts';

/** LifeScan OneTouch UltraEasy / UltraMini: binary packets with CRC-16 over serial, memory download (PROTOCOL.md). */
export const oneTouchUltraEasyDriver: Driver = {
  manifest,
  createSession: createUltraEasySession,
  simulator: ultraEasySimulator,
  traceAnnotator: ultraEasyTraceAnnotator,
};
