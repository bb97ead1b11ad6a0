import { framerTrace, latin1, type TraceAnnotator, type TraceToken } from '../../kit/index.ts';
import { DumpAssembler } from './dump.ts';
import { FreestyleLineFramer } from './lines.ts';

/**
 * Live-trace hooks shared by the FreeStyle serial drivers (`Driver.traceAnnotator`): meter lines
 * as the driver frames them, fed through the dump assembler so the `0xHHHH  END` line shows
 * whether the whole dump added up (single lines carry no checksum). Each host write is one command.
 * Nothing is masked: the meter keeps serial, clock, values and status, never a patient's identity.
 */
export const freestyleTraceAnnotator: TraceAnnotator = {
  framer(direction) {
    if (direction === 'out') return { push: (chunk) => [{ bytes: chunk, frame: { kind: 'other', checksum: 'none', note: `command ${JSON.stringify(latin1(chunk))}` } }] };
    let dump = new DumpAssembler();
    return framerTrace(new FreestyleLineFramer(), (line): TraceToken => {
      const step = dump.push(line);
      if (step.kind === 'stray' || step.kind === 'done' || step.kind === 'failed') {
        const fresh = new DumpAssembler();
        dump = fresh;
        // A stray empty line may be the start of the next dump.
        if (step.kind === 'stray') fresh.push(line);
      }
      if (step.kind === 'done' && step.records.length > 0) return { bytes: line.raw, frame: { kind: 'line', checksum: 'good', note: 'dump checksum' } };
      if (step.kind === 'failed' && step.code === 'PROTOCOL_CHECKSUM') return { bytes: line.raw, frame: { kind: 'line', checksum: 'bad', note: step.reason } };
      return { bytes: line.raw, frame: { kind: 'line', checksum: 'none' } };
    });
  },
  maskStream: (_direction, stream) => stream,
  masked: 'nothing (the meter keeps no patient identity)',
};
