import type { TraceAnnotator, TraceToken } from '../../kit/index.ts';
import { decodeDataReport } from '../../families/cp2110/index.ts';
import { ispcTraceNotes } from '../../families/isens/index.ts';

/**
 * Live-trace hooks (`Driver.traceAnnotator`): each chunk is one CP2110 data report; its UART bytes
 * go through the iSPc frame reassembly, and the report that completes a frame carries its CRC
 * verdict. Nothing is masked: the meter keeps no patient identity.
 */
export const traceAnnotator: TraceAnnotator = {
  framer() {
    const notes = ispcTraceNotes();
    return {
      push(report) {
        const data = decodeDataReport(report);
        if (!data.ok) return [token(report, 'none', data.reason)];
        const { checksum, note } = notes(data.data);
        return [token(report, checksum, note)];
      },
    };
  },
  maskReports: (_direction, reports) => reports.map((r) => Uint8Array.from(r)),
  masked: 'nothing (the meter keeps no patient identity)',
};

function token(bytes: Uint8Array, checksum: 'good' | 'bad' | 'none', note: string): TraceToken {
  return { bytes, frame: { kind: 'hid-report', checksum, note } };
}
