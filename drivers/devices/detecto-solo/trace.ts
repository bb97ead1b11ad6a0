import { framerTrace, latin1, type TraceAnnotator } from '../../kit/index.ts';
import { createLineFramer } from './protocol.ts';

/**
 * Live-trace hooks (`Driver.traceAnnotator`): one token per CR-ended line (the scale's prints and
 * the host's `P` request). Nothing is masked: a print carries time, date, BMI, height and
 * weight, never who the patient is (PROTOCOL.md §2).
 */
export const traceAnnotator: TraceAnnotator = {
  framer: (direction) =>
    framerTrace(createLineFramer(), (line) => ({
      bytes: line,
      frame: { kind: 'line', checksum: 'none', note: direction === 'out' ? 'print request' : `Detecto print "${latin1(line).trim()}"` },
    })),
  maskStream: (_direction, stream) => stream,
  masked: 'nothing (Detecto prints carry no patient identity)',
};
