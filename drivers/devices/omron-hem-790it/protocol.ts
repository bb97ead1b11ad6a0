import { fromLatin1, xor8, type Framer, type FramerOutput } from '../../kit/index.ts';

/** Every report both ways is 8 bytes, no report id (PROTOCOL.md §1). */
export const REPORT_SIZE_BYTES = 8;
/** Byte 0 of a report counts the valid bytes after it; at most 7 (PROTOCOL.md §1). */
export const MAX_REPORT_DATA = REPORT_SIZE_BYTES - 1;

/** The two feature-report bytes that select a data mode (PROTOCOL.md §2). */
export const MODES = {
  deviceInfo: Uint8Array.of(0x01, 0x01),
  readings: Uint8Array.of(0x74, 0xbc),
} as const;
export type ModeName = keyof typeof MODES;

/** `OK` and `NO`, the first two bytes of every answer but END's (PROTOCOL.md §3). */
export const OK = fromLatin1('OK');
export const NO = fromLatin1('NO');
/** END's answer, with no checksum (PROTOCOL.md §3). */
export const OFF = 'OFF\r\n';

/** Data bytes of a GME reply (PROTOCOL.md §5). */
export const GME_DATA_BYTES = 14;
/** Data bytes of a GDC reply (PROTOCOL.md §4). */
export const GDC_DATA_BYTES = 5;
/** Data bytes of a VER reply: 11 ASCII characters and the checksum (PROTOCOL.md §4). */
export const VER_DATA_BYTES = 12;

/** One input report's valid bytes (its count byte applied), with the report as it came. */
export interface InputReport {
  data: Uint8Array;
  raw: Uint8Array;
}

/** Cut `bytes` into 8-byte output reports: count byte, up to 7 data bytes, zero padding. */
export function toReports(bytes: Uint8Array): Uint8Array[] {
  const reports: Uint8Array[] = [];
  for (let i = 0; i < bytes.length; i += MAX_REPORT_DATA) {
    const part = bytes.subarray(i, i + MAX_REPORT_DATA);
    const report = new Uint8Array(REPORT_SIZE_BYTES);
    report[0] = part.length;
    report.set(part, 1);
    reports.push(report);
  }
  return reports;
}

/** A command: three letters, argument bytes, XOR of the argument bytes (PROTOCOL.md §3). */
export function encodeCommand(letters: string, args: readonly number[]): Uint8Array {
  if (!/^[A-Z]{3}$/.test(letters)) throw new RangeError(`command ${letters} is not three capital letters`);
  const a = Uint8Array.from(args);
  return Uint8Array.from([...fromLatin1(letters), ...a, xor8(a)]);
}

/** `VER00`: the model/version text (PROTOCOL.md §4). */
export const VERSION_COMMAND = encodeCommand('VER', [0x30]);
/** `END` with its two 0xFF bytes; the monitor answers OFF and switches off (PROTOCOL.md §3). */
export const END_COMMAND = Uint8Array.of(0x45, 0x4e, 0x44, 0xff, 0xff);
/** How many readings a bank holds (PROTOCOL.md §4; the bank's place is INFERRED). */
export const countCommand = (bank: number): Uint8Array => encodeCommand('GDC', [0x00, bank, 0x00, 0x00]);
/** Reading `index` of `bank`, 0 = newest (PROTOCOL.md §5). */
export const readingCommand = (bank: number, index: number): Uint8Array => encodeCommand('GME', [0x00, bank, (index >> 8) & 0xff, index & 0xff]);

/**
 * Input reports → their valid bytes. A report whose count is 0 or over 7 or longer than the
 * report carries is damage: reported and dropped (a truncated report can never pass as whole).
 */
export class InputReportFramer implements Framer<InputReport> {
  push(chunk: Uint8Array): FramerOutput<InputReport> {
    const count = chunk[0] ?? 0;
    if (chunk.length !== REPORT_SIZE_BYTES || count === 0 || count > MAX_REPORT_DATA) {
      const why = chunk.length !== REPORT_SIZE_BYTES ? `a ${chunk.length}-byte report (reports are ${REPORT_SIZE_BYTES})` : `a report counting ${count} valid bytes`;
      return { frames: [], problems: [{ code: chunk.length < REPORT_SIZE_BYTES ? 'PROTOCOL_TRUNCATED' : 'PROTOCOL_GARBAGE', message: `${why}: skipped`, raw: Uint8Array.from(chunk) }] };
    }
    return { frames: [{ data: chunk.slice(1, 1 + count), raw: Uint8Array.from(chunk) }], problems: [] };
  }
  flush(): FramerOutput<InputReport> {
    return { frames: [], problems: [] };
  }
}

/** A whole answer: `OK 00` + data + XOR byte checked, or `NO`, or damage (PROTOCOL.md §3). */
export type ParsedAnswer =
  | { kind: 'ok'; data: Uint8Array }
  | { kind: 'no' }
  | { kind: 'bad'; code: 'PROTOCOL_CHECKSUM' | 'PROTOCOL_UNEXPECTED'; message: string };

/**
 * Check an answer of `dataBytes` bytes after `OK`: byte 2 is 0x00 and the last byte the XOR of
 * the ones between (PROTOCOL.md §3). `bytes` must already hold 2 + 1 + dataBytes bytes, or be `NO`.
 */
export function parseAnswer(bytes: Uint8Array, dataBytes: number): ParsedAnswer {
  if (bytes[0] === NO[0] && bytes[1] === NO[1]) return { kind: 'no' };
  if (bytes[0] !== OK[0] || bytes[1] !== OK[1]) return { kind: 'bad', code: 'PROTOCOL_UNEXPECTED', message: 'the answer starts with neither OK nor NO' };
  if (bytes.length !== 3 + dataBytes) return { kind: 'bad', code: 'PROTOCOL_UNEXPECTED', message: `the answer has ${bytes.length} bytes, not ${3 + dataBytes}` };
  if (bytes[2] !== 0x00) return { kind: 'bad', code: 'PROTOCOL_UNEXPECTED', message: `the byte after OK is 0x${(bytes[2] ?? 0).toString(16)}, not 0x00` };
  const data = bytes.slice(3);
  const sum = xor8(data, 0, data.length - 1);
  if (sum !== data[data.length - 1]) return { kind: 'bad', code: 'PROTOCOL_CHECKSUM', message: `checksum 0x${(data[data.length - 1] ?? 0).toString(16)} where the data XOR to 0x${sum.toString(16)}` };
  return { kind: 'ok', data };
}

/** The reply to a data command (OK + 00 + data) as the monitor sends it: checksum appended, in reports. */
export function answerReports(payload: Uint8Array): Uint8Array[] {
  return toReports(Uint8Array.from([...OK, 0x00, ...payload, xor8(payload)]));
}
