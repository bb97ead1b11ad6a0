import { LineFramer } from '../../kit/index.ts';

/** The longest line seen is ~40 bytes (typographic quotes take 3 bytes each in UTF-8); far longer is noise. */
export const MAX_LINE_BYTES = 96;

/** The host's remote print request, `<LF>P<CR>`: the same as pressing the Print key (PROTOCOL.md §3). */
export const PRINT_REQUEST = Uint8Array.of(0x0a, 0x50, 0x0d);

/** A framer for the scale's lines (CR ends a line; an LF is tolerated as an end too). */
export function createLineFramer(): LineFramer {
  return new LineFramer({ maxLength: MAX_LINE_BYTES });
}
