import { StxEtxFramer } from '../../kit/index.ts';

/**
 * The URiSCAN PRO II link layer and report layout (PROTOCOL.md §2–3): `STX`, the printout lines
 * each ended by CR LF, `ETX`. One way, no checksum, no ACK/NAK.
 */

export const STX = 0x02;
export const ETX = 0x03;

/**
 * Longest report we accept, STX and ETX included. A report is five header lines and at most a
 * dozen 25-character analyte lines (about 450 bytes); four times that still leaves room for
 * wider lines, and two reports glued together by a lost ETX are cut by the next STX anyway.
 */
export const MAX_REPORT_BYTES = 2048;

/** The documented line widths (PROTOCOL.md §3), in characters, line end excluded. */
export const WIDTH = { date: 26, id: 27, subId: 6, ward: 6, name: 25, analyte: 25 } as const;

/** Header labels as printed (PROTOCOL.md §3); spaces around the colon are tolerated. */
export const LABEL = {
  date: /^Date\s*:(.*)$/,
  id: /^ID_NO\s*:(.*)$/,
  ward: /^Ward\s*:(.*)$/,
  name: /^NAME\s*:(.*)$/,
} as const;

/** Month names as the analyzer prints them: English, three capitals (PROTOCOL.md §3.1). */
export const MONTHS = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'] as const;

/** `OCT-01-2000 15:15:06`: month, day, year, 24-hour time with seconds (PROTOCOL.md §3.1). */
export const DATE_VALUE = /^([A-Za-z]{3})-(\d{2})-(\d{4}) (\d{2}):(\d{2}):(\d{2})$/;

/**
 * An analyte line (PROTOCOL.md §3.3), after trimming: a code (`BLD`, `p.H`, `S.G`), then the
 * result: an optional grade symbol, then a number (with comparator and unit) or a word. The
 * grade may stand hard against the number (`++++2000`). Anything else is not an analyte line.
 */
export const ANALYTE_LINE =
  /^([A-Za-z][A-Za-z.]{0,4})\s+((?:\+{1,4}|\+\/-|\+-|[1-4]\+|-)?\s*(?:(?:>=|<=|>|<)?\d+(?:\.\d+)?(?:\s*[A-Za-z%\u00b5][A-Za-z/%.\u00b5]*)?|[A-Za-z]+)?)$/;

/** A new framer for the report stream: STX … ETX, nothing after ETX. */
export function createReportFramer(): StxEtxFramer {
  return new StxEtxFramer({ start: STX, end: ETX, maxLength: MAX_REPORT_BYTES });
}

/**
 * A control byte other than CR and LF inside a report (C0, DEL, C1): the report is damaged.
 * Latin-1 letters are allowed (a name printed with accents is text, not damage).
 */
export function hasDamage(body: string): boolean {
  return /[\u0000-\u0009\u000b\u000c\u000e-\u001f\u007f-\u009f]/.test(body);
}

/**
 * The report's lines. The document shows CR LF; a lone CR or LF is taken as a line end too,
 * since a printout line never holds either (PROTOCOL.md §2).
 */
export function reportLines(body: string): string[] {
  const lines = body.split(/\r\n|\r|\n/);
  // The last line is ended by CR LF before ETX, which leaves one empty string after the split.
  if (lines.at(-1) === '') lines.pop();
  return lines;
}
