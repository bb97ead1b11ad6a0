import { StxEtxFramer } from './stx-etx.ts';

/** MLLP start block (VT), end block (FS) and the carriage return that follows it (docs/export.md §6). */
export const MLLP_START = 0x0b;
export const MLLP_END = 0x1c;
export const MLLP_TRAILER = 0x0d;

/**
 * A framer for MLLP release 1 (`0B` message `1C 0D`), for drivers of devices that speak HL7 v2
 * themselves. Each frame keeps its start, end and trailer bytes so the raw bytes stored with a
 * reading are exactly what crossed the wire; `mllpPayload` strips them. Built on the STX/ETX
 * framer, so a lost end block costs one message, not the rest of the stream.
 */
export function createMllpFramer(maxLength = 65_536): StxEtxFramer {
  return new StxEtxFramer({ start: MLLP_START, end: MLLP_END, trailerLength: 1, maxLength });
}

/**
 * The message inside a frame from `createMllpFramer`, or undefined when the byte after the end
 * block is not the carriage return MLLP requires (a damaged frame).
 */
export function mllpPayload(frame: Uint8Array): Uint8Array | undefined {
  if (frame.length < 3 || frame[0] !== MLLP_START || frame[frame.length - 2] !== MLLP_END || frame[frame.length - 1] !== MLLP_TRAILER) return undefined;
  return frame.subarray(1, frame.length - 2);
}

/** One HL7 message (UTF-8) in an MLLP frame. */
export function mllpFrame(message: string): Uint8Array {
  const body = new TextEncoder().encode(message);
  const out = new Uint8Array(body.length + 3);
  out[0] = MLLP_START;
  out.set(body, 1);
  out[body.length + 1] = MLLP_END;
  out[body.length + 2] = MLLP_TRAILER;
  return out;
}
