import { latin1, sleep, type SimulatorContext } from '../../kit/index.ts';
import { LOG_EMPTY, MESSAGE_TYPE, REPORT_SIZE_BYTES, formatTextReply, hex, parseReport, splitPayloads, textChecksum } from './protocol.ts';

/**
 * Replies go out one report per USB frame (1 ms): the meter writes a report, then is busy that
 * long (abbott-freestyle-neo/PROTOCOL.md §7). No think time before a reply: no source gives one.
 */
const REPORT_INTERVAL_MS = 1;
/** A keep-alive `22 01 xx` after every third data report of a reply (abbott-freestyle-neo/PROTOCOL.md §2: "about every third"). */
const KEEPALIVE_EVERY_REPORTS = 3;

/** How a simulated meter of the family starts and which of its replies are tampered with. */
export interface FreestyleMeterSetup {
  /** Meter clock minus the simulator's clock, in ms. */
  clockOffsetMs?: number;
  /** The clock reads 255s until it is set. */
  lostClock?: boolean;
  /** The first records reply has one byte changed in transit (its CKSM no longer matches). */
  corruptOnce?: boolean;
  /** Replies cut at these payload sizes (cycled), garbage padding, and one `30 01 85` before the records. */
  splitSizes?: readonly number[];
}

/** The multi-record reply: the records, then `count,CKSM` (abbott-freestyle-neo/PROTOCOL.md §5); `Log Empty` without any. */
export function multiRecordReply(records: readonly string[]): string {
  if (records.length === 0) return LOG_EMPTY;
  const body = records.map((r) => `${r}\r\n`).join('');
  return `${body}${records.length},${hex(textChecksum(body), 8)}\r\n`;
}

/**
 * The part every FreeStyle HID meter's simulator shares: its clock (read, set, lost), the text
 * reply framing with keep-alives, the CKSM and truncation faults, and paced report writes. A
 * model says which report types carry text, its binary replies and its own text commands.
 */
export abstract class SimulatedFreestyleMeter {
  private offsetMs: number;
  private lostClock: boolean;
  private corruptPending: boolean;
  /** Keep-alive counter byte; the abbott-freestyle-neo/PROTOCOL.md §3 example shows 05. */
  private keepAlive = 5;

  constructor(
    protected readonly ctx: SimulatorContext,
    private readonly stop: AbortSignal,
    private readonly options: FreestyleMeterSetup,
    /** The text commands whose reply is the records (the one the corrupt-once and split faults hit). */
    private readonly recordCommands: readonly string[],
  ) {
    this.offsetMs = options.clockOffsetMs ?? 0;
    this.lostClock = options.lostClock ?? false;
    this.corruptPending = options.corruptOnce ?? false;
  }

  /** Whether a report of this type carries a text command. */
  protected abstract isText(type: number): boolean;
  /** The reply to a binary report, or undefined for `30 01 85` (unknown message). */
  protected abstract binaryReply(type: number): number[] | undefined;
  /** The reply message to a model's own text command, or undefined for `CMD Fail!`. */
  protected abstract modelAnswer(command: string): string | undefined;

  /** The meter's clock now, in ms. */
  protected meterNow(): number {
    return this.ctx.clock.now() + this.offsetMs;
  }

  async handle(bytes: Uint8Array): Promise<void> {
    const parsed = parseReport(bytes);
    if (!parsed.ok) return; // a real meter ignores what it cannot read
    const { type, payload } = parsed.report;
    if (this.isText(type)) return this.text(latin1(payload));
    await this.write(Uint8Array.from(this.binaryReply(type) ?? [MESSAGE_TYPE.unknownMessage, 0x01, 0x85]));
  }

  /** The reply message to a text command, or undefined for `CMD Fail!`. */
  private answer(command: string): string | undefined {
    const set = /^\$(date|time),(\d{1,3}),(\d{1,3})(?:,(\d{1,3}))?$/.exec(command);
    if (set) return this.setClock(set[1] === 'date', Number(set[2]), Number(set[3]), set[4] === undefined ? undefined : Number(set[4]));
    // The meter keeps local time, like the workstation.
    const t = new Date(this.meterNow());
    if (command === '$date?') return this.lostClock ? '255,255,255\r\n' : `${t.getMonth() + 1},${t.getDate()},${t.getFullYear() - 2000}\r\n`;
    if (command === '$time?') return this.lostClock ? '255,255\r\n' : `${t.getHours()},${t.getMinutes()}\r\n`;
    return this.modelAnswer(command);
  }

  private setClock(date: boolean, a: number, b: number, c: number | undefined): string | undefined {
    const now = new Date(this.meterNow());
    const next = date
      ? c === undefined ? undefined : new Date(2000 + c, a - 1, b, now.getHours(), now.getMinutes(), now.getSeconds())
      : c !== undefined ? undefined : new Date(now.getFullYear(), now.getMonth(), now.getDate(), a, b, 0);
    if (next === undefined || Number.isNaN(next.getTime())) return undefined;
    this.offsetMs = next.getTime() - this.ctx.clock.now();
    this.lostClock = false;
    return '';
  }

  private async text(command: string): Promise<void> {
    const message = this.answer(command);
    let reply = formatTextReply(message ?? '', message !== undefined);
    const records = this.recordCommands.includes(command);
    if (records && this.corruptPending && message !== undefined && message !== LOG_EMPTY) {
      // One byte of the first record changes in transit: the CKSM (sent as computed) no longer matches.
      this.corruptPending = false;
      reply = `${String.fromCharCode(reply.charCodeAt(0) ^ 0x01)}${reply.slice(1)}`;
    }
    if (this.ctx.fault === 'bad-checksum') reply = reply.replace(/CKSM:([0-9A-F]{7})([0-9A-F])/, (_, head: string, last: string) => `CKSM:${head}${last === '0' ? '1' : '0'}`);
    const split = this.options.splitSizes;
    if (records && split) await this.write(Uint8Array.of(MESSAGE_TYPE.unknownMessage, 0x01, 0x85));
    const payloads = splitPayloads(reply, split);
    for (let k = 0; k < payloads.length; k++) {
      if (k > 0 && k % KEEPALIVE_EVERY_REPORTS === 0) await this.write(Uint8Array.of(MESSAGE_TYPE.keepAlive, 0x01, this.keepAlive++ & 0xff));
      await this.write(this.textReport(payloads[k] ?? new Uint8Array(0)));
    }
  }

  private textReport(payload: Uint8Array): Uint8Array {
    const head = [MESSAGE_TYPE.text, payload.length];
    // Fault `truncate`: the report ends halfway through the payload its length byte announces.
    if (this.ctx.fault === 'truncate') return Uint8Array.from([...head, ...payload.subarray(0, Math.floor(payload.length / 2))]);
    const report = new Uint8Array(REPORT_SIZE_BYTES);
    report.set(head);
    report.set(payload, 2);
    // Device padding is garbage (abbott-freestyle-neo/PROTOCOL.md §2): the split scenario sends some.
    if (this.options.splitSizes) for (let i = 2 + payload.length; i < REPORT_SIZE_BYTES; i++) report[i] = (0xa5 ^ i) & 0xff;
    return report;
  }

  /** One report out, then the USB frame it takes: a paced link carries the same time, so they overlap. */
  protected async write(report: Uint8Array): Promise<void> {
    if (this.stop.aborted) return;
    await this.ctx.link.write(report);
    await sleep(this.ctx.clock, REPORT_INTERVAL_MS, this.stop);
  }
}
