import { framerTrace, fromLatin1, latin1, type TraceAnnotator } from '../../kit/index.ts';
import { BP_LINE, BP_LINE_TAG, FORMAT5, createLineFramer } from './protocol.ts';

/**
 * Live-trace hooks (`Driver.traceAnnotator`): one measurement per line, no checksum.
 *
 * Masking: the patient ID field (format 5 field 5, `bp` line field 1; PROTOCOL.md §2) is
 * overwritten with the same number of characters: digits become `0`, other visible characters
 * `X`, padding spaces stay. Dates, values and flags are left as they are, so a masked trace
 * replays to the same measurements. There is no checksum to recompute.
 */
export const traceAnnotator: TraceAnnotator = {
  framer: () => framerTrace(createLineFramer(), (line) => ({ bytes: line, frame: { kind: 'line', checksum: 'none', note: 'measurement line (no checksum in this protocol)' } })),
  maskStream(direction, stream) {
    if (direction === 'out') return stream;
    // Mask on the whole stream so a line split over chunks is masked too.
    return fromLatin1(latin1(stream).replace(/[^\r\n]+/g, maskLine));
  },
  masked: 'the patient ID field of every measurement line',
};

function maskLine(line: string): string {
  const fields = line.split(',');
  const at = fields[0]?.trim() === BP_LINE_TAG ? BP_LINE.patientId : fields.length === FORMAT5.count ? FORMAT5.patientId : undefined;
  if (at === undefined || fields[at] === undefined) return line;
  fields[at] = fields[at].replace(/[0-9]/g, '0').replace(/[\x21-\x2f\x3a-\x7e]/g, 'X');
  return fields.join(',');
}
