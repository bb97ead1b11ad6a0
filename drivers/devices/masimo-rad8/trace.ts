import type { TraceAnnotator, TraceToken } from '../../kit/index.ts';
import { createLineFramer } from './protocol.ts';

/**
 * Live-trace hooks (`Driver.traceAnnotator`): ASCII 1 lines have no checksum, so a line is
 * shown as a line with checksum `none`. Nothing is masked: a line carries the monitor's serial
 * number and the measured values, never who the patient is (PROTOCOL.md §3).
 */
export const traceAnnotator: TraceAnnotator = {
  framer() {
    const lines = createLineFramer();
    return {
      push(chunk) {
        const out = lines.push(chunk);
        const tokens: TraceToken[] = out.problems.map((p) => ({ bytes: p.raw, frame: { kind: 'other', checksum: 'none', note: p.message } }));
        for (const line of out.frames) tokens.push({ bytes: line, frame: { kind: 'line', checksum: 'none', note: 'ASCII 1 line (no checksum in this protocol)' } });
        return tokens;
      },
    };
  },
  maskStream: (_direction, stream) => stream,
  masked: 'nothing (ASCII 1 lines carry no patient identity)',
};
