import type { TraceAnnotator, TraceToken } from '../../kit/index.ts';
import { decodeDataReport } from '../../families/cp2110/index.ts';
import { ispcTraceNotes, shineReportBytes } from '../../families/isens/index.ts';
import { ispcLinkOf } from './links.ts';

/**
 * Live-trace hooks (`Driver.traceAnnotator`), framed by the link the session runs on (PROTOCOL.md
 * §2): a serial chunk's bytes as they are; a HID report unwrapped as a CP2110 data report, or as
 * the Shine Connex's report (host reports carry id 1 and a count, the meter's a count). The
 * bytes then go through the iSPc frame reassembly, and the chunk that completes a frame carries
 * its CRC verdict. Nothing is masked: the meter keeps no patient identity.
 */
export const traceAnnotator: TraceAnnotator = {
  framer(direction, link) {
    const notes = ispcTraceNotes();
    const kind = link ? ispcLinkOf(link) : 'cp2110';
    return {
      push(chunk) {
        if (kind === 'serial') {
          const { checksum, note } = notes(chunk);
          return [{ bytes: chunk, frame: { kind: 'stx-etx', checksum, note } }];
        }
        if (kind === 'hid') {
          const bytes = direction === 'out' ? chunk.slice(2, 2 + (chunk[1] ?? 0)) : shineReportBytes(chunk);
          const { checksum, note } = notes(bytes);
          return [token(chunk, checksum, note)];
        }
        const data = decodeDataReport(chunk);
        if (!data.ok) return [token(chunk, 'none', data.reason)];
        const { checksum, note } = notes(data.data);
        return [token(chunk, checksum, note)];
      },
    };
  },
  maskReports: (_direction, reports) => reports.map((r) => Uint8Array.from(r)),
  maskStream: (_direction, stream) => Uint8Array.from(stream),
  masked: 'nothing (the meter keeps no patient identity)',
};

function token(bytes: Uint8Array, checksum: 'good' | 'bad' | 'none', note: string): TraceToken {
  return { bytes, frame: { kind: 'hid-report', checksum, note } };
}
