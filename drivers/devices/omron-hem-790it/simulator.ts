import { HubError } from '../../../shared/errors.ts';
import { fromLatin1, latin1, serveRequests, sleep, type Simulator, type SimulatorContext } from '../../kit/index.ts';
import { NO, OFF, answerReports, toReports } from './protocol.ts';
import { NOTES_EXAMPLE, memoryOf } from './simulated-device.ts';

/** One report per USB frame (1 ms): write, then wait (docs/adding-a-driver.md §11). No think time: no source gives one. */
const REPORT_INTERVAL_MS = 1;
/** Clearing block: seven zero bytes, then 23 more (PROTOCOL.md §2). */
const CLEAR_FIRST = 7;
const CLEAR_TOTAL = 30;
/** The version text of the notes' unit (PROTOCOL.md §4). */
const VERSION = 'M7080IT 207';
/** Command lengths by their letters, checksum included (PROTOCOL.md §3–5). */
const LENGTHS: Readonly<Record<string, number>> = { VER: 5, PRF: 5, SRL: 5, END: 5, GDC: 8, GME: 8 };

interface Setup {
  records: (nowMs: number) => number[][];
  /** Answer NO to the first GME of each index once (the notes: "will sometimes return NO"). */
  busy?: boolean;
  /** The first GME answer has one data byte changed in transit (its checksum no longer matches). */
  corruptOnce?: boolean;
}

const SCENARIOS: Readonly<Record<string, Setup>> = {
  memory: { records: (now) => memoryOf(14, now) },
  empty: { records: () => [] },
  'notes-example': { records: () => [[...NOTES_EXAMPLE]] },
  busy: { records: (now) => memoryOf(4, now), busy: true },
  'checksum-error': { records: (now) => memoryOf(4, now), corruptOnce: true },
  // Month 0: the monitor's clock was never set (or the slot is damaged): kept without a time.
  'bad-date': { records: (now) => [...memoryOf(2, now), [0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x7a, 0x4f, 0x45, 0x00, 0x00]] },
  full: { records: (now) => memoryOf(84, now) },
  // Far more than a home monitor keeps: the download benchmark's common size (bench/download-time.ts).
  big: { records: (now) => memoryOf(500, now) },
};

/** One simulated HEM-790IT-family monitor answering the host, report by report. */
class SimulatedMonitor {
  private pending: number[] = [];
  private zeros = 0;
  private readonly memory: number[][];
  private readonly refused = new Set<number>();
  private corruptPending: boolean;

  constructor(
    private readonly ctx: SimulatorContext,
    private readonly setup: Setup,
    private readonly stop: AbortSignal,
  ) {
    this.memory = setup.records(ctx.clock.now());
    this.corruptPending = setup.corruptOnce ?? false;
  }

  async handle(report: Uint8Array): Promise<void> {
    const count = report[0] ?? 0;
    if (count === 0 || count > 7) return; // not a report the monitor reads
    const data = Array.from(report.subarray(1, 1 + count));
    if (this.pending.length === 0 && data.every((b) => b === 0)) return this.clearing(data.length);
    this.zeros = 0;
    this.pending.push(...data);
    const letters = latin1(Uint8Array.from(this.pending.slice(0, 3)));
    const length = this.pending.length >= 3 ? LENGTHS[letters] : undefined;
    if (this.pending.length >= 3 && length === undefined) {
      this.pending = [];
      return this.send(toReports(NO));
    }
    if (length === undefined || this.pending.length < length) return;
    const command = this.pending.slice(0, length);
    this.pending = [];
    await this.command(letters, command);
  }

  private async clearing(n: number): Promise<void> {
    this.zeros += n;
    if (this.zeros === CLEAR_FIRST) return this.send(toReports(new Uint8Array(7)));
    if (this.zeros >= CLEAR_TOTAL) {
      this.zeros = 0;
      await this.send(toReports(fromLatin1('OK')));
    }
  }

  private async command(letters: string, command: number[]): Promise<void> {
    const args = command.slice(3, -1);
    const sum = args.reduce((a, b) => a ^ b, 0);
    if (letters !== 'END' && sum !== command.at(-1)) return this.send(toReports(NO));
    switch (letters) {
      case 'VER':
        return this.answer(fromLatin1(VERSION));
      case 'PRF':
        return this.answer(fromLatin1('0010100'));
      case 'SRL':
        return this.answer(Uint8Array.of(0x06, 0, 0, 0, 0, 0, 0));
      case 'GDC':
        // Bank 0 holds the memory; other banks are empty [the bank's meaning is INFERRED].
        return this.answer(Uint8Array.of(0x00, 0x0a, ...(args[1] === 0 ? [this.memory.length >> 8, this.memory.length & 0xff] : [0, 0])));
      case 'GME': {
        const index = ((args[2] ?? 0) << 8) | (args[3] ?? 0);
        const record = args[1] === 0 ? this.memory[index] : undefined;
        if (!record) return this.send(toReports(NO));
        if (this.setup.busy && !this.refused.has(index)) {
          this.refused.add(index);
          return this.send(toReports(NO));
        }
        const bytes = Uint8Array.from(record);
        const reports = answerReports(bytes);
        if (this.corruptPending) {
          this.corruptPending = false;
          const first = reports[1];
          if (first) first[3] = (first[3] ?? 0) ^ 0x01; // a seconds bit flips in transit
        }
        return this.send(reports);
      }
      case 'END':
        return this.send(toReports(fromLatin1(OFF)));
      default:
        return this.send(toReports(NO));
    }
  }

  /** An `OK 00` answer with its checksum; the faults damage every one of them. */
  private async answer(payload: Uint8Array): Promise<void> {
    const reports = answerReports(payload);
    if (this.ctx.fault === 'bad-checksum') {
      const last = reports.at(-1);
      if (last) last[last[0] ?? 1] = (last[last[0] ?? 1] ?? 0) ^ 0xff;
    }
    await this.send(reports);
  }

  private async send(reports: Uint8Array[]): Promise<void> {
    for (const report of reports) {
      if (this.stop.aborted) return;
      // Fault `truncate`: every report ends before its eighth byte, so none is whole.
      await this.ctx.link.write(this.ctx.fault === 'truncate' ? report.subarray(0, 5) : report);
      await sleep(this.ctx.clock, REPORT_INTERVAL_MS, this.stop);
    }
  }
}

/**
 * The monitor's side of the HEM-790IT HID protocol over a reports-mode link, on `ctx.clock`
 * only. It does not see the feature report that selects the mode (memory links carry none), so
 * it answers every command in any mode (PROTOCOL.md §7).
 */
export const simulator: Simulator = {
  scenarios: [
    { name: 'memory', description: '14 stored measurements, two a day: irregular heartbeat, movement, a TruRead triple, a systolic over 255' },
    { name: 'empty', description: 'An empty memory (count 0)' },
    { name: 'notes-example', description: "The protocol notes' one example reading: 2007-01-03 00:06:51, 112/75 mmHg, pulse 71" },
    { name: 'busy', description: '4 measurements; the monitor answers NO to the first request for each' },
    { name: 'checksum-error', description: '4 measurements; the first reading arrives with one bit flipped (bad checksum) and is asked for again' },
    { name: 'bad-date', description: '3 measurements, one stored with month 0 (the clock was never set): kept without a time, flagged' },
    { name: 'full', description: '84 stored measurements' },
    { name: 'big', description: '500 stored measurements, more than a real monitor keeps (download benchmark)' },
  ],

  async run(ctx) {
    const setup = SCENARIOS[ctx.scenario];
    if (!setup) throw new HubError('CONFIG_INVALID', `the HEM-790IT simulator has no scenario "${ctx.scenario}" (it has ${Object.keys(SCENARIOS).join(', ')})`);
    await serveRequests(ctx, (stop) => new SimulatedMonitor(ctx, setup, stop));
  },
};
