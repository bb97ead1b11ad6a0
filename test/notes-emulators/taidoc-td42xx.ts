/**
 * A TaiDoc TD-42xx meter behind its CP2110 HID-to-UART bridge, built only from the
 * glucose-meters-2 protocol notes (§7.1 the meter, §5.1 the bridge), never from the driver or its
 * simulator: an independent device for drivers/devices/taidoc-td42xx (its PROTOCOL.md).
 *
 * The bridge (§5.1): nothing moves before feature report `0x50` (UART config) and `41 01`
 * (enable); data reports are `[n, d1..dn]` with the report id = byte count, both ways.
 * The meter (§7.1): 8-byte packets `51 CMD M0..M3 DIR CK`, DIR `A3` host → meter, `A5` back,
 * CK = sum of bytes 0–6 & 0xFF. It answers each valid request with one packet.
 */
import type { FakeHidDevice } from '../helpers/fake-hid.ts';

/** A local meter time (no seconds: §7.1 datetime has none). */
export interface MeterTime {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
}

/** One stored result, in the notes' terms (§7.1 value flags). */
export interface TaidocRecord {
  time: MeterTime;
  /** The stored number (mg/dL for glucose). */
  value: number;
  /** M3 bits 7..6: 01 before meal, 10 after meal, 11 control solution. */
  tag?: 'none' | 'before' | 'after' | 'control';
  /** Bits 3..0 of `f = word >> 10`: 0 glucose, 7 ketone, … */
  type?: number;
}

export interface TaidocMeterOptions {
  /** The model reply's M0..M3 (`77 42 01 00` = TD-4277, §7.1 example). */
  model?: readonly number[];
  clock: MeterTime;
  /** Index 0 = the newest (§7.1 `25`/`26`). */
  records: readonly TaidocRecord[];
  /** Replies to `27` and `28` (M0..M3 each); absent: the meter does not answer them ([INFERRED] commands). */
  serialParts?: readonly [readonly number[], readonly number[]];
  /** The command byte of the connect reply: `22`, `24` or `54` all mean connected (§7.1). */
  connectReply?: number;
  /** Answer the first request of this command with the unsolicited `54` instead of its reply (§7.1). */
  noticeInsteadOf?: number;
  /** Send the unsolicited `54` once as soon as the UART is enabled, before any request (§7.1). */
  noticeOnEnable?: boolean;
  /** The count reply's unknown u16 (§7.1; default count − 1, which is `FFFF` when empty). */
  countTail?: readonly [number, number];
  /**
   * Set the bits the notes mask or leave out: minute bits 7..6 and hour bits 7..5 of record times
   * (§7.1 `&0x3F`, `&0x1F`), the unknown value byte M2, and M3 bits 1..0 (below `f = word >> 10`).
   */
  noise?: boolean;
  /** Cut each reply into reports after this many bytes, each report padded to 64 bytes (hidapi may pad). */
  splitAt?: number;
}

export const CMD = { connect: 0x22, clock: 0x23, model: 0x24, recTime: 0x25, recValue: 0x26, serial1: 0x27, serial2: 0x28, count: 0x2b, setClock: 0x33, clear: 0x52, notice: 0x54 } as const;

/** The notes' checksum: sum of bytes 0–6, & 0xFF (§7.1, Appendix A). */
export const checksum = (bytes: ArrayLike<number>): number => {
  let sum = 0;
  for (let i = 0; i < 7; i++) sum += bytes[i] ?? 0;
  return sum & 0xff;
};

/** A packet `51 CMD M0..M3 DIR CK`. */
export function packet(cmd: number, m: readonly number[], dir: number): number[] {
  const bytes = [0x51, cmd, m[0] ?? 0, m[1] ?? 0, m[2] ?? 0, m[3] ?? 0, dir];
  return [...bytes, checksum(bytes)];
}

/** §7.1 datetime: u16 LE `(year−2000)<<9 | month<<5 | day`, then minute, then hour. */
export function encodeTime(t: MeterTime): number[] {
  const word = ((t.year - 2000) << 9) | (t.month << 5) | t.day;
  return [word & 0xff, word >> 8, t.minute, t.hour];
}

export function decodeTime(m: readonly number[]): MeterTime {
  const word = (m[0] ?? 0) | ((m[1] ?? 0) << 8);
  return { year: 2000 + (word >> 9), month: (word >> 5) & 0x0f, day: word & 0x1f, minute: (m[2] ?? 0) & 0x3f, hour: (m[3] ?? 0) & 0x1f };
}

const TAG_BITS = { none: 0, before: 1, after: 2, control: 3 } as const;

/** §7.1 value reply: value u16 LE, an unknown byte, then flags; `f = (M2 | M3<<8) >> 10` puts the tag in M3 bits 7..6 and the type in M3 bits 5..2. */
export function encodeValue(r: TaidocRecord): number[] {
  return [r.value & 0xff, r.value >> 8, 0x00, (TAG_BITS[r.tag ?? 'none'] << 6) | ((r.type ?? 0) << 2)];
}

/** What the emulator saw: for the test to assert the host's side of the exchange. */
export interface TaidocMeterLog {
  /** Feature reports in order, id first. */
  features: number[][];
  /** Every request packet that passed its checks. */
  requests: number[][];
  /** Every packet the meter sent, whole (before the bridge cut it into reports). */
  replies: number[][];
  /** Everything the host did that the notes do not allow (data before the UART was enabled, a bad packet …). */
  violations: string[];
}

/** Plug the emulator in behind `fake`; returns its log. */
export function taidocNotesMeter(fake: FakeHidDevice, opts: TaidocMeterOptions): TaidocMeterLog {
  const log: TaidocMeterLog = { features: [], requests: [], replies: [], violations: [] };
  let configured = false;
  let enabled = false;
  let uart: number[] = [];
  let clock = opts.clock;
  let noticePending = opts.noticeInsteadOf;

  fake.onFeature = (report) => {
    const bytes = Array.from(report);
    log.features.push(bytes);
    if (bytes[0] === 0x50) {
      // §5.1: baud u32 BE, parity 0 none, flow 0 none, data bits code 3 = 8, stop bits 0 = one: 19200 8N1 (§7.1).
      const baud = (((bytes[1] ?? 0) << 24) | ((bytes[2] ?? 0) << 16) | ((bytes[3] ?? 0) << 8) | (bytes[4] ?? 0)) >>> 0;
      configured = bytes.length === 9 && baud === 19200 && bytes[5] === 0 && bytes[6] === 0 && bytes[7] === 3 && bytes[8] === 0;
      if (!configured) log.violations.push(`UART config ${hex(bytes)} is not 19200 8N1`);
    } else if (bytes[0] === 0x41) {
      if (!configured) log.violations.push('UART enabled before it was configured');
      enabled = bytes[1] === 0x01;
      if (enabled && opts.noticeOnEnable) send(packet(CMD.notice, [0, 0, 0, 0], 0xa5));
    }
  };

  const send = (reply: number[]): void => {
    log.replies.push(reply);
    const cut = opts.splitAt;
    const parts = cut ? [reply.slice(0, cut), reply.slice(cut)] : [reply];
    for (const part of parts) {
      const report = [part.length, ...part];
      if (cut) while (report.length < 64) report.push(0);
      void fake.deviceLink.write(Uint8Array.from(report));
    }
  };

  const answer = (req: number[]): number[] | undefined => {
    const cmd = req[1] ?? 0;
    const m = req.slice(2, 6);
    const index = (m[0] ?? 0) | ((m[1] ?? 0) << 8);
    if (noticePending === cmd) {
      noticePending = undefined;
      return packet(CMD.notice, [0, 0, 0, 0], 0xa5);
    }
    switch (cmd) {
      case CMD.connect:
        return packet(opts.connectReply ?? CMD.connect, [0, 0, 0, 0], 0xa5);
      case CMD.model:
        return packet(CMD.model, opts.model ?? [0x77, 0x42, 0x01, 0x00], 0xa5);
      case CMD.clock:
        return packet(CMD.clock, encodeTime(clock), 0xa5);
      case CMD.setClock:
        clock = decodeTime(m);
        return packet(CMD.setClock, m, 0xa5);
      case CMD.count: {
        const n = opts.records.length;
        // The unknown word: the notes' example (37 → `24 00`) and `FFFF` when empty both fit count − 1.
        const last = (n - 1) & 0xffff;
        return packet(CMD.count, [n & 0xff, n >> 8, ...(opts.countTail ?? [last & 0xff, last >> 8])], 0xa5);
      }
      case CMD.recTime: {
        const r = opts.records[index];
        const t = r ? encodeTime(r.time) : [];
        return r ? packet(CMD.recTime, opts.noise ? [t[0] ?? 0, t[1] ?? 0, (t[2] ?? 0) | 0xc0, (t[3] ?? 0) | 0xe0] : t, 0xa5) : undefined;
      }
      case CMD.recValue: {
        const r = opts.records[index];
        const v = r ? encodeValue(r) : [];
        return r ? packet(CMD.recValue, opts.noise ? [v[0] ?? 0, v[1] ?? 0, 0xff, (v[3] ?? 0) | 0x03] : v, 0xa5) : undefined;
      }
      case CMD.serial1:
      case CMD.serial2: {
        const part = opts.serialParts?.[cmd === CMD.serial1 ? 0 : 1];
        return part ? packet(cmd, part, 0xa5) : undefined;
      }
      case CMD.clear:
        log.violations.push('the host sent 52 (clear memory)');
        return undefined;
      default:
        // A command the notes do not list: the meter stays silent.
        return undefined;
    }
  };

  fake.deviceLink.onData((report) => {
    const n = report[0] ?? 0;
    // §5.1: the report id is the exact byte count; the host side pads nothing.
    if (n < 1 || n > 63 || report.length !== n + 1) {
      log.violations.push(`data report ${hex(Array.from(report))} is not [n, n bytes]`);
      return;
    }
    if (!enabled) {
      log.violations.push('data sent before the UART was enabled');
      return;
    }
    uart.push(...report.subarray(1));
    while (uart.length >= 8) {
      const start = uart.indexOf(0x51);
      if (start < 0) {
        log.violations.push(`bytes outside a packet: ${hex(uart)}`);
        uart = [];
        break;
      }
      if (start > 0) log.violations.push(`bytes outside a packet: ${hex(uart.slice(0, start))}`);
      uart = uart.slice(start);
      if (uart.length < 8) break;
      const req = uart.slice(0, 8);
      uart = uart.slice(8);
      if (req[6] !== 0xa3 || req[7] !== checksum(req)) {
        log.violations.push(`bad request ${hex(req)}`);
        continue;
      }
      log.requests.push(req);
      const reply = answer(req);
      if (reply) send(reply);
    }
  });
  return log;
}

export const hex = (bytes: readonly number[]): string => bytes.map((b) => b.toString(16).padStart(2, '0').toUpperCase()).join(' ');
