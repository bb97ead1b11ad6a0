import { latin1 } from '../../kit/index.ts';

/** One stored measurement as the monitor keeps it (PROTOCOL.md §5). */
export interface StoredMeasurement {
  /** `YYYY-MM-DDTHH:MM:SS` as stored, or undefined when the stored date is no date. */
  deviceTime: string | undefined;
  /** The six time bytes as stored, for messages and the fingerprint when the date is invalid. */
  timeBytes: readonly number[];
  /** Byte 6: the user/unit number [INFERRED]. */
  unit: number;
  systolic: number;
  diastolic: number;
  pulse: number;
  irregularHeartbeat: boolean;
  bodyMovement: boolean;
  /** TruRead: 0 = a single measurement, 1–3 = which of three averaged readings [INFERRED]. */
  truReadIndex: number;
}

/** Flags word bits (PROTOCOL.md §5; issue corrections to the notes, INFERRED). */
const FLAG_IRREGULAR = 0x0001;
const FLAG_MOVEMENT = 0x0002;
const TRUREAD_MASK = 0x0030;
const TRUREAD_SHIFT = 4;

const pad2 = (n: number): string => n.toString().padStart(2, '0');

/** The stored date and time as local ISO text; undefined when a field is out of range. */
function storedTime(b: readonly number[]): string | undefined {
  const [yy, mo, dd, hh, mi, ss] = b as [number, number, number, number, number, number];
  if (yy > 99 || mo < 1 || mo > 12 || dd < 1 || hh > 23 || mi > 59 || ss > 59) return undefined;
  const year = 2000 + yy;
  // Day checked against the month's real length (a 31 February is damage, not a date).
  if (dd > new Date(Date.UTC(year, mo, 0)).getUTCDate()) return undefined;
  return `${year}-${pad2(mo)}-${pad2(dd)}T${pad2(hh)}:${pad2(mi)}:${pad2(ss)}`;
}

export type DecodeMeasurement = { ok: true; record: StoredMeasurement } | { ok: false; reason: string };

/**
 * The 14 data bytes of a checked GME answer (checksum last) → a measurement, or why it is none.
 * Values outside what a cuff can measure are refused, not clamped (PROTOCOL.md §5).
 */
export function decodeMeasurement(data: Uint8Array): DecodeMeasurement {
  if (data.length !== 14) return { ok: false, reason: `a reading has 14 bytes, not ${data.length}` };
  const b = Array.from(data);
  const timeBytes = b.slice(0, 6);
  const systolic = ((b[7] ?? 0) << 8) | (b[8] ?? 0);
  const diastolic = b[9] ?? 0;
  const pulse = b[10] ?? 0;
  const flags = ((b[11] ?? 0) << 8) | (b[12] ?? 0);
  if (systolic === 0 && diastolic === 0 && pulse === 0) return { ok: false, reason: 'an empty memory slot (no values)' };
  if (systolic < 20 || systolic > 300 || diastolic < 10 || diastolic >= systolic || pulse < 20 || pulse > 250) {
    return { ok: false, reason: `values out of a cuff's range (SYS ${systolic}, DIA ${diastolic}, pulse ${pulse})` };
  }
  return {
    ok: true,
    record: {
      deviceTime: storedTime(timeBytes),
      timeBytes,
      unit: b[6] ?? 0,
      systolic,
      diastolic,
      pulse,
      irregularHeartbeat: (flags & FLAG_IRREGULAR) !== 0,
      bodyMovement: (flags & FLAG_MOVEMENT) !== 0,
      truReadIndex: (flags & TRUREAD_MASK) >> TRUREAD_SHIFT,
    },
  };
}

/**
 * The reading count of a checked GDC answer: data bytes 2–3, big-endian (PROTOCOL.md §4,
 * INFERRED: the notes name byte 3; byte 2 is 0 in their example and GME's index has two bytes).
 */
export function decodeCount(data: Uint8Array): number | undefined {
  return data.length === 5 ? ((data[2] ?? 0) << 8) | (data[3] ?? 0) : undefined;
}

/** The model/version text of a checked VER answer (PROTOCOL.md §4), printable ASCII trimmed. */
export function decodeVersion(data: Uint8Array): string | undefined {
  const text = latin1(data.subarray(0, data.length - 1)).trim();
  return /^[\x20-\x7e]+$/.test(text) ? text : undefined;
}
