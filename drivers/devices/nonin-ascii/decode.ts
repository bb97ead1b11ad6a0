import type { ErrorCode } from '../../../shared/errors.ts';
import { latin1 } from '../../kit/index.ts';

/** One data line in Nonin's own terms (PROTOCOL.md §2–3); what it means is normalize.ts. */
export interface NoninRecord {
  /** The `HH:MM:SS` prefix as printed (9847, 8600V); absent on the other models. */
  time?: string;
  /** SpO2 in % as printed; absent for `---` (no data). */
  spo2?: number;
  /** Pulse rate in /min as printed; absent for `---`. */
  pulse?: number;
  /** ` F` suffix: the oximeter is in fast (short averaging) mode (BT4000, Avant 9600 DIP8). */
  fast: boolean;
  /** `*` suffix: the operator pressed the event marker. */
  eventMarker: boolean;
  /** `B` suffix (9847): a breath was detected. */
  breath: boolean;
  /** The line's bytes, without its terminator. */
  raw: Uint8Array;
}

export type DecodeResult =
  | { ok: true; record: NoninRecord }
  /** A printable line that is no data line: the power-up header (PROTOCOL.md §4), skipped without a problem. */
  | { ok: false; header: true; text: string }
  | { ok: false; header: false; code: Extract<ErrorCode, 'PROTOCOL_GARBAGE'>; message: string };

/**
 * The data line (PROTOCOL.md §3): optional `HH:MM:SS `, `SPO2=`, `HR=`, each value three digits or
 * `---`. Fewer digits are accepted too: zero padding is inferred from the manuals' `XXX` only.
 * The suffix letters are read by `suffixes` (order and spacing are not published).
 */
const LINE = /^(?:(\d{2}):(\d{2}):(\d{2}) +)?SPO2=(\d{1,3}|---) +HR=(\d{1,3}|---)([ F*B]*)$/;
/** Printable ASCII (and tab): what a header line may hold. */
const PRINTABLE = /^[\t\x20-\x7e]*$/;

const garbage = (message: string): DecodeResult => ({ ok: false, header: false, code: 'PROTOCOL_GARBAGE', message });

/** The suffix letters, each at most once; undefined when a letter repeats. */
function suffixes(text: string): { fast: boolean; eventMarker: boolean; breath: boolean } | undefined {
  const letters = text.replace(/ /g, '');
  if (new Set(letters).size !== letters.length) return undefined;
  return { fast: letters.includes('F'), eventMarker: letters.includes('*'), breath: letters.includes('B') };
}

/**
 * Decode one line (without terminator). Never throws. A data line gives a record; a printable
 * line without `SPO2=` is a header line (skipped); anything else — binary bytes, a data line
 * that breaks the grammar, SpO2 above 100, an impossible time — is PROTOCOL_GARBAGE.
 */
export function decodeLine(raw: Uint8Array): DecodeResult {
  const text = latin1(raw).replace(/ +$/, '');
  if (!PRINTABLE.test(text)) return garbage('line with bytes that are not printable text (wrong baud rate or noise)');
  if (!text.includes('SPO2=')) return { ok: false, header: true, text };
  const m = LINE.exec(text);
  if (!m) return garbage(`not a Nonin data line "${text.slice(0, 40)}"`);
  const [, h, mi, s, spo2Text, pulseText, suffixText] = m;
  const flags = suffixes(suffixText ?? '');
  if (!flags) return garbage(`suffix "${(suffixText ?? '').trim()}" repeats a letter`);
  const record: NoninRecord = { ...flags, raw };
  if (h !== undefined && mi !== undefined && s !== undefined) {
    if (Number(h) > 23 || Number(mi) > 59 || Number(s) > 59) return garbage(`impossible time ${h}:${mi}:${s}`);
    record.time = `${h}:${mi}:${s}`;
  }
  if (spo2Text !== '---') {
    const spo2 = Number(spo2Text);
    if (spo2 > 100) return garbage(`SPO2=${spo2Text} is above 100 %`);
    record.spo2 = spo2;
  }
  if (pulseText !== '---') record.pulse = Number(pulseText);
  return { ok: true, record };
}
