import { framerTrace, fromLatin1, latin1, type TraceAnnotator } from '../../kit/index.ts';
import { ReportFramer } from './protocol.ts';

/**
 * Live-trace hooks (`Driver.traceAnnotator`): one STX … ETX report per frame, no checksum.
 *
 * Masking: the text after `ID:` (the keyed sample or patient id, PROTOCOL.md §3) is overwritten
 * with as many characters: digits become `0`, other visible characters `X`. Date, operator,
 * sequence and results stay, so a masked report still decodes to the same results; there is no
 * checksum to recompute.
 */
export const traceAnnotator: TraceAnnotator = {
  framer: () => framerTrace(new ReportFramer(), (report) => ({ bytes: report, frame: { kind: 'stx-etx', checksum: 'none', note: 'one report per sample (no checksum in this protocol)' } })),
  maskStream(direction, stream) {
    if (direction === 'out') return stream;
    // Masking works on the whole stream, so an ID split over chunks is masked too.
    return fromLatin1(latin1(stream).replace(/(ID:)([^\r\n\x02\x03]*)/g, (_all, tag: string, id: string) => tag + maskText(id)));
  },
  masked: 'the sample ID after "ID:" in each report',
};

/** Digits to `0`, other visible characters to `X`; spaces stay. */
function maskText(text: string): string {
  return text.replace(/[0-9]/g, '0').replace(/[\x21-\x2f\x3a-\x7e\xa0-\xff]/g, 'X');
}
