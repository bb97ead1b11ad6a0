import { LineFramer } from '../../kit/index.ts';

/**
 * The HBP-9030 link layer (PROTOCOL.md §1–2): ASCII lines ended by CR LF, no checksum, no
 * commands. A format-5 line is 53 characters and a 9020 `bp,…` line 47; anything far longer is
 * noise (a wrong baud rate on an RS-232 adapter, another output format).
 */
export const MAX_LINE_BYTES = 128;

/** Field positions of a format-5 line, 0-based (PROTOCOL.md §2.1). */
export const FORMAT5 = {
  count: 11,
  year: 0,
  month: 1,
  day: 2,
  hour: 3,
  minute: 4,
  patientId: 5,
  error: 6,
  systolic: 7,
  diastolic: 8,
  pulse: 9,
  movement: 10,
} as const;

/** Field positions of an HBP-9020 `bp,…` line, 0-based (PROTOCOL.md §2.2). */
export const BP_LINE = {
  count: 9,
  tag: 0,
  patientId: 1,
  date: 2,
  time: 3,
  systolic: 4,
  mean: 5,
  diastolic: 6,
  pulse: 7,
  status: 8,
} as const;

/** The first field of an HBP-9020 line: what tells the two layouts apart (PROTOCOL.md §2.2). */
export const BP_LINE_TAG = 'bp';

/** The longest patient ID the monitor prints (20 characters, space padded; PROTOCOL.md §2.1). */
export const PATIENT_ID_WIDTH = 20;

/** A framer for the monitor's lines (CR, LF or CR LF end a line; empty lines are dropped). */
export function createLineFramer(): LineFramer {
  return new LineFramer({ maxLength: MAX_LINE_BYTES });
}
