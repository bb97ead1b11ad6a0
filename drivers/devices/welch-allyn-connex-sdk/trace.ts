import { HttpResponseFramer, framerTrace, fromLatin1, latin1, type TraceAnnotator } from '../../kit/index.ts';

/**
 * Live-trace hooks (`Driver.traceAnnotator`): each `<` frame is one HTTP response envelope
 * (docs/trace-format.md §1.3). Masking: the `patientid` and `clinicianid` values are overwritten
 * with as many `0`/`X` characters, so the body length, and with it the envelope header, stays
 * right and a masked trace replays to the same measurements.
 */
export const traceAnnotator: TraceAnnotator = {
  framer: () => framerTrace(new HttpResponseFramer(), (response) => ({ bytes: response.raw, frame: { kind: 'http', checksum: 'none', note: `HTTP ${response.status}, ${response.body.length}-byte JSON body` } })),
  maskStream(direction, stream) {
    if (direction === 'out') return stream;
    return fromLatin1(
      latin1(stream).replace(/("(?:patientid|clinicianid)"\s*:\s*")([^"\\]*)"/g, (_m, head: string, value: string) => `${head}${value.replace(/[0-9]/g, '0').replace(/[^0-9]/g, 'X')}"`),
    );
  },
  masked: 'the patientid and clinicianid values of every reading',
};
