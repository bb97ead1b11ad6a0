import { framerTrace, latin1, type TraceAnnotator } from '../../kit/index.ts';
import { createLineFramer } from './protocol.ts';

/**
 * Live-trace hooks (`Driver.traceAnnotator`): one token per line. Nothing is masked: the lines
 * carry weight, height and BMI, never who the patient is (PROTOCOL.md §2–3).
 */
export const traceAnnotator: TraceAnnotator = {
  framer: () => framerTrace(createLineFramer(), (line) => ({ bytes: line, frame: { kind: 'line', checksum: 'none', note: `Rice Lake line "${latin1(line).trim()}"` } })),
  maskStream: (_direction, stream) => stream,
  masked: 'nothing (Rice Lake lines carry no patient identity)',
};
