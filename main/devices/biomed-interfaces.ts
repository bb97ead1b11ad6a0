import type { Link } from '../../drivers/kit/index.ts';
import type { ReplayResultSchema, SimulatorInfo, TraceEntry } from '../../shared/api/ports-model.ts';
import type { z } from 'zod';

/**
 * The seams between the port manager (main/devices/ports), the live protocol trace
 * (main/devices/trace) and the simulators (main/devices/simulators). Kept in one small file of
 * types so each side codes against the other without importing its implementation, and tests
 * can plug in no-op or fake versions.
 */

export type ReplayResult = z.output<typeof ReplayResultSchema>;

/** What the port manager needs of the trace: a tap on every link it opens. */
export interface TraceTap {
  /**
   * Wrap a link so every byte in and out is traced for `portId`; returns the link the driver
   * session uses. The returned link must behave exactly like `link` (same mode, close, errors).
   */
  tap(portId: string, driverId: string, link: Link): Link;
  /** True while a trace file is being recorded for the port (shown on the port). */
  isRecording(portId: string): boolean;
}

/** What the biomed console needs of the trace: the live view, recording and replay. */
export interface TraceService extends TraceTap {
  /** The port's newest entries after `afterSeq` (oldest first), at most `limit`. */
  entries(portId: string, afterSeq?: number, limit?: number): TraceEntry[];
  /** Start recording the port's traffic as a trace file (docs/trace-format.md §4.2). */
  startRecording(portId: string, driverId: string, maskPatientIds: boolean): void;
  /** Stop recording and hand back the file's name and text. */
  stopRecording(portId: string): { fileName: string; trace: string; frames: number };
  /** Run a driver against a trace file's text and give its readings. */
  replay(driverId: string, traceText: string): Promise<ReplayResult>;
  /** Batched new entries per port, for the `trace` event; returns an unsubscribe function. */
  onEntries(listener: (portId: string, entries: TraceEntry[]) => void): () => void;
}

/** The driver simulators the console can play on a serial port or pty. */
export interface SimulatorService {
  list(): SimulatorInfo[];
  start(driverId: string, path: string, scenario?: string): Promise<SimulatorInfo>;
  stop(id: string): Promise<void>;
  close(): Promise<void>;
}
