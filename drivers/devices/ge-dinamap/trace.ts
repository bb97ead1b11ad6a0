import { framerTrace, latin1, type TraceAnnotator } from '../../kit/index.ts';
import { asciiChecksum, createLineFramer } from './protocol.ts';

/**
 * Live-trace hooks (`Driver.traceAnnotator`): one message per CR-ended line, its checksum
 * recomputed and named in the frame's note. Nothing is masked: polls and replies carry measured values
 * and status digits, never who the patient is (PROTOCOL.md §3).
 */
export const traceAnnotator: TraceAnnotator = {
  framer: () =>
    framerTrace(createLineFramer(), (line) => {
      const text = latin1(line);
      const ok = text.length > 3 && asciiChecksum(text.slice(0, -2)) === text.slice(-2);
      // The manifest says `checksum: false` (replies are used whatever their checksum,
      // PROTOCOL.md §3), so the frame's checksum is `none`; the note says whether it matched.
      return { bytes: line, frame: { kind: 'line', checksum: 'none', note: `DINAMAP "${text.slice(1, 3)}" message, checksum ${ok ? 'matches' : 'does NOT match (used anyway)'}` } };
    }),
  maskStream: (_direction, stream) => stream,
  masked: 'nothing (DINAMAP messages carry no patient identity)',
};
