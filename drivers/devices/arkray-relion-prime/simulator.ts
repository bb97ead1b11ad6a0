import { HubError } from '../../../shared/errors.ts';
import { type Simulator, type SimulatorContext, fromLatin1, serveRequests, sleep } from '../../kit/index.ts';
import { RECORD_FLAG, encodeRecord } from './decode.ts';
import { CONTROL, formatFramedLine } from './protocol.ts';

/** 19200 baud at 10 bits a byte, as the bench counts wire time (docs/adding-a-driver.md §11). */
const BAUD = 19_200;
/** Minutes between two records: 6 h 7 min. */
const SPACING_MS = (6 * 60 + 7) * 60_000;

interface Setup {
  records: number;
  model?: string;
  clockOffsetMs?: number;
  /** The first reply for the newest record has its checksum wrong. */
  corruptOnce?: boolean;
  /** Index 1 holds no record (the meter answers NAK). */
  gap?: boolean;
}

const SCENARIOS: Readonly<Record<string, Setup>> = {
  memory: { records: 30 },
  empty: { records: 0 },
  vital: { records: 8, model: 'GlucocardVital' },
  'checksum-error': { records: 10, corruptOnce: true },
  'clock-off': { records: 6, clockOffsetMs: -2 * 60 * 60 * 1000 },
  gap: { records: 5, gap: true },
  big: { records: 500 },
};

type Mode = 'off' | 'after-nak' | 'header' | 'after-header' | 'remote-pending' | 'remote';

/** One simulated meter (PROTOCOL.md §3): header, remote command mode, tokens answered one by one. */
class SimulatedMeter {
  private mode: Mode = 'off';
  private offsetMs: number;
  private corruptPending: boolean;
  private text = '';
  /** The tokens of the command so far (`R|`, `N|`, …). */
  private command: string[] = [];

  constructor(
    private readonly ctx: SimulatorContext,
    private readonly setup: Setup,
    private readonly stop: AbortSignal,
  ) {
    this.offsetMs = setup.clockOffsetMs ?? 0;
    this.corruptPending = setup.corruptOnce ?? false;
    this.memoryAt = this.meterNow().getTime();
  }

  /** The meter clock when its memory was made: stored records do not move with the clock. */
  private readonly memoryAt: number;

  private meterNow(): Date {
    return new Date(this.ctx.clock.now() + this.offsetMs); // the meter keeps local time
  }

  async handle(chunk: Uint8Array): Promise<void> {
    for (const b of chunk) {
      if (b === CONTROL.eot) {
        this.mode = 'header';
        await this.write([CONTROL.enq]);
      } else if (b === CONTROL.ack && this.mode === 'after-nak') {
        // After a NAK the meter starts over as after EOT: ENQ, then the header on the next ACK
        // (PROTOCOL.md §3: the host re-enters with ACK, ACK, 0x92, ENQ).
        this.mode = 'header';
        await this.write([CONTROL.enq]);
      } else if (b === CONTROL.ack && this.mode === 'header') {
        this.mode = 'after-header';
        const model = this.setup.model ?? 'ReliOnPrime';
        await this.line(`1H|\\^&|||${model}^V1.0^SN4471093|||||||P|1|`);
        await this.line('2P|1|');
      } else if (b === CONTROL.remote && this.mode !== 'after-nak' && this.mode !== 'header') {
        this.mode = 'remote-pending';
        await this.write([CONTROL.eot]);
      } else if (b === CONTROL.enq && this.mode === 'remote-pending') {
        this.mode = 'remote';
        this.command = [];
        await this.write([CONTROL.ack]);
      } else if (b >= 0x20 && b < 0x7f && this.mode === 'remote') {
        this.text += String.fromCharCode(b);
        if (b === 0x7c) await this.token(this.text);
      }
      // Anything else (a CR after a set value, an ACK out of turn) is not answered.
    }
  }

  private async token(token: string): Promise<void> {
    this.text = '';
    if (token === 'R|' || token === 'W|') {
      this.command = [token];
      return this.write([CONTROL.ack]);
    }
    this.command.push(token);
    const [verb, what, value] = this.command;
    const t = this.meterNow();
    const two = (n: number): string => String(n).padStart(2, '0');
    if (verb === 'R|' && what === 'T|') return this.line(`T|${two(t.getHours())}${two(t.getMinutes())}|`);
    if (verb === 'R|' && what === 'D|') return this.line(`D|${two(t.getFullYear() % 100)}${two(t.getMonth() + 1)}${two(t.getDate())}|`);
    if (verb === 'R|' && what === 'M|') return this.line(`M|${this.setup.records}|`);
    if (verb === 'R|' && what === 'N|' && value === undefined) return this.write([CONTROL.ack]);
    if (verb === 'R|' && what === 'N|' && value !== undefined) return this.record(parseInt(value, 16));
    if (verb === 'W|' && value === undefined) return this.write([CONTROL.ack]);
    if (verb === 'W|' && value !== undefined) return this.setClock(what, value);
    return this.write([CONTROL.nak]);
  }

  private async record(index: number): Promise<void> {
    const { records } = this.setup;
    if (!(index >= 0 && index < records) || (this.setup.gap && index === 1)) {
      this.mode = 'after-nak'; // after a NAK the host re-enters remote command mode
      return this.write([CONTROL.nak]);
    }
    const age = records - index; // index records-1 is the newest
    const at = new Date(this.memoryAt - age * SPACING_MS);
    const i = records - 1 - index;
    const flags = i % 9 === 4 ? RECORD_FLAG.control : i === 2 ? RECORD_FLAG.high : i === 6 ? RECORD_FLAG.low : 0;
    const value = flags === RECORD_FLAG.high ? 600 : flags === RECORD_FLAG.low ? 20 : flags === RECORD_FLAG.control ? 112 + (i % 5) : 70 + ((i * 43) % 260);
    const body = encodeRecord({ value, minute: at.getMinutes(), hour: at.getHours(), day: at.getDate(), month: at.getMonth() + 1, year: at.getFullYear(), flags });
    const corrupt = this.corruptPending && index === records - 1;
    if (corrupt) this.corruptPending = false;
    await this.line(`${index.toString(16).toUpperCase().padStart(3, '0')}|${body}`, corrupt);
  }

  private async setClock(what: string | undefined, value: string): Promise<void> {
    const now = this.meterNow();
    const m = /^(\d{2})(\d{2})(\d{2})?\|$/.exec(value);
    if (!m) return this.write([CONTROL.nak]);
    const next = what === 'D|' && m[3] !== undefined
      ? new Date(2000 + Number(m[1]), Number(m[2]) - 1, Number(m[3]), now.getHours(), now.getMinutes(), now.getSeconds())
      : new Date(now.getFullYear(), now.getMonth(), now.getDate(), Number(m[1]), Number(m[2]), 0);
    this.offsetMs = next.getTime() - this.ctx.clock.now();
    return this.write([CONTROL.ack]);
  }

  private async line(content: string, corrupt = false): Promise<void> {
    let text = formatFramedLine(content);
    if (corrupt || this.ctx.fault === 'bad-checksum') text = text.replace(/([0-9A-F])\r\n$/, (_, d: string) => `${d === '0' ? '1' : '0'}\r\n`);
    if (this.ctx.fault === 'truncate') text = text.slice(0, Math.floor(text.length / 2));
    await this.write([...fromLatin1(text)]);
  }

  private async write(bytes: readonly number[]): Promise<void> {
    if (this.stop.aborted) return;
    await this.ctx.link.write(Uint8Array.from(bytes));
    await sleep(this.ctx.clock, (bytes.length * 10 * 1000) / BAUD, this.stop);
  }
}

/** The meter's side over a byte link, on `ctx.clock` only, until the host hangs up. */
export const simulator: Simulator = {
  scenarios: [
    { name: 'memory', description: 'ReliOn Prime, 30 records: glucose, control solution (flag 04), HI (01), LO (02)' },
    { name: 'empty', description: 'No records (count 0)' },
    { name: 'vital', description: 'GLUCOCARD Vital header, 8 records' },
    { name: 'checksum-error', description: 'The first reply for the newest record has a wrong checksum; asked again, it is whole' },
    { name: 'clock-off', description: 'Meter clock 2 hours behind the workstation' },
    { name: 'gap', description: '5 records, index 1 empty (NAK): the host re-enters remote command mode' },
    { name: 'big', description: '500 records (benchmark)' },
  ],
  async run(ctx) {
    const setup = SCENARIOS[ctx.scenario];
    if (!setup) throw new HubError('CONFIG_INVALID', `the ReliOn Prime simulator has no scenario "${ctx.scenario}" (scenarios: ${Object.keys(SCENARIOS).join(', ')})`);
    await serveRequests(ctx, (stop) => new SimulatedMeter(ctx, setup, stop));
  },
};
