import { framerTrace, fromLatin1, latin1, type TraceAnnotator } from '../../kit/index.ts';
import { decodeReport } from './decode.ts';
import { WIDTH, createReportFramer } from './protocol.ts';

/**
 * Live-trace hooks (`Driver.traceAnnotator`): one STX … ETX report per frame, no checksum. The
 * note says what the report held, including the patient name the analyzer printed: the biomed
 * console is the only place that name is shown, as the analyzer's text, never as identity
 * (PROTOCOL.md §4).
 *
 * Masking: the values of `ID_NO:`, `Ward :` and `NAME :` and the sub-ID line (PROTOCOL.md §3.2)
 * are overwritten with the same number of characters: digits become `0`, letters `X`, the rest
 * stays. Date and results are left as they are, so the masked report still decodes to the same
 * results. There is no checksum to recompute.
 */
export const traceAnnotator: TraceAnnotator = {
  framer: () => framerTrace(createReportFramer(), (report) => ({ bytes: report, frame: { kind: 'stx-etx', checksum: 'none', note: noteOf(report) } })),
  maskStream(direction, stream) {
    if (direction === 'out') return stream;
    return fromLatin1(maskText(latin1(stream)));
  },
  masked: 'URiSCAN report fields ID_NO, sub-ID, Ward and NAME (sample ID and the patient name the analyzer printed)',
};

/** A one-line summary of a report for the console. */
function noteOf(frame: Uint8Array): string {
  const outcome = decodeReport(frame);
  if (!outcome.ok) return `report not read: ${outcome.reason}`;
  const { report } = outcome;
  const parts = [`report, ${report.results.length} results (no checksum in this protocol)`];
  if (report.sampleId !== undefined) parts.push(`sample ${report.sampleId}`);
  if (report.name !== undefined) parts.push(`analyzer's patient name "${report.name}" (not identity)`);
  return parts.join('; ');
}

const IDENTITY_LINE = /^(\x02?\s*(?:ID_NO|Ward|NAME)\s*:)(.*)$/;

/** Mask the identity fields of every report in a stream (reports may span chunks: the whole stream is masked). */
export function maskText(text: string): string {
  const parts = text.split(/(\r\n|\r|\n)/);
  let afterId = false;
  for (let i = 0; i < parts.length; i += 2) {
    const line = parts[i] ?? '';
    const wasAfterId = afterId;
    afterId = /^\x02?\s*ID_NO\s*:/.test(line);
    const m = IDENTITY_LINE.exec(line);
    if (m) parts[i] = (m[1] ?? '') + maskChars(m[2] ?? '');
    else if (wasAfterId && line.trimEnd().length <= WIDTH.subId) parts[i] = maskChars(line);
  }
  return parts.join('');
}

function maskChars(text: string): string {
  return text.replace(/[0-9]/g, '0').replace(/[A-Za-z\u00c0-\u00ff]/g, 'X');
}
