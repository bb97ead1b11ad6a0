/**
 * MDER, the Medical Device Encoding Rules of IEEE 11073-20601 (README.md §1): every integer is
 * big-endian, an octet string or `any` is a u16 length and its bytes, a list is a u16 count, a
 * u16 length and its elements. The reader never throws: reading past the end marks it `failed`
 * and yields zeros, and decoders check `failed` once at the end (a garbage APDU must become a
 * problem, never an exception).
 */
export class MderReader {
  private pos: number;
  /** Did any read go past the end of the buffer? */
  failed = false;

  constructor(
    private readonly data: Uint8Array,
    start = 0,
    private readonly end = data.length,
  ) {
    this.pos = start;
  }

  /** Bytes not yet read. */
  get remaining(): number {
    return Math.max(0, this.end - this.pos);
  }

  get offset(): number {
    return this.pos;
  }

  private take(n: number): number | undefined {
    if (n < 0 || this.pos + n > this.end) {
      this.failed = true;
      this.pos = this.end;
      return undefined;
    }
    const at = this.pos;
    this.pos += n;
    return at;
  }

  u8(): number {
    const at = this.take(1);
    return at === undefined ? 0 : (this.data[at] as number);
  }

  u16(): number {
    const at = this.take(2);
    return at === undefined ? 0 : ((this.data[at] as number) << 8) | (this.data[at + 1] as number);
  }

  u32(): number {
    const at = this.take(4);
    if (at === undefined) return 0;
    return ((this.data[at] as number) * 0x1000000 + (((this.data[at + 1] as number) << 16) | ((this.data[at + 2] as number) << 8) | (this.data[at + 3] as number))) >>> 0;
  }

  bytes(n: number): Uint8Array {
    const at = this.take(n);
    return at === undefined ? new Uint8Array(0) : this.data.slice(at, at + n);
  }

  /** An octet string or `any`: u16 length, then the bytes. */
  octetString(): Uint8Array {
    return this.bytes(this.u16());
  }

  /** A reader over the next `n` bytes, advancing this one past them. */
  sub(n: number): MderReader {
    const at = this.take(n);
    if (at === undefined) {
      const r = new MderReader(new Uint8Array(0));
      r.failed = true;
      return r;
    }
    return new MderReader(this.data, at, at + n);
  }
}

/** Builds MDER bytes; `u16`/`u32` keep only the low bits, so callers pass checked numbers. */
export class MderWriter {
  private readonly parts: number[] = [];

  u8(v: number): this {
    this.parts.push(v & 0xff);
    return this;
  }

  u16(v: number): this {
    this.parts.push((v >>> 8) & 0xff, v & 0xff);
    return this;
  }

  u32(v: number): this {
    this.parts.push((v >>> 24) & 0xff, (v >>> 16) & 0xff, (v >>> 8) & 0xff, v & 0xff);
    return this;
  }

  bytes(b: Uint8Array | readonly number[]): this {
    for (const x of b) this.parts.push(x & 0xff);
    return this;
  }

  /** u16 length, then the bytes. */
  octetString(b: Uint8Array | readonly number[]): this {
    return this.u16(b.length).bytes(b);
  }

  get length(): number {
    return this.parts.length;
  }

  finish(): Uint8Array {
    return Uint8Array.from(this.parts);
  }
}

/** The MDER SFLOAT special values (README.md §1). */
export const SFLOAT_SPECIAL = { nan: 0x07ff, nres: 0x0800, positiveInfinity: 0x07fe, negativeInfinity: 0x0802, reserved: 0x0801 } as const;

/** A decoded SFLOAT / FLOAT: a finite number with its decimals, or one of the special values. */
export type MderNumber =
  | { kind: 'number'; value: number; /** digits after the point the exponent implies (0 for exponent ≥ 0) */ decimals: number }
  | { kind: 'nan' | 'nres' | '+inf' | '-inf' | 'reserved' };

function scaled(mantissa: number, exponent: number): MderNumber {
  const decimals = exponent < 0 ? -exponent : 0;
  // Work in integers and divide once so 104 × 10^-1 is exactly 10.4, not 10.400000000000002.
  const value = exponent < 0 ? Number((mantissa / 10 ** decimals).toFixed(decimals)) : mantissa * 10 ** exponent;
  return { kind: 'number', value, decimals };
}

/** SFLOAT-Type: 4-bit signed exponent, 12-bit signed mantissa (README.md §1). */
export function decodeSfloat(raw: number): MderNumber {
  const v = raw & 0xffff;
  switch (v) {
    case SFLOAT_SPECIAL.nan:
      return { kind: 'nan' };
    case SFLOAT_SPECIAL.nres:
      return { kind: 'nres' };
    case SFLOAT_SPECIAL.positiveInfinity:
      return { kind: '+inf' };
    case SFLOAT_SPECIAL.negativeInfinity:
      return { kind: '-inf' };
    case SFLOAT_SPECIAL.reserved:
      return { kind: 'reserved' };
  }
  let mantissa = v & 0x0fff;
  if (mantissa >= 0x0800) mantissa -= 0x1000;
  let exponent = v >> 12;
  if (exponent >= 0x8) exponent -= 0x10;
  return scaled(mantissa, exponent);
}

/** FLOAT-Type: 8-bit signed exponent, 24-bit signed mantissa; specials at ±2^23 − 2… (README.md §1). */
export function decodeFloat(raw: number): MderNumber {
  const v = raw >>> 0;
  const m = v & 0xffffff;
  if (m === 0x7fffff) return { kind: 'nan' };
  if (m === 0x800000) return { kind: 'nres' };
  if (m === 0x7ffffe) return { kind: '+inf' };
  if (m === 0x800002) return { kind: '-inf' };
  if (m === 0x800001) return { kind: 'reserved' };
  const mantissa = m >= 0x800000 ? m - 0x1000000 : m;
  let exponent = v >>> 24;
  if (exponent >= 0x80) exponent -= 0x100;
  return scaled(mantissa, exponent);
}

/** An SFLOAT of `mantissa × 10^exponent`; the caller keeps mantissa in −2046…2045 and exponent in −8…7. */
export function encodeSfloat(mantissa: number, exponent = 0): number {
  return (((exponent & 0xf) << 12) | (mantissa & 0x0fff)) & 0xffff;
}

/** AbsoluteTime: eight BCD bytes, century year month day hour minute second hundredths (README.md §1). */
export interface AbsoluteTime {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  hundredths: number;
}

function bcd(byte: number): number | undefined {
  const hi = byte >> 4;
  const lo = byte & 0x0f;
  return hi > 9 || lo > 9 ? undefined : hi * 10 + lo;
}

const toBcd = (n: number): number => ((Math.floor(n / 10) % 10) << 4) | n % 10;

/** Eight BCD bytes → a time, or a reason when a digit is not BCD or a field is out of range. Never throws. */
export function decodeAbsoluteTime(b: Uint8Array): { ok: true; time: AbsoluteTime } | { ok: false; reason: string } {
  if (b.length !== 8) return { ok: false, reason: `an absolute time is 8 bytes, not ${b.length}` };
  const d = Array.from(b, bcd);
  if (d.some((x) => x === undefined)) return { ok: false, reason: 'a time byte is not BCD' };
  const [century, yy, month, day, hour, minute, second, hundredths] = d as number[];
  const time = { year: (century as number) * 100 + (yy as number), month: month as number, day: day as number, hour: hour as number, minute: minute as number, second: second as number, hundredths: hundredths as number };
  const daysInMonth = new Date(Date.UTC(time.year, time.month, 0)).getUTCDate();
  if (time.month < 1 || time.month > 12 || time.day < 1 || time.day > daysInMonth || time.hour > 23 || time.minute > 59 || time.second > 59) {
    return { ok: false, reason: `not a valid date and time (${formatAbsoluteTime(time)})` };
  }
  return { ok: true, time };
}

/** A time → eight BCD bytes. */
export function encodeAbsoluteTime(t: AbsoluteTime): Uint8Array {
  return Uint8Array.of(toBcd(Math.floor(t.year / 100)), toBcd(t.year % 100), toBcd(t.month), toBcd(t.day), toBcd(t.hour), toBcd(t.minute), toBcd(t.second), toBcd(t.hundredths));
}

const p2 = (n: number): string => String(n).padStart(2, '0');

/** `YYYY-MM-DDTHH:MM:SS`, the local device time of a reading (hundredths dropped). */
export function formatAbsoluteTime(t: AbsoluteTime): string {
  return `${String(t.year).padStart(4, '0')}-${p2(t.month)}-${p2(t.day)}T${p2(t.hour)}:${p2(t.minute)}:${p2(t.second)}`;
}

/** The inverse of formatAbsoluteTime for a local time string, or undefined when it is not one. */
export function absoluteTimeFromLocal(local: string): AbsoluteTime | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})/.exec(local);
  if (!m) return undefined;
  const [, y, mo, d, h, mi, s] = m.map(Number) as number[];
  return { year: y as number, month: mo as number, day: d as number, hour: h as number, minute: mi as number, second: s as number, hundredths: 0 };
}
