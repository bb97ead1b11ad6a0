import { HubError } from '../../../shared/errors.ts';
import { fromLatin1, latin1, serveRequests, type Simulator, type SimulatorContext, sleep } from '../../kit/index.ts';
import { MESSAGE_TYPE, REPORT_SIZE_BYTES, LOG_EMPTY, formatTextReply, hex, parseReport, splitPayloads, textChecksum } from './protocol.ts';
import { libreRecords, meterFields, neoRecords } from './simulated-device.ts';

/**
 * Replies go out one report per USB frame (1 ms): the meter writes a report, then is busy that
 * long (PROTOCOL.md §7). No think time before a reply: no source gives one.
 */
const REPORT_INTERVAL_MS = 1;
/** A keep-alive `22 01 xx` after every third data report of a reply (PROTOCOL.md §2: "about every third"). */
const KEEPALIVE_EVERY_REPORTS = 3;
/** Two hours, for the `clock-off` scenario (the meter clock is behind). */
const CLOCK_OFF_MS = -2 * 60 * 60 * 1000;
/** Payload sizes of the `split` scenario, cycled: every reply is cut at varied points. */
const SPLIT_SIZES = [1, 5, 62, 17, 33, 2, 61, 9, 40, 3];

interface Setup {
  family: 'neo' | 'libre';
  records: number;
  unit?: '0' | '1';
  clockOffsetMs?: number;
  lostClock?: boolean;
  /** The first records reply has one byte changed in transit (its CKSM no longer matches). */
  corruptOnce?: boolean;
  /** Replies cut at SPLIT_SIZES, garbage padding, and one `30 01 85` before the records. */
  split?: boolean;
}

const SCENARIOS: Readonly<Record<string, Setup>> = {
  memory: { family: 'neo', records: 60 },
  empty: { family: 'neo', records: 0 },
  mmol: { family: 'neo', records: 12, unit: '0' },
  'checksum-error': { family: 'neo', records: 20, corruptOnce: true },
  'clock-off': { family: 'neo', records: 12, clockOffsetMs: CLOCK_OFF_MS },
  big: { family: 'neo', records: 500 },
  libre: { family: 'libre', records: 10 },
  split: { family: 'neo', records: 20, split: true },
  'clock-lost': { family: 'neo', records: 5, lostClock: true },
};

const SERIAL = { neo: 'JGGA123-K1234', libre: 'JCMV241-T5678' } as const;
const VERSION = { neo: '2.1.2', libre: '1.6.2' } as const;
/** `$dbrnum?` of the simulated Libre, in glucometer-protocols' form (the other form: fixtures). */
const LIBRE_HISTORY_RECORDS = 8_644;

/** One simulated meter: its clock, its memory and its answers (PROTOCOL.md §2–6). */
class SimulatedMeter {
  private offsetMs: number;
  private lostClock: boolean;
  private corruptPending: boolean;
  /** Keep-alive counter byte; the PROTOCOL.md §3 example shows 05. */
  private keepAlive = 5;
  private readonly records: string[];

  constructor(
    private readonly ctx: SimulatorContext,
    private readonly setup: Setup,
    private readonly stop: AbortSignal,
  ) {
    this.offsetMs = setup.clockOffsetMs ?? 0;
    this.lostClock = setup.lostClock ?? false;
    this.corruptPending = setup.corruptOnce ?? false;
    const now = this.meterNow();
    this.records = setup.family === 'neo' ? neoRecords(setup.records, now) : libreRecords(now);
  }

  private meterNow(): number {
    return this.ctx.clock.now() + this.offsetMs;
  }

  async handle(bytes: Uint8Array): Promise<void> {
    const parsed = parseReport(bytes);
    if (!parsed.ok) return; // a real meter ignores what it cannot read
    const { type, payload } = parsed.report;
    if (type === MESSAGE_TYPE.text || (type === MESSAGE_TYPE.libreText && this.setup.family === 'libre')) return this.text(latin1(payload));
    const serial = SERIAL[this.setup.family];
    const version = VERSION[this.setup.family];
    const replies: Record<number, number[]> = {
      [MESSAGE_TYPE.init]: [MESSAGE_TYPE.initReply, 0x01, 0x01],
      [MESSAGE_TYPE.preInit]: [MESSAGE_TYPE.preInitReply, 0x01, 0x5a],
      [MESSAGE_TYPE.serialQuery]: [MESSAGE_TYPE.serialReply, serial.length + 1, ...fromLatin1(serial), 0],
      [MESSAGE_TYPE.versionQuery]: [MESSAGE_TYPE.versionReply, version.length + 1, ...fromLatin1(version), 0],
    };
    await this.write(Uint8Array.from(replies[type] ?? [MESSAGE_TYPE.unknownMessage, 0x01, 0x85]));
  }

  /** The reply message to a text command, or undefined for `CMD Fail!`. */
  private answer(command: string): string | undefined {
    const neo = this.setup.family === 'neo';
    const t = meterFields(this.meterNow());
    const set = /^\$(date|time),(\d{1,3}),(\d{1,3})(?:,(\d{1,3}))?$/.exec(command);
    if (set) return this.setClock(set[1] === 'date', Number(set[2]), Number(set[3]), set[4] === undefined ? undefined : Number(set[4]));
    switch (command) {
      case '$serlnum?':
        return neo ? `${SERIAL.neo}\r\n` : undefined;
      case '$sn?':
        return neo ? undefined : `${SERIAL.libre}\r\n`;
      case '$swver?':
        return `${VERSION[this.setup.family]}\r\n`;
      case '$date?':
        return this.lostClock ? '255,255,255\r\n' : `${t.month},${t.day},${t.year2}\r\n`;
      case '$time?':
        return this.lostClock ? '255,255\r\n' : `${t.hour},${t.minute}\r\n`;
      case '$gunits?':
        return neo ? `${this.setup.unit ?? '1'}\r\n` : undefined;
      case '$uom?':
        return neo ? undefined : `${this.setup.unit ?? '1'}\r\n`;
      case '$dbrnum?':
        return neo ? undefined : `DBRECORDS = ${LIBRE_HISTORY_RECORDS}\r\n`;
      case '$result?':
        return neo ? this.multiRecord() : undefined;
      case '$arresult?':
        return neo ? undefined : this.multiRecord();
      default:
        return undefined;
    }
  }

  private multiRecord(): string {
    if (this.records.length === 0) return LOG_EMPTY;
    const body = this.records.map((r) => `${r}\r\n`).join('');
    return `${body}${this.records.length},${hex(textChecksum(body), 8)}\r\n`;
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
    const records = command === '$result?' || command === '$arresult?';
    if (records && this.corruptPending && message !== undefined && message !== LOG_EMPTY) {
      // One byte of the first record changes in transit: the CKSM (sent as computed) no longer matches.
      this.corruptPending = false;
      reply = `${String.fromCharCode(reply.charCodeAt(0) ^ 0x01)}${reply.slice(1)}`;
    }
    if (this.ctx.fault === 'bad-checksum') reply = reply.replace(/CKSM:([0-9A-F]{7})([0-9A-F])/, (_, head: string, last: string) => `CKSM:${head}${last === '0' ? '1' : '0'}`);
    if (records && this.setup.split) await this.write(Uint8Array.of(MESSAGE_TYPE.unknownMessage, 0x01, 0x85));
    const payloads = splitPayloads(reply, this.setup.split ? SPLIT_SIZES : undefined);
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
    // Device padding is garbage (PROTOCOL.md §2): the split scenario sends some.
    if (this.setup.split) for (let i = 2 + payload.length; i < REPORT_SIZE_BYTES; i++) report[i] = (0xa5 ^ i) & 0xff;
    return report;
  }

  /** One report out, then the USB frame it takes: a paced link carries the same time, so they overlap. */
  private async write(report: Uint8Array): Promise<void> {
    if (this.stop.aborted) return;
    await this.ctx.link.write(report);
    await sleep(this.ctx.clock, REPORT_INTERVAL_MS, this.stop);
  }
}

/**
 * The meter's side of the shim protocol over a reports-mode link, on `ctx.clock` only: it
 * answers every report the host writes, in order, until the host hangs up or the signal aborts.
 */
export const simulator: Simulator = {
  scenarios: [
    { name: 'memory', description: 'Precision Neo, mg/dL, 60 records: glucose, controls, HI, LO, β-ketone (one control, one HI), insulin, time change, basal titration' },
    { name: 'empty', description: 'Precision Neo with an empty memory ("Log Empty")' },
    { name: 'mmol', description: 'Precision Neo set to mmol/L ($gunits? = 0); its records still carry mg/dL' },
    { name: 'checksum-error', description: 'The first $result? reply arrives with one byte changed (bad CKSM); the re-sent command gets it whole' },
    { name: 'clock-off', description: 'Precision Neo whose clock is 2 hours behind the workstation' },
    { name: 'big', description: 'Precision Neo with 500 records (benchmark)' },
    { name: 'libre', description: 'FreeStyle Libre reader: sensor scans, strip glucose and ketone, comments, a clock change, an error record' },
    { name: 'split', description: 'As memory (20 records), replies cut at varied payload sizes, garbage padding, a 30 01 85 report' },
    { name: 'clock-lost', description: 'Precision Neo whose clock was lost (reads 255,255,255)' },
  ],

  async run(ctx) {
    const setup = SCENARIOS[ctx.scenario];
    if (!setup) throw new HubError('INPUT_INVALID', `the FreeStyle simulator has no scenario "${ctx.scenario}"`);
    await serveRequests(ctx, (stop) => new SimulatedMeter(ctx, setup, stop));
  },
};
