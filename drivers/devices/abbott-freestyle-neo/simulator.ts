import { HubError } from '../../../shared/errors.ts';
import { fromLatin1, serveRequests, type Simulator, type SimulatorContext } from '../../kit/index.ts';
import { SimulatedFreestyleMeter, multiRecordReply } from '../../families/freestyle-hid/simulated-meter.ts';
import { MESSAGE_TYPE } from './protocol.ts';
import { libreRecords, neoRecords } from './simulated-device.ts';

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

/** One simulated meter: its memory and its model's answers (PROTOCOL.md §2–6); the family plays the rest. */
class SimulatedMeter extends SimulatedFreestyleMeter {
  private readonly records: string[];

  constructor(
    ctx: SimulatorContext,
    private readonly setup: Setup,
    stop: AbortSignal,
  ) {
    super(ctx, stop, { ...setup, ...(setup.split ? { splitSizes: SPLIT_SIZES } : {}) }, ['$result?', '$arresult?']);
    const now = this.meterNow();
    this.records = setup.family === 'neo' ? neoRecords(setup.records, now) : libreRecords(now);
  }

  protected isText(type: number): boolean {
    return type === MESSAGE_TYPE.text || (type === MESSAGE_TYPE.libreText && this.setup.family === 'libre');
  }

  protected binaryReply(type: number): number[] | undefined {
    const serial = SERIAL[this.setup.family];
    const version = VERSION[this.setup.family];
    const replies: Record<number, number[]> = {
      [MESSAGE_TYPE.init]: [MESSAGE_TYPE.initReply, 0x01, 0x01],
      [MESSAGE_TYPE.preInit]: [MESSAGE_TYPE.preInitReply, 0x01, 0x5a],
      [MESSAGE_TYPE.serialQuery]: [MESSAGE_TYPE.serialReply, serial.length + 1, ...fromLatin1(serial), 0],
      [MESSAGE_TYPE.versionQuery]: [MESSAGE_TYPE.versionReply, version.length + 1, ...fromLatin1(version), 0],
    };
    return replies[type];
  }

  protected modelAnswer(command: string): string | undefined {
    const neo = this.setup.family === 'neo';
    switch (command) {
      case '$serlnum?':
        return neo ? `${SERIAL.neo}\r\n` : undefined;
      case '$sn?':
        return neo ? undefined : `${SERIAL.libre}\r\n`;
      case '$swver?':
        return `${VERSION[this.setup.family]}\r\n`;
      case '$gunits?':
        return neo ? `${this.setup.unit ?? '1'}\r\n` : undefined;
      case '$uom?':
        return neo ? undefined : `${this.setup.unit ?? '1'}\r\n`;
      case '$dbrnum?':
        return neo ? undefined : `DBRECORDS = ${LIBRE_HISTORY_RECORDS}\r\n`;
      case '$result?':
        return neo ? multiRecordReply(this.records) : undefined;
      case '$arresult?':
        return neo ? undefined : multiRecordReply(this.records);
      default:
        return undefined;
    }
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
