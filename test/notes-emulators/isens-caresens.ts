/**
 * An i-SENS iSPc meter (protocol 3), built from the glucose-meters-2 protocol notes §5 only, never
 * from the driver or its simulator: the independent other end for the isens-caresens driver.
 * The meter itself (`IspcNotesMeter`) works on a byte stream; `cp2110Bridge` and `shineHid` put it
 * behind the two HID links the notes list (§5.1), and a test puts it on a serial port as it is.
 */
import type { Link } from '../../drivers/kit/index.ts';

/** §5.3 framing bytes. */
const STX = 0x02;
const ETX = 0x03;
const MAGIC = [0x69, 0x53, 0x50, 0x63]; // 'iSPc'
/** §5.2: the ECHO byte, and the protocol marks a meter answers with. */
export const ECHO = 0x80;
export const MARK = { protocol1: 0x20, protocol3: 0x2e, protocol2: 0x2f } as const;
/** §5.3: GLUE asks for at most 27 records. */
const GLUE_MAX = 27;

/** CRC-16/CCITT-FALSE as Appendix A defines it: poly 1021, init FFFF, no reflection, xorout 0. */
export function crc16CcittFalse(bytes: ArrayLike<number>): number {
  let crc = 0xffff;
  for (let i = 0; i < bytes.length; i++) {
    crc ^= (bytes[i] ?? 0) << 8;
    for (let bit = 0; bit < 8; bit++) crc = crc & 0x8000 ? ((crc << 1) ^ 0x1021) & 0xffff : (crc << 1) & 0xffff;
  }
  return crc;
}

/** §5.3: the CRC of a frame is over the frame without its two CRC bytes (STX…payload, then ETX). */
function crcOfFrame(frame: readonly number[]): number {
  return crc16CcittFalse([...frame.slice(0, frame.length - 3), ETX]);
}

/** A whole frame, §5.3: `02 'iSPc' LEN C1..C4 payload CRC_hi CRC_lo 03`, LEN = 4 + payload + 2 + 1, CRC big-endian. */
export function ispcFrame(cmd: string, payload: readonly number[] = [], crc: 'computed' | 'zero' = 'computed'): number[] {
  const frame = [STX, ...MAGIC, 4 + payload.length + 3, ...[...cmd].map((c) => c.charCodeAt(0)), ...payload, 0, 0, ETX];
  const value = crc === 'computed' ? crcOfFrame(frame) : 0;
  frame[frame.length - 3] = value >> 8;
  frame[frame.length - 2] = value & 0xff;
  return frame;
}

/** A meter local time as the meter keeps it: `YY MM DD hh mm ss`, year − 2000 (§5.3). */
export type MeterTime = [yy: number, month: number, day: number, hour: number, minute: number, second: number];

/** One stored result, §5.3 GLUE record: time, FLAGS byte, VALUE u16 BE. */
export interface NotesRecord {
  time: MeterTime;
  flags: number;
  value: number;
}

/** What the emulated meter holds and how it behaves; every variant is one the notes mention. */
export interface IspcMeterSpec {
  serial: string;
  /** RSNB's trailing byte after the serial (§5.3: "1 trailing byte", content unknown, App. C 4). */
  serialTrailer?: number;
  /** The meter clock now. */
  clock: () => MeterTime;
  /** Record 1 first (GLUE's start is 1-based). */
  records: NotesRecord[];
  /** The ECHO answer bytes (§5.2); default `2E` alone. */
  echo?: number[];
  /** §5.3: a GLUE reply's CRC is not valid; `zero` leaves it 00 00, `computed` fills it (as in the notes' vector). */
  glueCrc?: 'zero' | 'computed';
  /** Answer the first request of these commands with an error reply (§5.3 error codes), e.g. `{ GLUE: 'TOUT' }`. */
  errorOnce?: Record<string, 'TOUT' | 'HEAD' | 'SIZE' | 'ECRC' | 'CMND'>;
}

/**
 * The meter on a byte stream: feed it what the host sends; it answers through `send`. It checks
 * every host frame as the notes define it and keeps what it heard (`heard`) and every request
 * it had to refuse (`refused`), so a test sees the host's side of the conversation too.
 */
export class IspcNotesMeter {
  /** The host's requests in order: `ECHO`, `RSNB`, `GLUE 1+27`, `WTIM 24-03-05 14:30:00`, … */
  readonly heard: string[] = [];
  /** Host frames the meter refused, with the error it replied. */
  readonly refused: string[] = [];
  private buffer: number[] = [];
  private clockOffsetS = 0;
  private readonly pendingErrors: Map<string, string>;

  constructor(
    private readonly spec: IspcMeterSpec,
    private readonly send: (bytes: Uint8Array) => void,
  ) {
    this.pendingErrors = new Map(Object.entries(spec.errorOnce ?? {}));
  }

  feed(bytes: ArrayLike<number>): void {
    this.buffer.push(...Array.from(bytes));
    for (;;) {
      const first = this.buffer[0];
      if (first === undefined) return;
      // §5.2: the ECHO byte comes alone, outside any frame.
      if (first === ECHO) {
        this.buffer.shift();
        this.heard.push('ECHO');
        this.reply(this.spec.echo ?? [MARK.protocol3]);
        continue;
      }
      // §5.3 reassembly: skip to the STX (anything else, e.g. a bridge's pad byte, is dropped).
      if (first !== STX) {
        this.buffer.shift();
        continue;
      }
      if (this.buffer.length < 6) return;
      if (!MAGIC.every((m, i) => this.buffer[1 + i] === m)) {
        this.refuse('HEAD', 'no iSPc magic after STX', 1);
        continue;
      }
      const len = this.buffer[5] ?? 0;
      if (this.buffer.length < len + 6) return;
      const frame = this.buffer.slice(0, len + 6);
      if (len < 7 || frame[frame.length - 1] !== ETX) {
        this.refuse('SIZE', `LEN ${len} puts no ETX at the end`, 1);
        continue;
      }
      const stated = ((frame[frame.length - 3] ?? 0) << 8) | (frame[frame.length - 2] ?? 0);
      if (stated !== crcOfFrame(frame)) {
        this.refuse('ECRC', `CRC ${stated.toString(16)} is not the frame's`, frame.length);
        continue;
      }
      this.buffer.splice(0, frame.length);
      this.answer(String.fromCharCode(...frame.slice(6, 10)), frame.slice(10, frame.length - 3));
    }
  }

  /** The meter clock now (a WTIM moves it; the records stay as stored). */
  get clockNow(): MeterTime {
    return shiftTime(this.spec.clock(), this.clockOffsetS);
  }

  private answer(cmd: string, payload: number[]): void {
    const error = this.pendingErrors.get(cmd);
    if (error) {
      this.pendingErrors.delete(cmd);
      this.heard.push(`${cmd} (answered ${error})`);
      this.reply(ispcFrame(error));
      return;
    }
    switch (cmd) {
      case 'RSNB':
        this.heard.push(cmd);
        return this.reply(ispcFrame(cmd, [...[...this.spec.serial].map((c) => c.charCodeAt(0)), this.spec.serialTrailer ?? 0x00]));
      case 'RTIM':
        this.heard.push(cmd);
        return this.reply(ispcFrame(cmd, this.clockNow));
      case 'WTIM': {
        const t = payload.slice(0, 6) as MeterTime;
        this.heard.push(`WTIM ${t.map((n) => String(n).padStart(2, '0')).join(' ')}`);
        this.clockOffsetS = secondsOf(t) - secondsOf(this.spec.clock());
        return this.reply(ispcFrame(cmd, t));
      }
      case 'NCOT':
        this.heard.push(cmd);
        return this.reply(ispcFrame(cmd, [this.spec.records.length >> 8, this.spec.records.length & 0xff]));
      case 'GLUE': {
        const start = ((payload[0] ?? 0) << 8) | (payload[1] ?? 0);
        const count = payload[2] ?? 0;
        this.heard.push(`GLUE ${start}+${count}`);
        if (payload.length !== 3 || count < 1 || count > GLUE_MAX || start < 1 || start + count - 1 > this.spec.records.length) {
          this.refused.push(`GLUE ${start}+${count}: outside the memory or the block size`);
          return this.reply(ispcFrame('SIZE'));
        }
        const body = this.spec.records.slice(start - 1, start - 1 + count).flatMap((r) => [...r.time, r.flags, r.value >> 8, r.value & 0xff]);
        return this.reply(ispcFrame(cmd, body, this.spec.glueCrc ?? 'zero'));
      }
      default:
        this.refused.push(`${cmd}: unknown command`);
        return this.reply(ispcFrame('CMND'));
    }
  }

  private refuse(code: string, why: string, drop: number): void {
    this.refused.push(`${code}: ${why}`);
    this.buffer.splice(0, drop);
    this.reply(ispcFrame(code));
  }

  private reply(bytes: readonly number[]): void {
    this.send(Uint8Array.from(bytes));
  }
}

const secondsOf = ([yy, mo, d, h, mi, s]: MeterTime): number => Date.UTC(2000 + yy, mo - 1, d, h, mi, s) / 1000;
function shiftTime(t: MeterTime, seconds: number): MeterTime {
  const at = new Date((secondsOf(t) + seconds) * 1000);
  return [at.getUTCFullYear() - 2000, at.getUTCMonth() + 1, at.getUTCDate(), at.getUTCHours(), at.getUTCMinutes(), at.getUTCSeconds()];
}

/** A wall-clock time as the meter's local time parts (tests run in UTC). */
export function meterTimeOf(ms: number): MeterTime {
  return shiftTime([0, 1, 1, 0, 0, 0], ms / 1000 - Date.UTC(2000, 0, 1) / 1000);
}

/** Input reports `[count, bytes…]`, at most `chunk` (≤ 63) bytes each, zero-padded to 64 as hidapi returns them. */
function countedReports(bytes: Uint8Array, chunk = 63): Uint8Array[] {
  const out: Uint8Array[] = [];
  for (let at = 0; at < bytes.length; at += chunk) {
    const part = bytes.subarray(at, at + chunk);
    const report = new Uint8Array(64);
    report[0] = part.length;
    report.set(part, 1);
    out.push(report);
  }
  return out;
}

/** The notes' 9600 8N1 UART configuration feature report (§5.1). */
export const UART_9600_8N1 = [0x50, 0x00, 0x00, 0x25, 0x80, 0x00, 0x00, 0x03, 0x00];

/**
 * The meter behind a Silicon Labs CP2110 (§5.1, AN434): data reports `[n, d1..dn]` with the report
 * id = the byte count, both ways; the UART moves no byte until the host has configured it
 * (`50 …`) and enabled it (`41 01`) by feature report. Input reports come padded to 64 bytes, as
 * hidapi hands them over. `problems` lists what the host did that a bridge would not take.
 */
export class Cp2110Bridge {
  readonly problems: string[] = [];
  private configured = false;
  private enabled = false;

  /** `chunk`: most UART bytes per input report (the bridge forwards what its FIFO holds, 1–63). */
  constructor(
    private readonly device: Link,
    makeMeter: (send: (bytes: Uint8Array) => void) => IspcNotesMeter,
    private readonly chunk = 63,
  ) {
    const meter = makeMeter((bytes) => void this.toHost(bytes));
    device.onData((report) => {
      const n = report[0] ?? 0;
      if (n < 1 || n > 63 || report.length !== n + 1) this.problems.push(`output report id ${n} with ${report.length - 1} data bytes (the id must be the exact count)`);
      if (!this.enabled) return void this.problems.push('data before the UART was configured and enabled');
      meter.feed(report.subarray(1, 1 + n));
    });
  }

  /** Give it every feature report the host sends (report id first). */
  feature(report: Uint8Array): void {
    const bytes = Array.from(report);
    if (bytes[0] === 0x50) {
      this.configured = bytes.join() === UART_9600_8N1.join();
      if (!this.configured) this.problems.push(`UART configured as ${bytes.join(' ')}, not 9600 8N1`);
    } else if (bytes[0] === 0x41) {
      this.enabled = this.configured && bytes[1] === 0x01;
    }
  }

  private async toHost(bytes: Uint8Array): Promise<void> {
    for (const report of countedReports(bytes, this.chunk)) await this.device.write(report);
  }
}

/**
 * The meter behind the GLUCOCARD Shine Connex's own HID (§5.1: output report id 1; the notes say
 * no more). We read the rest as the CP2110's shape the notes describe for the same meters
 * (`[count, bytes…]`), tolerating the one-larger count Tidepool uses there: a meter that takes a
 * pad byte (§5.1). Input reports: `[count, bytes…]` padded to 64.
 */
export class ShineHid {
  readonly problems: string[] = [];

  constructor(
    private readonly device: Link,
    makeMeter: (send: (bytes: Uint8Array) => void) => IspcNotesMeter,
  ) {
    const meter = makeMeter((bytes) => void this.toHost(bytes));
    device.onData((report) => {
      if (report[0] !== 0x01) return void this.problems.push(`output report id ${report[0] ?? '?'} (the notes give id 1)`);
      const n = report[1] ?? 0;
      if (n < 1 || report.length < n + 2) return void this.problems.push(`output report count ${n} with ${report.length - 2} data bytes`);
      meter.feed(report.subarray(2, 2 + n));
    });
  }

  private async toHost(bytes: Uint8Array): Promise<void> {
    for (const report of countedReports(bytes)) await this.device.write(report);
  }
}
