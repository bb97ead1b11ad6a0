/**
 * The FreeStyle serial meters as the glucose-meters-2 protocol notes describe them (§3.1–§3.4),
 * written from the notes alone — never from the hub's driver or simulator — so that a driver
 * and its simulator sharing one misreading of the notes are caught.
 *
 * This file holds what the Lite (§3.3) and the Optium (§3.4) share: the line settings (§3.1),
 * the `$` + command + CR LF syntax (§3.2), the text of dates, records and the dump, and the
 * dump checksum. The two meters are in abbott-freestyle-lite.ts and abbott-freestyle-optium.ts.
 */
import { SerialPort } from 'serialport';

/** §3.1: 19200 baud, 8N1, no flow control, for both families. */
export const LINE = { baudRate: 19200, dataBits: 8, parity: 'none', stopBits: 1, rtscts: false } as const;

/** A meter-local date and time as the meter keeps it (no zone). */
export interface MeterTime {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second?: number;
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'] as const;
const d2 = (n: number): string => String(n).padStart(2, '0');

/**
 * §3.3: in the dump the month is a 4-character field: "Mar " (3 letters and a space) or
 * "June"/"July" (the notes' only 4-letter examples).
 */
export function dumpMonth(month: number): string {
  if (month === 6) return 'June';
  if (month === 7) return 'July';
  return `${MONTHS[month - 1] ?? '???'} `;
}

/** §3.3 header clock line text: `<Mon> <DD> <YYYY> <HH:MM:SS>` with the 4-character month field. */
export function dumpClock(t: MeterTime): string {
  return `${dumpMonth(t.month)} ${d2(t.day)} ${t.year} ${d2(t.hour)}:${d2(t.minute)}:${d2(t.second ?? 0)}`;
}

/** §3.4 `$colq` clock value: 3-letter month, two spaces, `DD YYYY`, TAB, `HH:MM:SS`. */
export function colqClock(t: MeterTime): string {
  return `${MONTHS[t.month - 1] ?? '???'}  ${d2(t.day)} ${t.year}\t${d2(t.hour)}:${d2(t.minute)}:${d2(t.second ?? 0)}`;
}

/** The hub's meter-local ISO text for a time (what a reading's `deviceTime` must say). */
export function isoLocal(t: MeterTime, seconds = true): string {
  const base = `${t.year}-${d2(t.month)}-${d2(t.day)}T${d2(t.hour)}:${d2(t.minute)}`;
  return `${base}:${seconds ? d2(t.second ?? 0) : '00'}`;
}

/** A stored result. `value` is the 3-digit field: a number (zero-padded) or `HI`/`LO`. */
export interface NotesRecord {
  value: number | 'HI' | 'LO';
  at: MeterTime;
  /** The type field: Lite `TT` (2 digits, normally `00`); Optium `T`, `G` glucose or `K` β-ketone. */
  type: string;
  /** Status byte: bit 0 control solution, bit 1 lost time (§3.3, §3.4). */
  status: number;
}

/** §3.3/§3.4 record line text: `VVV  Mon DD YYYY HH:MM TT 0xFF`. */
export function recordLine(r: NotesRecord): string {
  const vvv = typeof r.value === 'number' ? String(r.value).padStart(3, '0') : `${r.value} `;
  const status = r.status.toString(16).toUpperCase().padStart(2, '0');
  return `${vvv}  ${dumpMonth(r.at.month)} ${d2(r.at.day)} ${r.at.year} ${d2(r.at.hour)}:${d2(r.at.minute)} ${r.type} 0x${status}`;
}

/**
 * Appendix A: the 16-bit sum of every byte from the reply's leading CR LF through the CR LF
 * that ends the last record (the Lite's bare LF included), as `0xHHHH  END` CR LF.
 */
export function checksumLine(summed: string): string {
  let sum = 0;
  for (let i = 0; i < summed.length; i++) sum = (sum + summed.charCodeAt(i)) % 65536;
  return `0x${sum.toString(16).toUpperCase().padStart(4, '0')}  END\r\n`;
}

/** The dump header fields (§3.3; the Optium's `$xmem` has the same, §3.4). */
export interface DumpHeader {
  serial: string;
  version: string;
  clock: MeterTime;
}

/**
 * A whole memory dump. `bareLf`: the Lite's bare 0x0A line after the count (§3.3); the Optium's
 * `$xmem` has none (§3.4). Records are given newest first, as the meter sends them.
 */
export function dumpText(header: DumpHeader, records: readonly NotesRecord[], bareLf: boolean): string {
  const body =
    `\r\n${header.serial}\r\n${header.version}\r\n${dumpClock(header.clock)}\r\n${String(records.length).padStart(3, '0')}\r\n` +
    (bareLf ? '\n' : '') +
    records.map((r) => `${recordLine(r)}\r\n`).join('');
  return body + checksumLine(body);
}

/** How the meter answers one command line (without `$` and CR LF); undefined = silence. */
export type Answer = (command: string) => string | undefined;

/** Text as the notes print bytes: uppercase hex pairs separated by spaces. */
export function hexBytes(text: string): string {
  return [...Buffer.from(text, 'latin1')].map((b) => b.toString(16).toUpperCase().padStart(2, '0')).join(' ');
}

/** §3.1: 19200 baud 8N1 is 10 bits a byte on the wire, 1920 bytes a second. */
const WIRE_BYTES_PER_S = LINE.baudRate / 10;
/** Bytes written at a time when pacing at wire speed (a USB-serial cable hands over small packets). */
const PACED_CHUNK = 64;

/**
 * A meter on one end of a pty pair, opened with the real serialport package: it reads
 * `$command` CR LF lines (§3.2), keeps every command it got, and writes the answer back.
 */
export class NotesSerialMeter {
  /** Every command line received, without `$` and CR LF, in order. */
  readonly commands: string[] = [];
  /** Every line received exactly as it came, CR LF included, as hex bytes (`24 6D 65 6D 0D 0A`). */
  readonly received: string[] = [];
  private pending = '';
  private outbox: Buffer[] = [];
  private timer: NodeJS.Timeout | undefined;

  /** `paced`: write answers no faster than 19200 baud would carry them (a pty is instant). */
  private constructor(
    private readonly port: SerialPort,
    private readonly answer: Answer,
    private readonly paced: boolean,
  ) {
    port.on('data', (chunk: Buffer) => this.receive(chunk.toString('latin1')));
  }

  static async open(path: string, answer: Answer, paced = false): Promise<NotesSerialMeter> {
    const port = new SerialPort({ path, ...LINE, autoOpen: false });
    await new Promise<void>((resolve, reject) => port.open((e) => (e ? reject(e) : resolve())));
    return new NotesSerialMeter(port, answer, paced);
  }

  private send(reply: string): void {
    const bytes = Buffer.from(reply, 'latin1');
    if (!this.paced) {
      this.port.write(bytes);
      return;
    }
    for (let i = 0; i < bytes.length; i += PACED_CHUNK) this.outbox.push(bytes.subarray(i, i + PACED_CHUNK));
    this.pump();
  }

  /** One paced chunk now, the next when the wire would have carried this one. */
  private pump(): void {
    if (this.timer || !this.port.isOpen) return;
    const chunk = this.outbox.shift();
    if (!chunk) return;
    this.port.write(chunk);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.pump();
    }, (chunk.length * 1000) / WIRE_BYTES_PER_S);
  }

  private receive(text: string): void {
    this.pending += text;
    for (let end = this.pending.indexOf('\r\n'); end >= 0; end = this.pending.indexOf('\r\n')) {
      const line = this.pending.slice(0, end);
      this.received.push(hexBytes(`${line}\r\n`));
      this.pending = this.pending.slice(end + 2);
      // §3.2: the host sends `$` + command; anything else is not a command the notes know.
      const command = line.startsWith('$') ? line.slice(1) : line;
      this.commands.push(command);
      const reply = this.answer(command);
      if (reply !== undefined) this.send(reply);
    }
  }

  async close(): Promise<void> {
    clearTimeout(this.timer);
    this.outbox = [];
    if (!this.port.isOpen) return;
    await new Promise<void>((resolve) => this.port.close(() => resolve()));
  }
}

/**
 * §3.2 `$tim,MM,DD,YY,HH,mm`: the time it sets (20YY, no seconds), or undefined when the
 * command is not in that shape.
 */
export function parseTim(command: string): MeterTime | undefined {
  const m = /^tim,(\d\d),(\d\d),(\d\d),(\d\d),(\d\d)$/.exec(command);
  if (!m) return undefined;
  const [month, day, yy, hour, minute] = m.slice(1).map(Number) as [number, number, number, number, number];
  return { year: 2000 + yy, month, day, hour, minute, second: 0 };
}

/** A meter time for an instant, read in UTC (the CLI under test runs with TZ=UTC). */
export function meterTimeOf(ms: number): MeterTime {
  const t = new Date(ms);
  return { year: t.getUTCFullYear(), month: t.getUTCMonth() + 1, day: t.getUTCDate(), hour: t.getUTCHours(), minute: t.getUTCMinutes(), second: t.getUTCSeconds() };
}

/** The instant (UTC) a meter time names. */
export function msOf(t: MeterTime): number {
  return Date.UTC(t.year, t.month - 1, t.day, t.hour, t.minute, t.second ?? 0);
}

/**
 * The dump with one bit of the last record's status byte flipped and the checksum line left
 * as it was: a line error the checksum must catch (here it would turn a patient result into a
 * control, or back). A dump without records is returned unchanged.
 */
export function corruptDump(dump: string): string {
  const end = dump.lastIndexOf('\r\n0x');
  if (end < 0 || !/ 0x[0-9A-F]{2}$/.test(dump.slice(0, end))) return dump;
  const digit = dump.charCodeAt(end - 1);
  return `${dump.slice(0, end - 1)}${String.fromCharCode(digit ^ 0x01)}${dump.slice(end)}`;
}
