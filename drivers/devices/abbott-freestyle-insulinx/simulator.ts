import { HubError } from '../../../shared/errors.ts';
import { latin1, serveRequests, type Simulator, type SimulatorContext, sleep } from '../../kit/index.ts';
import { LOG_EMPTY, MESSAGE_TYPE, REPORT_SIZE_BYTES, formatTextReply, hex, parseReport, splitPayloads, textChecksum } from '../../families/freestyle-hid/protocol.ts';
import { NOTES_EXAMPLE_RECORDS, insulinxRecords, meterFields } from './simulated-device.ts';

/** One report per USB frame (1 ms), as the Neo simulator paces them. */
const REPORT_INTERVAL_MS = 1;
/** A keep-alive `22 01 xx` after every third data report of a reply (FreeStyle HID family). */
const KEEPALIVE_EVERY_REPORTS = 3;
const CLOCK_OFF_MS = -3 * 60 * 60 * 1000;
const SERIAL = 'JAGA184-C2108';
const VERSION = '1.24';

interface Setup {
  records: number | 'notes';
  clockOffsetMs?: number;
  lostClock?: boolean;
  corruptOnce?: boolean;
}

const SCENARIOS: Readonly<Record<string, Setup>> = {
  'notes-example': { records: 'notes' },
  memory: { records: 30 },
  empty: { records: 0 },
  'checksum-error': { records: 10, corruptOnce: true },
  'clock-off': { records: 8, clockOffsetMs: CLOCK_OFF_MS },
  'clock-lost': { records: 4, lostClock: true },
  big: { records: 500 },
};

/** One simulated InsuLinx: its clock, its memory and its answers (PROTOCOL.md §3). */
class SimulatedInsulinx {
  private offsetMs: number;
  private lostClock: boolean;
  private corruptPending: boolean;
  private keepAlive = 5;
  private readonly records: readonly string[];

  constructor(
    private readonly ctx: SimulatorContext,
    private readonly setup: Setup,
    private readonly stop: AbortSignal,
  ) {
    this.offsetMs = setup.clockOffsetMs ?? 0;
    this.lostClock = setup.lostClock ?? false;
    this.corruptPending = setup.corruptOnce ?? false;
    this.records = setup.records === 'notes' ? NOTES_EXAMPLE_RECORDS : insulinxRecords(setup.records, this.ctx.clock.now() + this.offsetMs);
  }

  async handle(bytes: Uint8Array): Promise<void> {
    const parsed = parseReport(bytes);
    if (!parsed.ok) return; // a real meter ignores what it cannot read
    const { type, payload } = parsed.report;
    if (type === MESSAGE_TYPE.text) return this.text(latin1(payload));
    await this.write(Uint8Array.from(type === MESSAGE_TYPE.init ? [MESSAGE_TYPE.initReply, 0x01, 0x01] : [MESSAGE_TYPE.unknownMessage, 0x01, 0x85]));
  }

  private answer(command: string): string | undefined {
    const t = meterFields(this.ctx.clock.now() + this.offsetMs);
    const set = /^\$(date|time),(\d{1,3}),(\d{1,3})(?:,(\d{1,3}))?$/.exec(command);
    if (set) return this.setClock(set[1] === 'date', Number(set[2]), Number(set[3]), set[4] === undefined ? undefined : Number(set[4]));
    switch (command) {
      case '$serlnum?':
        return `${SERIAL}\r\n`;
      case '$swver?':
        return `${VERSION}\r\n`;
      case '$date?':
        return this.lostClock ? '255,255,255\r\n' : `${t.month},${t.day},${t.year2}\r\n`;
      case '$time?':
        return this.lostClock ? '255,255\r\n' : `${t.hour},${t.minute}\r\n`;
      case '$result?':
        if (this.records.length === 0) return LOG_EMPTY;
        return ((body) => `${body}${this.records.length},${hex(textChecksum(body), 8)}\r\n`)(this.records.map((r) => `${r}\r\n`).join(''));
      default:
        return undefined;
    }
  }

  private setClock(date: boolean, a: number, b: number, c: number | undefined): string | undefined {
    const now = new Date(this.ctx.clock.now() + this.offsetMs);
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
    if (command === '$result?' && this.corruptPending && message !== undefined && message !== LOG_EMPTY) {
      // One byte of the first record changes in transit: the CKSM (sent as computed) no longer matches.
      this.corruptPending = false;
      reply = `${String.fromCharCode(reply.charCodeAt(0) ^ 0x01)}${reply.slice(1)}`;
    }
    if (this.ctx.fault === 'bad-checksum') reply = reply.replace(/CKSM:([0-9A-F]{7})([0-9A-F])/, (_, head: string, last: string) => `CKSM:${head}${last === '0' ? '1' : '0'}`);
    const payloads = splitPayloads(reply);
    for (let k = 0; k < payloads.length; k++) {
      if (k > 0 && k % KEEPALIVE_EVERY_REPORTS === 0) await this.write(Uint8Array.of(MESSAGE_TYPE.keepAlive, 0x01, this.keepAlive++ & 0xff));
      const payload = payloads[k] ?? new Uint8Array(0);
      // Fault `truncate`: the report ends halfway through the payload its length byte announces.
      const body = this.ctx.fault === 'truncate' ? payload.subarray(0, Math.floor(payload.length / 2)) : payload;
      const report = new Uint8Array(this.ctx.fault === 'truncate' ? 2 + body.length : REPORT_SIZE_BYTES);
      report.set([MESSAGE_TYPE.text, payload.length]);
      report.set(body, 2);
      await this.write(report);
    }
  }

  private async write(report: Uint8Array): Promise<void> {
    if (this.stop.aborted) return;
    await this.ctx.link.write(report);
    await sleep(this.ctx.clock, REPORT_INTERVAL_MS, this.stop);
  }
}

/** The InsuLinx side of the FreeStyle HID link, on `ctx.clock` only. */
export const simulator: Simulator = {
  scenarios: [
    { name: 'notes-example', description: 'The two records of the PROTOCOL.md §3 example (104 and 165 mg/dL)' },
    { name: 'memory', description: 'InsuLinx, 30 records: glucose, insulin log entries (not imported), one HI shown as text' },
    { name: 'empty', description: 'InsuLinx with an empty memory ("Log Empty")' },
    { name: 'checksum-error', description: 'The first $result? reply arrives with one byte changed (bad CKSM); the re-sent command gets it whole' },
    { name: 'clock-off', description: 'InsuLinx whose clock is 3 hours behind the workstation' },
    { name: 'clock-lost', description: 'InsuLinx whose clock was lost (reads 255,255,255)' },
    { name: 'big', description: 'InsuLinx with 500 records (benchmark)' },
  ],
  async run(ctx) {
    const setup = SCENARIOS[ctx.scenario];
    if (!setup) throw new HubError('INPUT_INVALID', `the InsuLinx simulator has no scenario "${ctx.scenario}"`);
    await serveRequests(ctx, (stop) => new SimulatedInsulinx(ctx, setup, stop));
  },
};
