import { HubError } from '../../../shared/errors.ts';
import { serveRequests, type Simulator, type SimulatorContext } from '../../kit/index.ts';
import { MESSAGE_TYPE } from '../../families/freestyle-hid/protocol.ts';
import { SimulatedFreestyleMeter, multiRecordReply } from '../../families/freestyle-hid/simulated-meter.ts';
import { NOTES_EXAMPLE_RECORDS, insulinxRecords } from './simulated-device.ts';

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

/** One simulated InsuLinx: its memory and its answers (PROTOCOL.md §3); the family plays the rest. */
class SimulatedInsulinx extends SimulatedFreestyleMeter {
  private readonly records: readonly string[];

  constructor(ctx: SimulatorContext, setup: Setup, stop: AbortSignal) {
    super(ctx, stop, setup, ['$result?']);
    this.records = setup.records === 'notes' ? NOTES_EXAMPLE_RECORDS : insulinxRecords(setup.records, this.meterNow());
  }

  protected isText(type: number): boolean {
    return type === MESSAGE_TYPE.text;
  }

  protected binaryReply(type: number): number[] | undefined {
    return type === MESSAGE_TYPE.init ? [MESSAGE_TYPE.initReply, 0x01, 0x01] : undefined;
  }

  protected modelAnswer(command: string): string | undefined {
    switch (command) {
      case '$serlnum?':
        return `${SERIAL}\r\n`;
      case '$swver?':
        return `${VERSION}\r\n`;
      case '$result?':
        return multiRecordReply(this.records);
      default:
        return undefined;
    }
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
