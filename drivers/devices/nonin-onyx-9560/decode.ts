import type { ErrorCode } from '../../../shared/errors.ts';
import { localDateTime } from '../../../shared/time.ts';
import { describeBytes } from '../../kit/index.ts';
import { DF13_MIN_DATA } from './protocol.ts';

/** The missing-data codes of every format (PROTOCOL.md §4–6). */
export const HR_MISSING = 511;
export const SPO2_MISSING = 127;

/** A DF13 spot-check record in Nonin's terms (PROTOCOL.md §4); what it means is normalize.ts. */
export interface SpotCheckRecord {
  /** The device's local time of the measurement, `YYYY-MM-DDTHH:MM:SS`. */
  deviceTime: string;
  /** SPA: a high-quality SmartPoint measurement. */
  highQuality: boolean;
  /** NOMS: no measurement was made. */
  noMeasurement: boolean;
  /** MEM: forwarded from memory (measured while the link was down). */
  fromMemory: boolean;
  lowBattery: boolean;
  /** Pulse rate in /min; 511 = missing. */
  hr: number;
  /** SpO2 in %; 127 = missing. */
  spo2: number;
  raw: Uint8Array;
}

/** A DF8 or DF7 display sample (PROTOCOL.md §5–6). */
export interface DisplaySample {
  hr: number;
  spo2: number;
  /** Sensor alarm (DF8 SNSF, DF7 SNSA): the finger is out or the sensor is off. */
  sensorAlarm: boolean;
  /** Out of track (OOT). */
  outOfTrack: boolean;
  artifact: boolean;
  lowPerfusion: boolean;
  lowBattery: boolean;
}

type Problem = { ok: false; code: Extract<ErrorCode, 'PROTOCOL_GARBAGE' | 'PROTOCOL_CHECKSUM'>; message: string };
export type Decoded<T> = { ok: true; value: T } | Problem;

const fail = (code: Problem['code'], message: string): Problem => ({ ok: false, code, message });

/** A BCD byte's value, or undefined when a nibble is above 9. */
function bcd(b: number): number | undefined {
  const hi = b >> 4;
  const lo = b & 0x0f;
  return hi > 9 || lo > 9 ? undefined : hi * 10 + lo;
}

/** The byte at `i` (0-based) of a frame the framer has already sized. */
const at = (bytes: Uint8Array, i: number): number => bytes[i] ?? 0;

/**
 * Decode a DF13 record (header, length and ETX checked by the framer). The checksum is the low
 * byte of the sum of the data section (bytes 7 to 6+length, 1-based); the date is BCD. Never throws.
 */
export function decodeSpotCheck(bytes: Uint8Array): Decoded<SpotCheckRecord> {
  const dataLength = (at(bytes, 4) << 8) | at(bytes, 5);
  if (dataLength < DF13_MIN_DATA || bytes.length !== 6 + dataLength + 2) return fail('PROTOCOL_GARBAGE', `DF13 record of ${bytes.length} bytes does not match its length field ${dataLength}`);
  let sum = 0;
  for (let i = 6; i < 6 + dataLength; i++) sum += at(bytes, i);
  const checksum = at(bytes, 6 + dataLength);
  if ((sum & 0xff) !== checksum) return fail('PROTOCOL_CHECKSUM', `DF13 checksum 0x${checksum.toString(16).padStart(2, '0')} but the data sums to 0x${(sum & 0xff).toString(16).padStart(2, '0')}: ${describeBytes(bytes)}`);
  const [century, year, month, day, hour, minute, second] = [6, 7, 8, 9, 10, 11, 12].map((i) => bcd(at(bytes, i)));
  const time = century === undefined || year === undefined || month === undefined || day === undefined || hour === undefined || minute === undefined || second === undefined ? undefined : localDateTime(century * 100 + year, month, day, hour, minute, second);
  if (time === undefined) return fail('PROTOCOL_GARBAGE', `DF13 record with an impossible date/time: ${describeBytes(bytes.subarray(6, 13))}`);
  const statusMsb = at(bytes, 14);
  const statusLsb = at(bytes, 15);
  return {
    ok: true,
    value: {
      deviceTime: time,
      highQuality: (statusMsb & 0x02) !== 0,
      noMeasurement: (statusMsb & 0x01) !== 0,
      fromMemory: (statusLsb & 0x10) !== 0,
      lowBattery: (statusLsb & 0x01) !== 0,
      hr: ((at(bytes, 16) & 0x01) << 8) | at(bytes, 17),
      spo2: at(bytes, 19) & 0x7f,
      raw: bytes,
    },
  };
}

/** Decode the read-clock reply `02 F2 06 YY MM DD hh mm ss 03` (binary fields) to local time. */
export function decodeClockReply(bytes: Uint8Array): Decoded<string> {
  const [y, mo, d, h, mi, s] = [3, 4, 5, 6, 7, 8].map((i) => at(bytes, i)) as [number, number, number, number, number, number];
  const time = y > 99 ? undefined : localDateTime(2000 + y, mo, d, h, mi, s);
  if (time === undefined) return fail('PROTOCOL_GARBAGE', `clock reply with an impossible date/time: ${describeBytes(bytes)}`);
  return { ok: true, value: time };
}

/** Decode a DF8 frame (PROTOCOL.md §5); the framer has checked the bit-7 pattern. */
export function decodeDf8(bytes: Uint8Array): DisplaySample {
  const status = at(bytes, 0);
  const status2 = at(bytes, 3);
  return {
    hr: ((status & 0x03) << 7) | (at(bytes, 1) & 0x7f),
    spo2: at(bytes, 2) & 0x7f,
    sensorAlarm: (status2 & 0x08) !== 0,
    outOfTrack: (status & 0x20) !== 0,
    artifact: (status & 0x04) !== 0,
    lowPerfusion: (status & 0x10) !== 0,
    lowBattery: (status2 & 0x01) !== 0,
  };
}
