/**
 * An Abbott FreeStyle InsuLinx, built from the protocol notes only (glucose-meters-2 §3.5, over
 * the FreeStyle HID "shim" of part 1 §3), never from the driver, its family code or its
 * simulator: the independent other end for the abbott-freestyle-insulinx driver, on the device
 * side of the fake node-hid device.
 */
import type { Link } from '../../drivers/kit/index.ts';

/** Part 1 §3.1–3.2: every report is 64 bytes; byte 0 type, byte 1 payload length (0–62). */
const REPORT = 64;
const MAX_PAYLOAD = 62;
/** Part 1 §3.2: a host text command is at most 54 bytes. */
const MAX_COMMAND = 54;
/** Part 1 §3.3 message types. */
const TYPE = { init: 0x01, initReply: 0x71, preInit: 0x04, preInitReply: 0x34, serial: 0x05, serialReply: 0x06, version: 0x15, versionReply: 0x35, text: 0x60, libreText: 0x21, keepAlive: 0x22, unknown: 0x30, hostAck: 0x0d } as const;

/** Part 1 §3.4: the sum of every byte, as 8 uppercase hex digits. */
export function cksm(text: string): string {
  let sum = 0;
  for (const c of text) sum = (sum + c.charCodeAt(0)) >>> 0;
  return sum.toString(16).toUpperCase().padStart(8, '0');
}

/** Part 1 §3.4: `<message>CKSM:<8 hex>\r\nCMD OK\r\n` (or `CMD Fail!`). */
export function textReply(message: string, ok = true): string {
  return `${message}CKSM:${cksm(message)}\r\n${ok ? 'CMD OK' : 'CMD Fail!'}\r\n`;
}

/** Part 1 §3.5: the records with CR LF, then `<count>,<8-hex sum of the record lines>`; or `Log Empty`. */
export function resultMessage(records: readonly string[]): string {
  if (records.length === 0) return 'Log Empty\r\n';
  const body = records.map((r) => `${r}\r\n`).join('');
  return `${body}${records.length},${cksm(body)}\r\n`;
}

/** §3.5: one `$result?` glucose record, 16 fields: type 0, id, M, D, YY, h, m, 8–13 unknown, 14 mg/dL, 15–16 unknown. */
export function glucoseRecord(id: number, t: { month: number; day: number; year2: number; hour: number; minute: number }, mgdl: number | string, unknown: readonly number[] = [0, 0, 0, 0, 0, 0, 0, 0]): string {
  const [a = 0, b = 0, c = 0, d = 0, e = 0, f = 0, g = 0, h = 0] = unknown;
  return [0, id, t.month, t.day, t.year2, t.hour, t.minute, a, b, c, d, e, f, mgdl, g, h].join(',');
}

/** The meter clock as `$date?`/`$time?` give it, or a lost RTC (part 1 §3.4: `255,255,255`). */
export type MeterClock = { month: number; day: number; year2: number; hour: number; minute: number } | 'lost';

export interface InsulinxSpec {
  /** Part 1 §3.3: 13 characters (7 alphanumerics, `-`, 5 alphanumerics). */
  serial: string;
  version: string;
  clock: () => MeterClock;
  /** `$result?` record lines, without CR LF. */
  records: string[];
  /** Payload sizes the replies are cut into (cycled); part 1 §3.8 shows 62-byte reports. */
  cuts?: number[];
  /** A keep-alive `22 01 xx` after every n-th text report (part 1 §3.3: "about every third report"). */
  keepAliveEvery?: number;
  /** The unknown message `30 01 85` (part 1 §3.3) after every n-th text report. */
  unknownEvery?: number;
  /**
   * Damage the first `$result?` reply: one digit of the first record's value changed, and only the
   * outer `CKSM:` (`outer`) or only the inner `count,checksum` (`inner`) left as they were, so
   * only that sum tells (part 1 §3.4–3.5).
   */
  corruptOnce?: 'outer' | 'inner';
}

/**
 * The meter: answers each host report on `device` (reports mode, 64 bytes without a report id).
 * Device padding is filled with garbage, as the notes warn a meter does. `heard` lists what the
 * host sent (`INIT`, `$result?`, …); `problems` what the host did that the notes do not allow.
 */
export class InsulinxNotesMeter {
  readonly heard: string[] = [];
  readonly problems: string[] = [];
  private sent = 0;
  private garbage = 0x5a;
  private clockShiftMin = 0;

  constructor(
    private readonly spec: InsulinxSpec,
    private readonly device: Link,
  ) {
    device.onData((report) => void this.onReport(report));
  }

  private async onReport(report: Uint8Array): Promise<void> {
    if (report.length !== REPORT) this.problems.push(`a ${report.length}-byte report (64 expected)`);
    const type = report[0] ?? 0;
    const length = report[1] ?? 0;
    if (length > MAX_PAYLOAD) return void this.problems.push(`length byte ${length}`);
    // Part 1 §3.2: the host pads with zeros.
    if (report.subarray(2 + length).some((b) => b !== 0)) this.problems.push(`type ${type}: host padding is not zero`);
    const payload = String.fromCharCode(...report.subarray(2, 2 + length));
    switch (type) {
      case TYPE.init:
        this.heard.push('INIT');
        return this.out(TYPE.initReply, [0x01]);
      case TYPE.preInit:
        this.heard.push('PRE-INIT');
        return this.out(TYPE.preInitReply, [0x17]);
      case TYPE.serial:
        this.heard.push('SERIAL');
        return this.out(TYPE.serialReply, [...bytesOf(this.spec.serial), 0]);
      case TYPE.version:
        this.heard.push('VERSION');
        return this.out(TYPE.versionReply, [...bytesOf(this.spec.version), 0]);
      case TYPE.hostAck:
        return void this.heard.push('ACK');
      case TYPE.text:
      case TYPE.libreText:
        if (length > MAX_COMMAND) this.problems.push(`a ${length}-byte command`);
        if (payload.includes('\r') || payload.includes('\n')) this.problems.push(`${JSON.stringify(payload)}: the command is sent bare, without CR LF`);
        this.heard.push(payload);
        return this.sendText(this.answer(payload));
      default:
        this.problems.push(`unknown message type 0x${type.toString(16)}`);
    }
  }

  /** The reply text to one command (part 1 §3.4, §3.5 and §3.5 of the notes). */
  private answer(command: string): string {
    const clock = this.clockNow();
    if (command === '$serlnum?') return textReply(`${this.spec.serial}\r\n`);
    if (command === '$swver?') return textReply(`${this.spec.version}\r\n`);
    if (command === '$date?') return textReply(clock === 'lost' ? '255,255,255\r\n' : `${clock.month},${clock.day},${clock.year2}\r\n`);
    if (command === '$time?') return textReply(clock === 'lost' ? '255,255\r\n' : `${clock.hour},${clock.minute}\r\n`);
    if (command === '$result?') return this.resultReply();
    const set = /^\$(date|time),(\d{1,2}),(\d{1,2})(?:,(\d{1,2}))?$/.exec(command);
    if (set) {
      // Part 1 §3.4 / §3.5: no leading zeros.
      if (set.slice(2).some((f) => f !== undefined && /^0\d/.test(f))) this.problems.push(`${command}: leading zero`);
      this.setClock(set[1] === 'date' ? { date: set.slice(2, 5).map(Number) } : { time: set.slice(2, 4).map(Number) });
      return textReply('');
    }
    return textReply('', false);
  }

  private resultReply(): string {
    const good = resultMessage(this.spec.records);
    const mode = this.spec.corruptOnce;
    const first = this.spec.records[0];
    if (!mode || first === undefined || this.heard.filter((h) => h === '$result?').length > 1) return textReply(good);
    // Field 14 one higher: a wrong value whose digits still look like a value.
    const fields = first.split(',');
    fields[13] = String(Number(fields[13]) + 1);
    const bad = [fields.join(','), ...this.spec.records.slice(1)];
    if (mode === 'inner') return textReply(good.replace(first, bad[0] ?? ''));
    return `${resultMessage(bad)}CKSM:${cksm(good)}\r\nCMD OK\r\n`;
  }

  /** The clock after any `$date,…`/`$time,…`: a shift in minutes from the spec's clock. */
  private clockNow(): MeterClock {
    const c = this.spec.clock();
    if (c === 'lost') return c;
    const at = new Date(Date.UTC(2000 + c.year2, c.month - 1, c.day, c.hour, c.minute) + this.clockShiftMin * 60_000);
    return { month: at.getUTCMonth() + 1, day: at.getUTCDate(), year2: at.getUTCFullYear() - 2000, hour: at.getUTCHours(), minute: at.getUTCMinutes() };
  }

  private setClock(part: { date?: number[]; time?: number[] }): void {
    const now = this.clockNow();
    const c = now === 'lost' ? { month: 1, day: 1, year2: 0, hour: 0, minute: 0 } : now;
    const [month = c.month, day = c.day, year2 = c.year2] = part.date ?? [];
    const [hour = c.hour, minute = c.minute] = part.time ?? [];
    const base = this.spec.clock();
    const from = base === 'lost' ? 0 : Date.UTC(2000 + base.year2, base.month - 1, base.day, base.hour, base.minute);
    this.clockShiftMin = (Date.UTC(2000 + year2, month - 1, day, hour, minute) - from) / 60_000;
  }

  /** Part 1 §3.4: the reply text over as many 0x60 reports as it takes, with keep-alives between. */
  private async sendText(text: string): Promise<void> {
    const cuts = this.spec.cuts ?? [MAX_PAYLOAD];
    for (let at = 0, i = 0; at < text.length; i++) {
      const n = Math.min(MAX_PAYLOAD, cuts[i % cuts.length] ?? MAX_PAYLOAD);
      await this.out(TYPE.text, bytesOf(text.slice(at, at + n)));
      at += n;
      this.sent++;
      if (this.spec.keepAliveEvery && this.sent % this.spec.keepAliveEvery === 0) await this.out(TYPE.keepAlive, [0x05]);
      if (this.spec.unknownEvery && this.sent % this.spec.unknownEvery === 0) await this.out(TYPE.unknown, [0x85]);
    }
  }

  private async out(type: number, payload: readonly number[]): Promise<void> {
    const report = new Uint8Array(REPORT);
    report[0] = type;
    report[1] = payload.length;
    report.set(payload, 2);
    for (let i = 2 + payload.length; i < REPORT; i++) report[i] = this.garbage = (this.garbage * 13 + 7) & 0xff;
    await this.device.write(report);
  }
}

const bytesOf = (text: string): number[] => [...text].map((c) => c.charCodeAt(0) & 0xff);
