import type { ErrorCode } from '../../../shared/errors.ts';
import { localDateTime } from '../../../shared/time.ts';
import { parseLine } from './protocol.ts';

/**
 * One ASCII 1 line in Masimo's own terms (PROTOCOL.md §3–5): nothing here says what is valid
 * or how it maps to our codes; that is normalize.ts.
 */
export interface Rad8Record {
  /** Device local time `YYYY-MM-DDTHH:MM:SS`; the two-digit year is read as 20YY. */
  time: string;
  /** `SN` when it is 10 digits; absent when dashed (`----------`) or not sent (Radical-5). */
  serial?: string;
  /** Every `KEY=VALUE` as printed (`%` kept), in line order. */
  fields: ReadonlyMap<string, string>;
  /** SpO2 in %, absent when dashed. */
  spo2?: number;
  /** Pulse rate in /min, absent when dashed. */
  pulse?: number;
  /** ALARM bit field; 0 when the line has no ALARM. */
  alarm: number;
  /** EXC bit field. */
  exception: number;
  /** EXC1 bit field (newer Radical-7); 0 when the line has none. */
  exception1: number;
  /** Names of the ALARM bits set (PROTOCOL.md §4); an unknown bit as `bit-0x…`. */
  alarms: string[];
  /** Names of the EXC bits set (PROTOCOL.md §5), `masimo-set` included; an unknown bit as `bit-0x…`. */
  exceptions: string[];
  /** EXC1 bits set, as `bit-0x…` (their meaning is not published). */
  exceptions1: string[];
  /** The line's bytes, without its terminator. */
  raw: Uint8Array;
}

export type DecodeResult =
  | { ok: true; record: Rad8Record }
  | { ok: false; code: Extract<ErrorCode, 'PROTOCOL_GARBAGE' | 'PROTOCOL_UNEXPECTED'>; message: string };

/** ALARM bits, PROTOCOL.md §4 (from MD PnP; 0x0080 is reserved, so unnamed). */
const ALARM_BITS: readonly (readonly [bit: number, name: string])[] = [
  [0x0001, 'spo2-high'],
  [0x0002, 'spo2-low'],
  [0x0004, 'pulse-high'],
  [0x0008, 'pulse-low'],
  [0x0010, 'active'],
  [0x0020, 'silenced'],
  [0x0040, 'low-battery'],
  [0x0100, 'spco-high'],
  [0x0200, 'spco-low'],
  [0x0400, 'spmet-high'],
  [0x0800, 'spmet-low'],
  [0x1000, 'desat-index'],
  [0x2000, 'pi-delta'],
];

/** EXC bits, PROTOCOL.md §5 (low 12 bits from the Rad-8 manual, higher ones MD PnP; 0x0200 reserved). */
const EXCEPTION_BITS: readonly (readonly [bit: number, name: string])[] = [
  [0x000001, 'no-sensor'],
  [0x000002, 'defective-sensor'],
  [0x000004, 'low-perfusion'],
  [0x000008, 'pulse-search'],
  [0x000010, 'interference'],
  [0x000020, 'sensor-off'],
  [0x000040, 'ambient-light'],
  [0x000080, 'unrecognized-sensor'],
  [0x000100, 'incompatible-sensor'],
  [0x000400, 'low-signal-iq'],
  [0x000800, 'masimo-set'],
  [0x001000, 'no-cable'],
  [0x002000, 'cable-life-expired'],
  [0x004000, 'incompatible-cable'],
  [0x008000, 'unrecognized-cable'],
  [0x010000, 'defective-cable'],
  [0x020000, 'sensor-calibrating'],
  [0x040000, 'sensor-life-expired'],
  [0x080000, 'emitter-temperature'],
  [0x100000, 'sensor-current-limit'],
  [0x200000, 'spco-low-confidence'],
  [0x400000, 'spmet-low-confidence'],
];

/** Keys a line needs to be a sample (PROTOCOL.md §3: present on every model and firmware seen). */
const REQUIRED_KEYS = ['SPO2', 'BPM', 'EXC'] as const;
/** Hex fields are read as numbers; more significant digits than this cannot be exact. */
const MAX_HEX_DIGITS = 13;
const SERIAL = /^\d{10}$/;
const DECIMAL = /^\d+(?:\.\d+)?$/;
const HEX = /^[0-9A-Fa-f]+$/;

/** Unavailable values are dashes: the second character is `-` (`---`, `--.-%`, `+--`), or only dashes. */
export function isUnavailable(value: string): boolean {
  return value[1] === '-' || /^[-+.%]+$/.test(value);
}

/** The value without a trailing `%`. */
function stripPercent(value: string): string {
  return value.endsWith('%') ? value.slice(0, -1) : value;
}

/** Names of the bits set in `value`, from `table`; unknown bits as `bit-0x` + `width` hex digits. */
function bitNames(value: number, table: readonly (readonly [number, string])[], width: number): string[] {
  const names: string[] = [];
  for (let bit = 1, rest = value; rest > 0; bit *= 2, rest = Math.floor(rest / 2)) {
    if (rest % 2 === 0) continue;
    const known = table.find(([b]) => b === bit);
    names.push(known ? known[1] : `bit-0x${bit.toString(16).toUpperCase().padStart(width, '0')}`);
  }
  return names;
}

const garbage = (message: string): DecodeResult => ({ ok: false, code: 'PROTOCOL_GARBAGE', message });

/** A bad field inside one line; caught in decodeLine, so it never leaves the decoder. */
class Malformed {
  constructor(readonly message: string) {}
}

function hex(key: string, value: string | undefined): number {
  if (value === undefined) return 0;
  const digits = value.replace(/^0+(?=.)/, '');
  if (!HEX.test(value) || digits.length > MAX_HEX_DIGITS) throw new Malformed(`${key}=${value} is not a hex bit field`);
  return parseInt(digits, 16);
}

function measured(key: string, value: string | undefined, max: number): number | undefined {
  if (value === undefined || isUnavailable(value)) return undefined;
  const digits = stripPercent(value);
  const n = Number(digits);
  if (!DECIMAL.test(digits) || n > max) throw new Malformed(`${key}=${value} is not a number from 0 to ${max}`);
  return n;
}

/**
 * Decode one line (without terminator). Malformed input is a result, never an exception:
 * no prefix, a token that is not `KEY=VALUE`, an impossible date, a repeated key, a bad
 * number or hex field → PROTOCOL_GARBAGE; a well-formed line without SPO2, BPM and EXC →
 * PROTOCOL_UNEXPECTED (another output mode or firmware).
 */
export function decodeLine(raw: Uint8Array): DecodeResult {
  const parsed = parseLine(raw);
  if (!parsed.ok) return garbage(parsed.message);
  const { line } = parsed;
  const time = localDateTime(2000 + line.year2, line.month, line.day, line.hour, line.minute, line.second);
  if (time === undefined) return garbage('the line starts with an impossible date or time');
  const fields = new Map<string, string>();
  for (const [key, value] of line.tokens) {
    if (fields.has(key)) return garbage(`key ${key} appears twice`);
    fields.set(key, value);
  }
  const missing = REQUIRED_KEYS.filter((k) => !fields.has(k));
  if (missing.length > 0) return { ok: false, code: 'PROTOCOL_UNEXPECTED', message: `line without ${missing.join(', ')} (is the output mode ASCII 1?)` };
  try {
    const alarm = hex('ALARM', fields.get('ALARM'));
    const exception = hex('EXC', fields.get('EXC'));
    const exception1 = hex('EXC1', fields.get('EXC1'));
    const record: Rad8Record = {
      time,
      fields,
      alarm,
      exception,
      exception1,
      alarms: bitNames(alarm, ALARM_BITS, 4),
      exceptions: bitNames(exception, EXCEPTION_BITS, 6),
      exceptions1: bitNames(exception1, [], 8),
      raw,
    };
    const sn = fields.get('SN');
    if (sn !== undefined && SERIAL.test(sn)) record.serial = sn;
    const spo2 = measured('SPO2', fields.get('SPO2'), 100);
    if (spo2 !== undefined) record.spo2 = spo2;
    const pulse = measured('BPM', fields.get('BPM'), 999);
    if (pulse !== undefined) record.pulse = pulse;
    return { ok: true, record };
  } catch (e) {
    if (e instanceof Malformed) return garbage(e.message);
    throw e;
  }
}
