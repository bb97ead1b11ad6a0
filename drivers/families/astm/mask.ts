import { ASTM, hex2, sum8 } from '../../kit/index.ts';
import { E1394_DEFAULT_DELIMITERS, delimitersFromHeader, type AstmDelimiters } from './records.ts';

/**
 * Masking of patient identity in an E1381/E1394 byte stream, for recorded traces (docs/trace-format.md §4.2).
 *
 * What is masked (field numbers 1-based, as E1394 counts them):
 * - P (patient) records: fields 3–8 — practice-, laboratory- and third patient id, patient name,
 *   mother's maiden name, birth date;
 * - O (order) records: fields 3–4 — specimen id and instrument specimen id;
 * - C (comment) records: field 4 — the comment text, which can hold anything a person typed.
 * Every character of those fields except the message's delimiters becomes `0` (digits) or `X`
 * (anything else), so the record keeps its length and shape. Each frame whose text changed gets
 * its checksum recomputed; a frame that arrived with a wrong checksum keeps exactly the same
 * error (the difference between sent and right sum is kept), so a NAK in the trace still fits.
 *
 * Shared by every ASTM driver's trace hooks (the Contour meters, the urine analyzers).
 */
export function maskAstmStream(stream: Uint8Array): Uint8Array {
  const out = Uint8Array.from(stream);
  const frames = findFrames(out);
  // The records' text runs across frames (ETB); positions map text characters back to the stream.
  const positions: number[] = [];
  for (const f of frames) for (let i = f.textStart; i < f.textEnd; i++) positions.push(i);
  let delimiters: AstmDelimiters = E1394_DEFAULT_DELIMITERS;
  let recordStart = 0;
  for (let k = 0; k <= positions.length; k++) {
    const at = positions[k];
    if (at !== undefined && out[at] !== ASTM.CR) continue;
    const record = positions.slice(recordStart, k);
    recordStart = k + 1;
    const text = String.fromCharCode(...record.map((p) => out[p] ?? 0));
    if (text[0] === 'H') delimiters = delimitersFromHeader(text) ?? delimiters;
    maskRecord(out, record, text, delimiters);
  }
  for (const f of frames) {
    if (!f.changed(out)) continue;
    const computedBefore = sum8(stream, f.start + 1, f.end + 1);
    const sent = parseInt(String.fromCharCode(stream[f.end + 1] ?? 0, stream[f.end + 2] ?? 0), 16);
    if (Number.isNaN(sent)) continue;
    const fixed = hex2(sum8(out, f.start + 1, f.end + 1) + sent - computedBefore);
    out[f.end + 1] = fixed.charCodeAt(0);
    out[f.end + 2] = fixed.charCodeAt(1);
  }
  return out;
}

/** Fields masked per record type, 1-based. */
const MASKED_FIELDS: Readonly<Record<string, readonly number[]>> = { P: [3, 4, 5, 6, 7, 8], O: [3, 4], C: [4] };

function maskRecord(out: Uint8Array, record: readonly number[], text: string, d: AstmDelimiters): void {
  const fields = MASKED_FIELDS[text[0]?.toUpperCase() ?? ''];
  if (!fields) return;
  const keep = new Set([d.field, d.repeat, d.component, d.escape]);
  let field = 1;
  for (let i = 0; i < text.length; i++) {
    const c = text[i] ?? '';
    if (c === d.field) field++;
    else if (fields.includes(field) && !keep.has(c)) out[record[i] ?? 0] = /[0-9]/.test(c) ? 0x30 : 0x58;
  }
}

interface FrameAt {
  /** Index of STX. */
  start: number;
  textStart: number;
  /** Index of ETX/ETB (text ends before it). */
  textEnd: number;
  end: number;
  changed(now: Uint8Array): boolean;
}

/** Whole frames `STX FN text ETX|ETB C1 C2 CR LF` in the stream; anything else is left alone. */
function findFrames(stream: Uint8Array): FrameAt[] {
  const frames: FrameAt[] = [];
  const original = Uint8Array.from(stream);
  for (let i = stream.indexOf(ASTM.STX); i >= 0 && i < stream.length; i = stream.indexOf(ASTM.STX, i + 1)) {
    let j = i + 1;
    while (j < stream.length && stream[j] !== ASTM.ETX && stream[j] !== ASTM.ETB && stream[j] !== ASTM.STX) j++;
    // Cut short by a new STX, or not whole yet (C1 C2 CR LF missing): not a frame to mask.
    if (j + 4 >= stream.length || stream[j] === ASTM.STX) continue;
    const end = j;
    const start = i;
    frames.push({
      start,
      textStart: i + 2,
      textEnd: end,
      end,
      changed: (now) => now.subarray(start, end).some((b, k) => b !== original[start + k]),
    });
    i = end;
  }
  return frames;
}
