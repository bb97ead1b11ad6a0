import { framerTrace, type TraceAnnotator } from '../../kit/index.ts';
import { createLineFramer } from './protocol.ts';

/**
 * Live-trace hooks (`Driver.traceAnnotator`): ASCII 1 lines have no checksum, so a line is
 * shown as a line with checksum `none`. Nothing is masked: a line carries the monitor's serial
 * number and the measured values, never who the patient is (PROTOCOL.md §3).
 */
export const traceAnnotator: TraceAnnotator = {
  framer: () => framerTrace(createLineFramer(), (line) => ({ bytes: line, frame: { kind: 'line', checksum: 'none', note: 'ASCII 1 line (no checksum in this protocol)' } })),
  maskStream: (_direction, stream) => stream,
  masked: 'nothing (ASCII 1 lines carry no patient identity)',
};
