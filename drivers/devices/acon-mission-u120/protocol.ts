import { StxEtxFramer, type Framer, type FramerOutput } from '../../kit/index.ts';

/**
 * The Mission U120 / Consult 120 link layer (PROTOCOL.md §2): one report per sample between STX
 * and ETX, lines ended by CR LF, no checksum, nothing sent by the host.
 */

export const STX = 0x02;
export const ETX = 0x03;

/**
 * Longest report accepted, STX and ETX included. An 11-parameter report is about 450 bytes; a
 * report four times that long is two reports glued by a lost ETX and STX, or noise.
 */
export const MAX_REPORT_BYTES = 2048;

/**
 * Quiet time, in ms, after which a report still waiting for its ETX is given up (PROTOCOL.md §2):
 * a whole report takes about half a second at 9600 baud, so ten seconds without a byte means
 * the rest is not coming (cable pulled, analyzer switched off mid-report).
 */
export const REPORT_IDLE_MS = 10_000;

/** Header lines (PROTOCOL.md §3): the text after the tag, trimmed. */
export const HEADER = {
  sampleId: /^ID:(.*)$/,
  date: /^Date:(.*)$/,
  operator: /^Operator:(.*)$/,
  sequence: /^No\.(.*)$/,
} as const;

/** `15-05-2026 16:51`, `03-09-2026 12:42 pm` (day first, PROTOCOL.md §3). */
export const DATE_TIME = /^(\d{1,2})-(\d{1,2})-(\d{4})\s+(\d{1,2}):(\d{2})(?:\s*([AaPp])[Mm])?$/;

/** The abnormal mark before an analyte label (PROTOCOL.md §4). */
export const ABNORMAL_MARK = '*';
/** An analyte label: letters, at most 6 (`LEU`, `pH`, `SG`, `ASC`). */
export const LABEL = /^[A-Za-z][A-Za-z.]{0,5}$/;
/** The grade column (PROTOCOL.md §4): `-`, `+-`, `+/-`, `1+`…`4+`, a bare `+`. */
export const GRADE = /^(?:-|\+-|\+\/-|[1-4]\+|\+)$/;
/** A printed number, with a comparator should the analyzer print one (`>=1.030`) [INFERRED]. */
export const NUMBER = /^(?:>=|<=|>|<)?\d+(?:\.\d+)?$/;
/** A result word (`neg`, `pos`, `normal`). */
export const WORD = /^[A-Za-z]+$/;
/** A unit after a number (`mg/dL`, `Leu/uL`, `Ery/uL`, `mmol/L`, `E.U./dL`). */
export const UNIT = /^[A-Za-z.]+\/[A-Za-z]+$/;

/**
 * The report framer: the kit's STX…ETX framer, with its problems said in the analyzer's terms.
 * It also tells the session whether a report is open after each chunk, so that a report whose
 * ETX never comes is given up {@link REPORT_IDLE_MS} after its last byte (PROTOCOL.md §2).
 */
export class ReportFramer implements Framer {
  private readonly inner = new StxEtxFramer({ start: STX, end: ETX, maxLength: MAX_REPORT_BYTES });
  /** Has an STX come without its ETX yet? */
  open = false;

  /**
   * @param hooks.afterPush called after every chunk, with {@link open} up to date (the session
   *   arms or cancels its idle timer there).
   * @param hooks.idleFlush true while the session gives a stalled report up (the flush says so).
   */
  constructor(private readonly hooks: { afterPush?: () => void; idleFlush?: () => boolean } = {}) {}

  push(chunk: Uint8Array): FramerOutput {
    for (const b of chunk) {
      if (b === STX) this.open = true;
      else if (b === ETX) this.open = false;
    }
    const out = reword(this.inner.push(chunk), false, false);
    this.hooks.afterPush?.();
    return out;
  }

  flush(): FramerOutput {
    this.open = false;
    return reword(this.inner.flush(), true, this.hooks.idleFlush?.() ?? false);
  }
}

/**
 * The kit's framing problems said in the analyzer's terms. A truncation found by `push` is always
 * a new STX before the ETX; one found by `flush` is the link ending, or (when the session gives
 * the report up) its idle time running out. Noise keeps the kit's byte count.
 */
function reword(out: FramerOutput, fromFlush: boolean, idle: boolean): FramerOutput {
  for (const p of out.problems) {
    if (p.code === 'PROTOCOL_TRUNCATED') {
      if (!fromFlush) p.message = 'report cut short (the next report began before its ETX): nothing read from it';
      else if (idle) p.message = `report cut short (no ETX within ${REPORT_IDLE_MS / 1000} s of its last byte): nothing read from it`;
      else p.message = 'report cut short (the link ended before its ETX): nothing read from it';
    } else if (p.code === 'PROTOCOL_GARBAGE' && !p.message.startsWith('frame longer')) {
      p.message = `${p.raw.length} byte(s) outside a report skipped (no STX before them)`;
    }
  }
  return out;
}
