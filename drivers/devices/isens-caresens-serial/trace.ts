import type { TraceAnnotator } from '../../kit/index.ts';
import { ispcTraceNotes } from '../../families/isens/index.ts';

/**
 * Live-trace hooks (`Driver.traceAnnotator`): the serial bytes go through the iSPc frame
 * reassembly; the chunk that completes a frame carries its CRC verdict. Nothing is masked.
 */
export const traceAnnotator: TraceAnnotator = {
  framer() {
    const notes = ispcTraceNotes();
    return {
      push(bytes) {
        const { checksum, note } = notes(bytes);
        return [{ bytes, frame: { kind: 'stx-etx', checksum, note } }];
      },
    };
  },
  maskReports: (_direction, chunks) => chunks.map((c) => Uint8Array.from(c)),
  masked: 'nothing (the meter keeps no patient identity)',
};
