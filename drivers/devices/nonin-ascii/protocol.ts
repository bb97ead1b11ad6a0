import { LineFramer } from '../../kit/index.ts';

/**
 * Nonin ASCII real-time link layer (PROTOCOL.md §2): one text line a second, ended by CR LF,
 * no checksum. The longest data line (`HH:MM:SS SPO2=XXX HR=YYY F*B`) is 28 bytes; the power-up
 * header's text is not published, so lines up to this length are accepted and judged by decode.ts.
 */
export const MAX_LINE_BYTES = 160;

/** The kit's line framer with the Nonin limits: CR, LF or CR LF; empty lines dropped. */
export function createLineFramer(): LineFramer {
  return new LineFramer({ maxLength: MAX_LINE_BYTES });
}
