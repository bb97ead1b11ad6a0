import type { ErrorCode } from '../../../shared/errors.ts';
import { latin1 } from '../../kit/index.ts';
import { REPLY_LENGTH, UNIT_ID, asciiChecksum, type Poll } from './protocol.ts';

/** NA: the last NIBP determination (PROTOCOL.md §3.1). Values are undefined when blank. */
export interface NibpReply {
  readonly poll: 'NA';
  /** 0 busy, 1 complete OK, 3 failed, 4–9 timeouts and errors. */
  readonly status: number;
  readonly patientType: number;
  /** Seconds since the determination; undefined for 9999 (none available). */
  readonly secondsSince: number | undefined;
  readonly systolic: number | undefined;
  readonly diastolic: number | undefined;
  readonly mean: number | undefined;
}

/** OA: SpO2 (PROTOCOL.md §3.2). */
export interface Spo2Reply {
  readonly poll: 'OA';
  /** 0 standby, 1 operating OK, 3 no data, 6 sensor unplugged. */
  readonly status: number;
  readonly spo2: number | undefined;
}

/** RA: pulse rate and its source (PROTOCOL.md §3.3). */
export interface RateReply {
  readonly poll: 'RA';
  /** 2 = pulse oximeter, 3 = NIBP; other digits are not documented. */
  readonly source: number;
  readonly rate: number | undefined;
}

/** TC: temperature (PROTOCOL.md §3.4). */
export interface TempReply {
  readonly poll: 'TC';
  /** 0 OK / idle, 1 in progress, 2 timeout, 3 contact lost, 4 aborted / probe error. */
  readonly status: number;
  /** Changes (one printable character, wrapping) on every new determination. */
  readonly counter: string;
  /** Undefined for 99999 (not available). */
  readonly secondsSince: number | undefined;
  /** Tenths of °F as printed (`0986`); undefined when blank or zero. */
  readonly tenthsF: number | undefined;
}

export type DinamapReply = NibpReply | Spo2Reply | RateReply | TempReply;

export type Decoded =
  | { ok: true; reply: DinamapReply; checksumOk: boolean; expected: string; got: string }
  | { ok: false; code: ErrorCode; reason: string };

/** A run of digits as a number; undefined when it holds anything else (blanks, `-99`). */
function digits(text: string): number | undefined {
  return /^\d+$/.test(text) ? Number(text) : undefined;
}

/** A positive measured value; 0 is what the monitor prints for "no value" (PROTOCOL.md §3). */
function measured(text: string): number | undefined {
  const n = digits(text);
  return n === undefined || n === 0 ? undefined : n;
}

/**
 * One reply line (CR removed) to the poll `poll`. Checked in order: the echo (unit id and the
 * poll's letters), the length, the status digits; then the checksum is recomputed and only
 * compared — a mismatch is returned for the caller to report, the fields are still decoded,
 * because the reply checksum is not yet confirmed by a capture (PROTOCOL.md §3).
 */
export function decodeReply(poll: Poll, line: Uint8Array): Decoded {
  const text = latin1(line);
  const echo = UNIT_ID + poll;
  if (!text.startsWith(echo)) return { ok: false, code: 'PROTOCOL_UNEXPECTED', reason: `reply does not echo "${poll}"` };
  if (text.length !== REPLY_LENGTH[poll]) return { ok: false, code: 'PROTOCOL_GARBAGE', reason: `${poll} reply is ${text.length} characters, not ${REPLY_LENGTH[poll]}` };
  const body = text.slice(0, -2);
  const got = text.slice(-2);
  const expected = asciiChecksum(body);
  const at = (from: number, to: number): string => body.slice(from, to);
  const status = digits(at(3, 4));
  if (status === undefined) return { ok: false, code: 'PROTOCOL_GARBAGE', reason: `${poll} status is not a digit` };
  let reply: DinamapReply | undefined;
  switch (poll) {
    case 'NA': {
      const patientType = digits(at(4, 5));
      const since = digits(at(6, 10));
      if (patientType === undefined || since === undefined) return { ok: false, code: 'PROTOCOL_GARBAGE', reason: 'NA patient type or age is not digits' };
      reply = { poll, status, patientType, secondsSince: since === 9999 ? undefined : since, systolic: measured(at(10, 13)), diastolic: measured(at(13, 16)), mean: measured(at(16, 19)) };
      break;
    }
    case 'OA':
      reply = { poll, status, spo2: measured(at(4, 7)) };
      break;
    case 'RA':
      reply = { poll, source: status, rate: measured(at(4, 7)) };
      break;
    case 'TC': {
      const since = digits(at(6, 11));
      if (since === undefined) return { ok: false, code: 'PROTOCOL_GARBAGE', reason: 'TC age is not digits' };
      reply = { poll, status, counter: at(5, 6), secondsSince: since === 99999 ? undefined : since, tenthsF: measured(at(11, 15)) };
      break;
    }
  }
  return { ok: true, reply, checksumOk: expected === got, expected, got };
}
