import type { TraceEntry } from '../shared/api/ports-model.ts';
import { abbottTraceAnnotator } from './devices/abbott-freestyle-neo/trace-annotate.ts';
import { contourTraceAnnotator } from './devices/ascensia-contour-next/trace-annotate.ts';
import { ultra2TraceAnnotator } from './devices/lifescan-onetouch-ultra2/trace-annotate.ts';
import { ultraEasyTraceAnnotator } from './devices/lifescan-onetouch-ultraeasy/trace-annotate.ts';
import { rad8TraceAnnotator } from './devices/masimo-rad8/trace-annotate.ts';
import { clinitekTraceAnnotator } from './devices/siemens-clinitek-status/trace-annotate.ts';

/**
 * Optional per-driver hooks for the biomed console's live trace (issue 6): how a driver's bytes
 * fall into frames, and which bytes can carry a patient's identity. They live beside each
 * driver because only the driver knows its framing; the hub calls them through this registry.
 */

/** What the framing says about one frame (the contract's `TraceEntry.frame`). */
export type TraceFrameInfo = NonNullable<TraceEntry['frame']>;

/** `in`: device to host; `out`: host to device (the contract's direction). */
export type TraceDirection = TraceEntry['direction'];

/** One frame, control byte, report or run of noise the framing recognised. */
export interface TraceToken {
  /** The bytes the token stands for (a frame reassembled across chunks is whole here). */
  bytes: Uint8Array;
  frame: TraceFrameInfo;
}

/** Cuts one direction of one port's traffic into tokens; stateful, never throws. */
export interface TraceFramer {
  push(chunk: Uint8Array): TraceToken[];
}

export interface TraceAnnotator {
  /** A fresh framer for one direction of one session. */
  framer(direction: TraceDirection): TraceFramer;
  /**
   * Byte-stream drivers: the whole recorded stream of one direction with the fields that can
   * carry patient identity overwritten, same length (so chunk boundaries stay where they were)
   * and checksums recomputed (so the masked trace still replays).
   */
  maskStream?(direction: TraceDirection, stream: Uint8Array): Uint8Array;
  /** HID drivers: the same for the reports of one direction, one output report per input report. */
  maskReports?(direction: TraceDirection, reports: readonly Uint8Array[]): Uint8Array[];
  /** What the masking replaces, in words, for the recorded trace's header. */
  readonly masked: string;
}

const ANNOTATORS: Readonly<Record<string, TraceAnnotator>> = {
  'masimo-rad8': rad8TraceAnnotator,
  'siemens-clinitek-status': clinitekTraceAnnotator,
  'lifescan-onetouch-ultra2': ultra2TraceAnnotator,
  'lifescan-onetouch-ultraeasy': ultraEasyTraceAnnotator,
  'ascensia-contour-next': contourTraceAnnotator,
  'abbott-freestyle-neo': abbottTraceAnnotator,
};

/** The trace hooks of a driver, or undefined when it has none (the trace then shows raw chunks only). */
export function traceAnnotatorFor(driverId: string): TraceAnnotator | undefined {
  return ANNOTATORS[driverId];
}
