import { maskAstmStream } from '../../families/astm/mask.ts';
import { ASTM, type AstmToken, framerTrace, latin1, type TraceAnnotator, type TraceFrameInfo } from '../../kit/index.ts';
import { createTokenFramer } from './protocol.ts';

const CONTROL: Readonly<Record<number, { kind: TraceFrameInfo['kind']; note: string }>> = {
  [ASTM.ENQ]: { kind: 'enq', note: 'ENQ: the analyzer asks to send' },
  [ASTM.ACK]: { kind: 'ack', note: 'ACK' },
  [ASTM.NAK]: { kind: 'nak', note: 'NAK: send that again' },
  [ASTM.EOT]: { kind: 'eot', note: 'EOT: end of transfer' },
};

/** A frame's label for the console: `frame 4, R record (end)`, or why it is bad. */
function describe(token: AstmToken): { bytes: Uint8Array; frame: TraceFrameInfo } {
  if (token.type === 'control') {
    const c = CONTROL[token.byte] ?? { kind: 'other' as const, note: 'control byte' };
    return { bytes: Uint8Array.of(token.byte), frame: { kind: c.kind, checksum: 'none', note: c.note } };
  }
  const type = latin1(token.text.subarray(0, 1)) || '?';
  const note = `frame ${token.number}, ${type} record${token.last ? '' : ' (continues, ETB)'}${token.valid ? '' : ': bad checksum or trailer'}`;
  return { bytes: token.raw, frame: { kind: 'astm', checksum: token.valid ? 'good' : 'bad', note } };
}

/**
 * Live-trace hooks (`Driver.traceAnnotator`): both directions are E1381 streams (the hub sends
 * only ACK and NAK). Masking: the family's ASTM masking — P record fields 3–8 (patient ids,
 * name, birth date), O record fields 3–4 (specimen ids), C record field 4 (comment text), with
 * each changed frame's checksum recomputed (PROTOCOL.md §5).
 */
export const traceAnnotator: TraceAnnotator = {
  framer: () => framerTrace(createTokenFramer(), describe),
  maskStream(direction, stream) {
    return direction === 'out' ? stream : maskAstmStream(stream);
  },
  masked: 'ASTM P-record fields 3-8 (patient ids, name, birth date), O-record fields 3-4 (specimen ids), C-record field 4 (comment text)',
};
