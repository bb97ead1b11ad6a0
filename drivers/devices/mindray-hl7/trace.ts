import { createMllpFramer, framerTrace, fromLatin1, latin1, type TraceAnnotator } from '../../kit/index.ts';

/**
 * Live-trace hooks (`Driver.traceAnnotator`): one MLLP frame per HL7 message, no checksum.
 *
 * Masking: the content of PID and PV1 segments (patient identity and location) is overwritten
 * byte for byte — every byte but the delimiters `|^~\&` becomes `X` — so the frames keep their
 * length and the trace still replays; NIBP and numerics (OBX) stay as they are. Done on the whole
 * stream, so a segment split over chunks is masked too.
 */
export const traceAnnotator: TraceAnnotator = {
  framer: () => framerTrace(createMllpFramer(), (frame) => ({ bytes: frame, frame: { kind: 'mllp', checksum: 'none', note: 'HL7 message in an MLLP frame (no checksum in this protocol)' } })),
  maskStream(direction, stream) {
    if (direction === 'out') return stream;
    return fromLatin1(latin1(stream).replace(/(^|\r|\x0b)(PID|PV1)\|([^\r\x1c]*)/g, (_all, lead: string, name: string, rest: string) => `${lead}${name}|${rest.replace(/[^|^~\\&]/g, 'X')}`));
  },
  masked: 'the content of PID and PV1 segments (patient identity and location)',
};
