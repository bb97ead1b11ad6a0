import { framerTrace, latin1, type TraceAnnotator, type TraceToken } from '../../kit/index.ts';
import { UltraFramer } from './protocol.ts';

/**
 * Live-trace hooks (`Driver.traceAnnotator`). Meter lines are checked with the driver's own
 * framer (text, space, 16-bit sum in 4 hex digits). Host commands (`DC1 CR DM? CR`) carry no
 * checksum; each write is shown as one command.
 *
 * Nothing is masked: the dump holds the meter's serial number, times, values, meal markers and
 * comment codes from the meter's fixed list (PROTOCOL.md §6), never a patient's name or id.
 */
export const traceAnnotator: TraceAnnotator = {
  framer(direction) {
    if (direction === 'out') return { push: (chunk) => [{ bytes: chunk, frame: { kind: 'other', checksum: 'none', note: `command ${JSON.stringify(latin1(chunk))}` } }] };
    return framerTrace(new UltraFramer(), (f): TraceToken => {
      if (f.kind === 'line') return { bytes: f.raw, frame: { kind: 'line', checksum: 'good' } };
      if (f.kind === 'bad') return { bytes: f.raw, frame: { kind: 'line', checksum: 'bad', note: f.reason } };
      return { bytes: f.raw, frame: { kind: 'other', checksum: 'none', note: 'NUL: the meter is not in PC-link mode' } };
    });
  },
  maskStream: (_direction, stream) => stream,
  masked: 'nothing (the meter keeps no patient identity)',
};
