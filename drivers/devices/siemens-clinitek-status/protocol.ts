import { LineFramer } from '../../kit/index.ts';

/**
 * The Clinitek Status / Status+ link layer and record grammar (PROTOCOL.md §2–3).
 * There is no link layer to speak of: the analyzer pushes one comma-separated record per line,
 * ended by CR, as soon as a strip has been read. No checksum, no STX/ETX, no handshake.
 */

/**
 * Longest record we accept, in bytes, terminator excluded. A full Multistix 10 SG record is about
 * 250 bytes; 12 analytes with long approximate results stay under 450. Twice a long record still
 * fits, so two records glued together (a lost CR) are rejected by the grammar with the bytes in
 * the message, not by the framer as an anonymous over-long line.
 */
const MAX_RECORD_BYTES = 1024;

/** Field positions, 0-based (PROTOCOL.md §3 counts from 1). */
export const FIELD = {
  sequence: 0,
  date: 1,
  time: 2,
  operatorId: 3,
  sampleId: 4,
  /** Fields 6–9: other identifiers, empty in every capture [INFERRED]. */
  otherIdsFrom: 5,
  otherIdsTo: 8,
  strip: 9,
  colour: 10,
  clarity: 11,
  /** Field 13 onwards: code, result, flag triplets, or one error code. */
  resultsFrom: 12,
} as const;

/** Values of the `dateOrder` option: how field 2 is laid out. */
export const DATE_ORDERS = ['dmy', 'mdy'] as const;
export type DateOrder = (typeof DATE_ORDERS)[number];

/** Sequence (test) number: digits only. */
export const SEQUENCE = /^\d+$/;
/** `24-12-2021`; the separator is `-` in every capture, `/` and `.` are tolerated. */
export const DATE = /^(\d{1,2})([-/.])(\d{1,2})\2(\d{4})$/;
/** 12-hour time as printed, space-padded: ` 5:33PM`, `12:05AM` (field already trimmed). */
export const TIME_12H = /^(\d{1,2}):(\d{2}) ?([AaPp])[Mm]$/;
/** 24-hour time: `15:25`, `09:47`. */
export const TIME_24H = /^(\d{1,2}):(\d{2})$/;
/**
 * An analyte code after trimming: `GLU`, `pH`, `SG`, `A:C`. Letters (Latin-1 included, for other
 * device languages) and `:` only, at most 6 characters. A field that does not look like a code
 * (a date, a strip name, a number) in a code position means the line is not one record.
 */
export const ANALYTE_CODE = /^[A-Za-z\u00c0-\u00ff][A-Za-z\u00c0-\u00ff:]{0,5}$/;
/** The flag field of a triplet: empty, or `*` when the analyzer calls the result abnormal. */
export const FLAG_ABNORMAL = '*';
/** An analyzer error code in place of the results, e.g. `E58` (meaning: the analyzer's manual). */
export const ERROR_CODE = /^E\d+$/;
/** What the analyzer prints for a colour or clarity the operator did not enter (English, Spanish). */
export const NOT_ENTERED = ['not entered', 'no introducido'] as const;

const XON = 0x11;
const XOFF = 0x13;

/** A new framer for the record stream: lines ended by CR, CR LF or LF (empty lines dropped). */
export function createRecordFramer(): LineFramer {
  return new LineFramer({ terminator: 'any', maxLength: MAX_RECORD_BYTES });
}

/** A line's text without in-band flow control, and how many noise bytes led it. */
interface CleanLine {
  text: string;
  /** Non-printable bytes dropped before the first printable one (line noise, power-up bytes). */
  leadingNoise: number;
  /** Index of the first byte kept: the noise, if any, is `bytes.subarray(0, start)`. */
  start: number;
}

/**
 * Prepare a framed line for the grammar. XON/XOFF bytes are flow control, never data, so they
 * are dropped wherever they are. Non-printable bytes before the first printable one are line
 * noise and are dropped (they can never be part of a sequence number, so no digit is invented).
 * Bytes are read as Latin-1, one character per byte.
 */
export function cleanLine(bytes: Uint8Array): CleanLine {
  let text = '';
  let leadingNoise = 0;
  let start = bytes.length;
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i] ?? 0;
    if (b === XON || b === XOFF) continue;
    if (text.length === 0 && (b < 0x20 || b >= 0x7f)) {
      leadingNoise++;
      continue;
    }
    if (text.length === 0) start = i;
    text += String.fromCharCode(b);
  }
  return { text, leadingNoise, start };
}

/** A control byte left inside a line (after cleaning) means the line is not a record. */
export function hasControlBytes(text: string): boolean {
  return /[\u0000-\u001f\u007f]/.test(text);
}
