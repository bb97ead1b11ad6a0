import { framerTrace, fromLatin1, latin1, type TraceAnnotator } from '../../kit/index.ts';
import { FIELD, createRecordFramer } from './protocol.ts';

/**
 * Live-trace hooks (`Driver.traceAnnotator`): one CSV record per line, no checksum.
 *
 * Masking: fields 5–9 of a record (0-based 4–8: the sample id and the "other identifiers", which
 * a clinic may fill with a patient id or name, PROTOCOL.md §3) are overwritten with the
 * same number of characters: digits become `0`, other visible characters `X`. The
 * sequence number, date, time, operator id, strip name and results are left as they are, so the
 * masked record still decodes to the same results. There is no checksum to recompute.
 */
export const traceAnnotator: TraceAnnotator = {
  framer: () => framerTrace(createRecordFramer(), (record) => ({ bytes: record, frame: { kind: 'line', checksum: 'none', note: 'result record (no checksum in this protocol)' } })),
  maskStream(direction, stream) {
    if (direction === 'out') return stream;
    // Records are lines; masking works on the whole stream so a record split over chunks is masked too.
    const text = latin1(stream);
    const masked = text.replace(/[^\r\n]+/g, maskRecord);
    return fromLatin1(masked);
  },
  masked: 'Clinitek record fields 5-9 (sample id and other identifiers)',
};

const FIRST = FIELD.sampleId;
const LAST = FIELD.otherIdsTo;

function maskRecord(line: string): string {
  const fields = line.split(',');
  for (let i = FIRST; i <= LAST && i < fields.length; i++) fields[i] = maskText(fields[i] ?? '');
  return fields.join(',');
}

/** Digits to `0`, other visible characters to `X`; spaces and control bytes (XON/XOFF) stay. */
function maskText(text: string): string {
  return text.replace(/[0-9]/g, '0').replace(/[\x21-\x2f\x3a-\x7e\xa0-\xff]/g, 'X');
}
