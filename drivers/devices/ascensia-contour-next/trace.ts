import { ASTM, AstmFramer, type AstmToken, concatBytes, type TraceAnnotator, type TraceFrameInfo, type TraceToken } from '../../kit/index.ts';
import { REPORT_OVERHEAD_BYTES, tokenLabel, unwrapReport } from './protocol.ts';
import { maskAstmStream } from './trace-mask.ts';

const CONTROL_KINDS: Readonly<Record<number, TraceFrameInfo['kind']>> = { [ASTM.ENQ]: 'enq', [ASTM.ACK]: 'ack', [ASTM.NAK]: 'nak', [ASTM.EOT]: 'eot' };

/**
 * Live-trace hooks (`Driver.traceAnnotator`). Every chunk is one `ABC n payload` report; the
 * payloads of one direction form an ASTM E1381 stream, framed by the kit's AstmFramer across
 * reports. A report is shown as `hid-report` (or as the control byte it carries alone), with the
 * checksum of any ASTM frame that ends in it; each whole frame is shown as `astm` too.
 * Masking: the ASTM stream inside the meter's reports (see trace-mask.ts).
 */
export const traceAnnotator: TraceAnnotator = {
  framer() {
    const astm = new AstmFramer();
    return {
      push(report) {
        const unwrapped = unwrapReport(report);
        const tokens = astm.push(unwrapped.payload).frames;
        const frames = tokens.filter((t): t is Extract<AstmToken, { type: 'frame' }> => t.type === 'frame');
        const only = tokens[0];
        const single = unwrapped.payload.length === 1 && tokens.length === 1 && only?.type === 'control';
        const notes = [`${unwrapped.payload.length} byte(s)${unwrapped.continues ? ', continues' : ''}`, ...tokens.map(tokenLabel)];
        if (unwrapped.problem) notes.push(unwrapped.problem.message);
        const checksum = frames.length === 0 ? 'none' : frames.every((f) => f.valid) ? 'good' : 'bad';
        const out: TraceToken[] = [
          single ? { bytes: report, frame: { kind: CONTROL_KINDS[only.byte] ?? 'other', checksum: 'none', note: 'in a HID report' } } : { bytes: report, frame: { kind: 'hid-report', checksum, note: notes.join('; ') } },
        ];
        for (const f of frames) out.push({ bytes: f.raw, frame: { kind: 'astm', checksum: f.valid ? 'good' : 'bad', note: tokenLabel(f) } });
        return out;
      },
    };
  },
  maskReports(direction, reports) {
    if (direction === 'out') return [...reports];
    // Mask the meter's ASTM stream as a whole (a record spans reports), then put each report's
    // payload back where it was: masking keeps lengths, so every byte has its old place.
    const payloads = reports.map((r) => unwrapReport(r).payload);
    const masked = maskAstmStream(concatBytes(payloads));
    let at = 0;
    return reports.map((report, i) => {
      const length = payloads[i]?.length ?? 0;
      const copy = Uint8Array.from(report);
      copy.set(masked.subarray(at, at + length), REPORT_OVERHEAD_BYTES);
      at += length;
      return copy;
    });
  },
  masked: 'ASTM P-record fields 3-8 (patient ids, name, birth date), O-record fields 3-4 (specimen ids), C-record field 4 (comment text)',
};
