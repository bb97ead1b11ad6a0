import { localDateTime } from '../../../shared/time.ts';
import { CMD, ERROR_REPLIES, GLUE_RECORD_LENGTH, PROTOCOL_MARK, type Frame } from './protocol.ts';

/** Replies → values (drivers/devices/isens-caresens/PROTOCOL.md §3–6), pure. A reply of another command is never read as this one. */
export type Decoded<T> = { ok: true; value: T } | { ok: false; reason: string };

/** A meter local time with seconds, `YYYY-MM-DDTHH:MM:SS`, plus the parts. */
export interface MeterTime {
  deviceTime: string;
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

/** One GLUE record (drivers/devices/isens-caresens/PROTOCOL.md §6). */
export interface GlueRecord {
  time: Decoded<MeterTime>;
  flags: number;
  /** mg/dL for glucose; tenths of mmol/L for a ketone result. */
  value: number;
  raw: Uint8Array;
}

/** What the ECHO answer says (drivers/devices/isens-caresens/PROTOCOL.md §3); `unknown` when no marker byte is in it. */
export type ProtocolGeneration = 1 | 2 | 3 | 'unknown';

const pad2 = (n: number): string => String(n).padStart(2, '0');

function expect(frame: Frame, cmd: string): string | undefined {
  if (frame.cmd === cmd) return undefined;
  const error = ERROR_REPLIES[frame.cmd];
  return error ? `the meter answered ${frame.cmd} (${error})` : `a ${frame.cmd} reply where ${cmd} was asked for`;
}

/** The generation marked in an ECHO answer: `2E` (protocol 3) is looked for first, then `20`, then `2F`. */
export function decodeEcho(bytes: Uint8Array): ProtocolGeneration {
  if (bytes.includes(PROTOCOL_MARK.three)) return 3;
  if (bytes.includes(PROTOCOL_MARK.one)) return 1;
  if (bytes.includes(PROTOCOL_MARK.two)) return 2;
  return 'unknown';
}

/** `YY MM DD hh mm ss` → a local time, or why it is not one. */
export function decodeTime(b: Uint8Array, at = 0): Decoded<MeterTime> {
  const [yy = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0] = b.subarray(at, at + 6);
  const year = 2000 + yy;
  const deviceTime = localDateTime(year, month, day, hour, minute, second);
  if (deviceTime === undefined) return { ok: false, reason: `${year}-${pad2(month)}-${pad2(day)} ${pad2(hour)}:${pad2(minute)}:${pad2(second)} is not a calendar time` };
  return { ok: true, value: { deviceTime, year, month, day, hour, minute, second } };
}

/** RSNB: ASCII serial plus one trailing byte, which is dropped; spaces and NULs trimmed. */
export function decodeSerial(frame: Frame): Decoded<string> {
  const wrong = expect(frame, CMD.serial);
  if (wrong) return { ok: false, reason: wrong };
  const text = String.fromCharCode(...frame.payload.subarray(0, Math.max(0, frame.payload.length - 1))).replace(/[\0\s]+/g, ' ').trim();
  if (!/^[\x20-\x7e]+$/.test(text)) return { ok: false, reason: 'the serial number is empty or not printable' };
  return { ok: true, value: text };
}

/** RTIM, and WTIM's echo of the time that was set. */
export function decodeClock(frame: Frame, cmd: typeof CMD.readClock | typeof CMD.setClock = CMD.readClock): Decoded<MeterTime> {
  const wrong = expect(frame, cmd);
  if (wrong) return { ok: false, reason: wrong };
  if (frame.payload.length < 6) return { ok: false, reason: `a ${cmd} reply of ${frame.payload.length} bytes (6 expected)` };
  return decodeTime(frame.payload);
}

/** NCOT: the record count, u16 big-endian. */
export function decodeCount(frame: Frame): Decoded<number> {
  const wrong = expect(frame, CMD.count);
  if (wrong) return { ok: false, reason: wrong };
  if (frame.payload.length < 2) return { ok: false, reason: `a count reply of ${frame.payload.length} bytes` };
  return { ok: true, value: ((frame.payload[0] ?? 0) << 8) | (frame.payload[1] ?? 0) };
}

/**
 * GLUE: `asked` 9-byte records. The reply has no CRC, so its length is the only integrity check
 * there is: a reply of another length is refused (asked again), never cut to fit.
 */
export function decodeGlue(frame: Frame, asked: number): Decoded<GlueRecord[]> {
  const wrong = expect(frame, CMD.glucose);
  if (wrong) return { ok: false, reason: wrong };
  if (frame.payload.length !== asked * GLUE_RECORD_LENGTH) return { ok: false, reason: `${frame.payload.length} record bytes where ${asked} records (${asked * GLUE_RECORD_LENGTH} bytes) were asked for` };
  const records: GlueRecord[] = [];
  for (let at = 0; at < frame.payload.length; at += GLUE_RECORD_LENGTH) {
    const raw = frame.payload.slice(at, at + GLUE_RECORD_LENGTH);
    records.push({ time: decodeTime(raw), flags: raw[6] ?? 0, value: ((raw[7] ?? 0) << 8) | (raw[8] ?? 0), raw });
  }
  return { ok: true, value: records };
}
