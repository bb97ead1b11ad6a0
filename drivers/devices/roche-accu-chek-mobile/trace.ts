import type { TraceAnnotator, TraceToken } from '../../kit/index.ts';

/** Longest line kept whole in the live trace; a longer run is shown as it is cut. */
const MAX_LINE_BYTES = 4096;

/**
 * The report file in the trace (PROTOCOL.md §2): one `line` token per CRLF line, line 2 named as
 * the serial line, line 3 as the headers. Nothing is masked: the rows carry no patient identity
 * (no name, no id; the serial is the meter's).
 */
export const traceAnnotator: TraceAnnotator = {
  framer() {
    let pending: number[] = [];
    let line = 0;
    const note = (n: number): string => (n === 1 ? 'report title (ignored)' : n === 2 ? 'serial and report date' : n === 3 ? 'column headers' : `row ${n - 3}`);
    return {
      push(chunk) {
        const tokens: TraceToken[] = [];
        for (const b of chunk) {
          pending.push(b);
          const crlf = b === 0x0a && pending.at(-2) === 0x0d;
          if (crlf || pending.length >= MAX_LINE_BYTES) {
            tokens.push({ bytes: Uint8Array.from(pending), frame: crlf ? { kind: 'line', checksum: 'none', note: note(++line) } : { kind: 'other', checksum: 'none', note: 'overlong line' } });
            pending = [];
          }
        }
        return tokens;
      },
    };
  },
  maskStream: (_direction, stream) => stream,
  masked: 'nothing: a report carries no patient identity',
};
