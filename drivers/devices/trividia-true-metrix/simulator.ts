import { HubError } from '../../../shared/errors.ts';
import { type Simulator, type SimulatorContext, serveRequests, sleep } from '../../kit/index.ts';
import { COMMANDS, decodeCommand, formatMessage, hex, splitInputReports } from './protocol.ts';
import { clockDigits, memoryRecords } from './simulated-device.ts';
import { downloadSum } from './decode.ts';

/** One input report per USB frame (1 ms), written then waited (docs/adding-a-driver.md §11). */
const REPORT_INTERVAL_MS = 1;
/** The notes' constructed example (PROTOCOL.md §5): its two records, its serial, its clock. */
const EXAMPLE_RECORDS = ['320C2E606800', '320B1AE07800'];
/** Report sizes of the `split` scenario, cycled. */
const SPLIT_SIZES = [1, 7, 63, 13, 2, 40, 5];

interface Setup {
  model: 'MR2' | 'RC2' | 'BLU';
  records: number | 'example';
  serial?: string;
  clockOffsetMs?: number;
  /** The `t` reply is no date (`000000000000`). */
  lostClock?: boolean;
  /** The first (G) transfer has one record character changed in transit: the `x` sum fails. */
  corruptOnce?: boolean;
  split?: boolean;
  /** The meter sends no `v` reply (firmware unknown). */
  noFirmware?: boolean;
}

const SCENARIOS: Readonly<Record<string, Setup>> = {
  memory: { model: 'MR2', records: 40 },
  empty: { model: 'MR2', records: 0 },
  'notes-example': { model: 'MR2', records: 'example', serial: 'ABC12345', noFirmware: true },
  go: { model: 'RC2', records: 12 },
  'checksum-error': { model: 'MR2', records: 20, corruptOnce: true },
  'clock-off': { model: 'BLU', records: 10, clockOffsetMs: -3 * 60 * 60 * 1000 },
  'clock-lost': { model: 'MR2', records: 5, lostClock: true },
  split: { model: 'MR2', records: 20, split: true },
  big: { model: 'MR2', records: 500 },
};

/** One simulated meter: asleep after `(_)`, awake after `(^)`, answering as PROTOCOL.md §3 says. */
class SimulatedMeter {
  private awake = true;
  private corruptPending: boolean;
  private readonly records: string[];

  constructor(
    private readonly ctx: SimulatorContext,
    private readonly setup: Setup,
    private readonly stop: AbortSignal,
  ) {
    this.corruptPending = setup.corruptOnce ?? false;
    this.records = setup.records === 'example' ? EXAMPLE_RECORDS : memoryRecords(setup.records, this.meterNow());
  }

  private meterNow(): number {
    return this.ctx.clock.now() + (this.setup.clockOffsetMs ?? 0);
  }

  async handle(report: Uint8Array): Promise<void> {
    const command = decodeCommand(report);
    if (command === COMMANDS.powerOff) this.awake = false;
    if (command === COMMANDS.wake) this.awake = true;
    if (!this.awake || command === undefined) return; // an off meter, or a report it cannot read
    const messages = this.answer(command);
    if (messages.length > 0) await this.send(messages);
  }

  private answer(command: string): string[] {
    switch (command) {
      case COMMANDS.identify:
        return [`i${this.setup.model}`];
      case COMMANDS.serial:
        return [`z1${this.setup.serial ?? 'TM4418207'}`];
      case COMMANDS.firmware:
        return this.setup.noFirmware ? [] : ['v1.10']; // reply type assumed (PROTOCOL.md §3)
      case COMMANDS.time:
        return [`t${this.setup.lostClock ? '000000000000' : this.setup.records === 'example' ? '003014050324' : clockDigits(this.meterNow())}`];
      case COMMANDS.results:
        return this.results();
      default:
        return [];
    }
  }

  private results(): string[] {
    const bodies = [...this.records];
    const sum = downloadSum(bodies);
    if (this.corruptPending && bodies.length > 0) {
      // One record character differs from what the `x` sum was computed over (the message is
      // framed after the change), so only the download sum can catch it (PROTOCOL.md §2).
      this.corruptPending = false;
      const first = bodies[0] ?? '';
      bodies[0] = `${first.slice(0, 9)}${first[9] === '0' ? '1' : '0'}${first.slice(10)}`;
    }
    return [...bodies.map((b) => `g5${b}`), `xN${hex(sum, 4)}`];
  }

  private async send(payloads: readonly string[]): Promise<void> {
    let text = payloads.map(formatMessage).join('');
    if (this.ctx.fault === 'bad-checksum') text = payloads.map((p) => formatMessage(p).replace(/([0-9A-F])([0-9A-F])$/, (_, a: string, b: string) => `${a}${b === '0' ? '1' : '0'}`)).join('');
    for (const report of splitInputReports(text, this.setup.split ? SPLIT_SIZES : undefined)) {
      // Fault `truncate`: every report carries half of what its count byte announces.
      await this.write(this.ctx.fault === 'truncate' ? report.slice(0, 1 + Math.floor((report[0] ?? 0) / 2)) : report);
    }
  }

  private async write(report: Uint8Array): Promise<void> {
    if (this.stop.aborted) return;
    await this.ctx.link.write(report);
    await sleep(this.ctx.clock, REPORT_INTERVAL_MS, this.stop);
  }
}

/** The meter's side over a reports-mode link, on `ctx.clock` only, until the host hangs up. */
export const simulator: Simulator = {
  scenarios: [
    { name: 'memory', description: 'TRUE METRIX, 40 records: glucose, control solution, HI (>600), LO (<20), unknown characters set' },
    { name: 'empty', description: 'TRUE METRIX with no records (only the x download check)' },
    { name: 'notes-example', description: 'The constructed exchange of PROTOCOL.md §5, byte for byte (clock 2024-03-05 14:30:00)' },
    { name: 'go', description: 'TRUE METRIX GO (model code RC2), 12 records' },
    { name: 'checksum-error', description: 'The first (G) transfer has one record character changed: the x sum fails, the second transfer is whole' },
    { name: 'clock-off', description: 'TRUE METRIX AIR whose clock is 3 hours behind the workstation' },
    { name: 'clock-lost', description: 'TRUE METRIX whose clock reads 000000000000' },
    { name: 'split', description: 'As memory (20 records), replies cut into input reports of 1 to 63 bytes' },
    { name: 'big', description: 'TRUE METRIX with 500 records (benchmark)' },
  ],

  async run(ctx) {
    const setup = SCENARIOS[ctx.scenario];
    if (!setup) throw new HubError('CONFIG_INVALID', `the TRUE Metrix simulator has no scenario "${ctx.scenario}" (scenarios: ${Object.keys(SCENARIOS).join(', ')})`);
    await serveRequests(ctx, (stop) => new SimulatedMeter(ctx, setup, stop));
  },
};

