import { framerTrace, latin1, type TraceAnnotator } from '../../kit/index.ts';
import { asciiChecksum, createLineFramer } from './protocol.ts';

/**
 * Live-trace hooks (`Driver.traceAnnotator`): one message per CR-ended line, its checksum
 * recomputed and shown as ok or bad. Nothing is masked: polls and replies carry measured values
 * and status digits, never who the patient is (PROTOCOL.md §3).
 */
export const traceAnnotator: TraceAnnotator = {
  framer: () =>
    framerTrace(createLineFramer(), (line) => {
      const text = latin1(line);
      const ok = text.length > 3 && asciiChecksum(text.slice(0, -2)) === text.slice(-2);
      return { bytes: line, frame: { kind: 'line', checksum: ok ? 'good' : 'bad', note: `DINAMAP "${text.slice(1, 3)}" message` } };
    }),
  maskStream: (_direction, stream) => stream,
  masked: 'nothing (DINAMAP messages carry no patient identity)',
};
