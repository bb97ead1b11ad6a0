import { framerTrace, type TraceAnnotator } from '../../kit/index.ts';
import { createLineFramer } from './protocol.ts';

/**
 * Live-trace hooks (`Driver.traceAnnotator`): the lines have no checksum, so a line is shown as
 * a line with checksum `none`. Nothing is masked: a line carries SpO2, pulse and at most the
 * time of day, never who the patient is (PROTOCOL.md §3).
 */
export const traceAnnotator: TraceAnnotator = {
  framer: () => framerTrace(createLineFramer(), (line) => ({ bytes: line, frame: { kind: 'line', checksum: 'none', note: 'Nonin ASCII line (no checksum in this protocol)' } })),
  maskStream: (_direction, stream) => stream,
  masked: 'nothing (Nonin ASCII lines carry no patient identity)',
};
