import { latin1 } from '../../kit/index.ts';

/** A number as the scale formats it, the text kept for its printed decimals (PROTOCOL.md §3). */
export interface Printed {
  readonly value: number;
  readonly text: string;
}

/** One packet in the scale's own terms (PROTOCOL.md §2); absent fields were not sent or blank. */
export interface ScalePacket {
  /** `c` imperial (lb, in), `m` metric (kg, cm). */
  readonly units: 'imperial' | 'metric';
  readonly weight: Printed;
  readonly height?: Printed;
  readonly bmi?: Printed;
  readonly tare?: Printed;
  /** The patient id keyed in on the scale: never used to pick a patient (PROTOCOL.md §5). */
  readonly patientId?: string;
}

export type DecodedPacket = { ok: true; packet: ScalePacket } | { ok: false; reason: string };

const NUMBER = /^-?\d{1,4}(?:\.\d{1,3})?$/;
const KNOWN = new Set(['I', 'W', 'H', 'B', 'T', 'N']);

function number(letter: string, text: string): Printed | string | undefined {
  const t = text.trim();
  if (t === '') return undefined;
  if (!NUMBER.test(t)) return `${letter} "${t}" is not a number`;
  return { value: Number(t), text: t };
}

/**
 * One framed packet (`ESC R … ESC E`) as fields. The units field is required (the hub never
 * guesses units); a weight is required; a field sent twice, an unknown units letter or a
 * malformed number refuses the whole packet. Letters this driver does not know are skipped
 * (other models may add fields, PROTOCOL.md §2).
 */
export function decodePacket(frame: Uint8Array): DecodedPacket {
  const parts = latin1(frame).split('\x1b');
  if (parts[0] !== '' || parts[1] !== 'R' || parts[parts.length - 1] !== 'E') return { ok: false, reason: 'not an ESC R … ESC E packet' };
  const fields = new Map<string, string>();
  for (const part of parts.slice(2, -1)) {
    const letter = part.charAt(0);
    if (!KNOWN.has(letter)) continue;
    if (fields.has(letter)) return { ok: false, reason: `field ${letter} sent twice` };
    fields.set(letter, part.slice(1));
  }
  const n = fields.get('N')?.trim().toLowerCase();
  if (n === undefined) return { ok: false, reason: 'no N (units) field: the units are not stated' };
  if (n !== 'c' && n !== 'm') return { ok: false, reason: `units "${n}" are neither c (imperial) nor m (metric)` };
  const read: Partial<Record<'W' | 'H' | 'B' | 'T', Printed>> = {};
  for (const letter of ['W', 'H', 'B', 'T'] as const) {
    const r = number(letter, fields.get(letter) ?? '');
    if (typeof r === 'string') return { ok: false, reason: r };
    if (r) read[letter] = r;
  }
  if (!read.W) return { ok: false, reason: 'no weight (W) field' };
  const id = fields.get('I')?.trim();
  return {
    ok: true,
    packet: {
      units: n === 'c' ? 'imperial' : 'metric',
      weight: read.W,
      ...(read.H ? { height: read.H } : {}),
      ...(read.B ? { bmi: read.B } : {}),
      ...(read.T ? { tare: read.T } : {}),
      ...(id ? { patientId: id } : {}),
    },
  };
}
