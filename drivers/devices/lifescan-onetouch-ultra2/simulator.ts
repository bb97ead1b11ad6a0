import { HubError } from '../../../shared/errors.ts';
import { localToEpochMs } from '../../../shared/time.ts';
import { fromLatin1, serveRequests, type Simulator, type SimulatorContext, sleep } from '../../kit/index.ts';
import { formatLine, lineChecksum } from './protocol.ts';
import { HI_LO, SIM_SERIAL, SIM_VERSION, clockText, headerText, memoryRecords, mixedAgeRecords, qcCheckRecords, recordText, type SimRecord } from './simulated-device.ts';

/** 9600 baud 8N1: 10 bits a byte, so this many ms on the wire per byte (PROTOCOL.md §2). */
const WIRE_MS_PER_BYTE = (10 * 1000) / 9600;
/**
 * The dump comes in bursts (PROTOCOL.md §6): this many lines per write. No pause is added between
 * bursts or before a reply: no source gives the meter's timing (PROTOCOL.md §8).
 */
const BURST_LINES = 8;
/** Records in the default memory, and in `big` (the benchmark's 500). */
const MEMORY_RECORDS = 56;
const BIG_RECORDS = 500;
const MMOL_RECORDS = 12;
/** `clock-off`: the meter clock runs this far behind, in ms. */
const CLOCK_OFF_MS = -2 * 60 * 60 * 1000;
/** `checksum-error`: the dump line damaged in the first dump only (0 = header, 1 = first record). */
const CORRUPT_LINE = 20;
/** Fault `truncate`: the share of each reply line that is sent, with no line end. */
const TRUNCATE_KEEP = 0.6;

/** Commands with a fixed text (PROTOCOL.md §3); `DMT` takes 17 more characters. */
const FIXED_COMMANDS = ['DM@', 'DM?', 'DMF', 'DMP', 'DMSU?', 'DMST?', 'DMZ'] as const;
const SET_CLOCK = /^DMT(\d\d)\/(\d\d)\/(\d\d) (\d\d):(\d\d):(\d\d)$/;
const SET_CLOCK_LENGTH = 'DMT'.length + 'MM/DD/YY HH:MM:SS'.length;

/**
 * Commands out of the host's bytes: `11 0D`, the letters, and an optional CR or CR LF (PROTOCOL.md §3:
 * glucometerutils ends with CR, Tidepool sends nothing after a query). A command is complete as
 * soon as its letters are, so the meter answers both styles.
 */
export class CommandParser {
  private state: 'idle' | 'dc1' | 'letters' = 'idle';
  private letters = '';

  push(chunk: Uint8Array): string[] {
    const out: string[] = [];
    for (const b of chunk) {
      if (b === 0x11) this.state = 'dc1';
      else if (this.state === 'dc1') {
        this.state = b === 0x0d ? 'letters' : 'idle';
        this.letters = '';
      } else if (this.state === 'letters') {
        if (b === 0x0d || b === 0x0a) {
          this.state = 'idle';
          continue;
        }
        this.letters += String.fromCharCode(b);
        const l = this.letters;
        const complete = (FIXED_COMMANDS as readonly string[]).includes(l) || (l.startsWith('DMT') && l.length === SET_CLOCK_LENGTH);
        const possible = FIXED_COMMANDS.some((c) => c.startsWith(l)) || l.startsWith('DMT') || 'DMT'.startsWith(l);
        if (complete) out.push(l);
        if (complete || !possible) this.state = 'idle';
      }
    }
    return out;
  }
}

interface Meter {
  unit: 'mg/dL' | 'mmol/L';
  records: SimRecord[];
  offsetMs: number;
  ending: string;
  oldestFirst: boolean;
  corruptOnce: boolean;
  notInPcMode: boolean;
}

const SCENARIOS = [
  { name: 'memory', description: `${MEMORY_RECORDS} records with two control-solution results, a HI and a LO (written as numbers beyond 20–600), a parity-flagged result, meal markers and comments` },
  { name: 'empty', description: 'A meter with nothing in memory' },
  { name: 'mmol', description: `A meter set to display mmol/L (${MMOL_RECORDS} records): the values on the wire are still mg/dL` },
  { name: 'checksum-error', description: `The memory scenario, with record ${CORRUPT_LINE} damaged in the first dump only (the re-requested dump is clean)` },
  { name: 'clock-off', description: 'The memory scenario with the meter clock 2 h behind' },
  { name: 'big', description: `${BIG_RECORDS} records (the benchmark)` },
  { name: 'hi-lo-words', description: 'The memory scenario with HI and LO written as words in the value field' },
  { name: 'oldest-first', description: 'The memory scenario dumped oldest record first' },
  { name: 'cr-only', description: 'The memory scenario with lines ended by CR alone' },
  { name: 'qc-check', description: 'Five records from the last hour: patient results before, between and after two control-solution results (320 and 280 mg/dL)' },
  { name: 'mixed-ages', description: 'Six results measured 10 min, 45 min, 100 min, 3 h, 26 h and 15 days ago (the memory import)' },
  { name: 'not-in-pc-mode', description: 'The meter is not in PC-link mode: it answers every command with a single 0x00 byte' },
] as const;

function meterFor(scenario: string, nowMs: number): Meter {
  if (!SCENARIOS.some((s) => s.name === scenario)) throw new HubError('INPUT_INVALID', `the OneTouch Ultra 2 simulator has no scenario "${scenario}"`);
  const offsetMs = scenario === 'clock-off' ? CLOCK_OFF_MS : 0;
  const count = scenario === 'empty' ? 0 : scenario === 'big' ? BIG_RECORDS : scenario === 'mmol' ? MMOL_RECORDS : MEMORY_RECORDS;
  return {
    unit: scenario === 'mmol' ? 'mmol/L' : 'mg/dL',
    records:
      scenario === 'qc-check'
        ? qcCheckRecords(nowMs)
        : scenario === 'mixed-ages'
          ? mixedAgeRecords(nowMs)
          : memoryRecords(nowMs + offsetMs, count, scenario === 'hi-lo-words' ? HI_LO.words : HI_LO.numeric),
    offsetMs,
    ending: scenario === 'cr-only' ? '\r' : '\r\n',
    oldestFirst: scenario === 'oldest-first',
    corruptOnce: scenario === 'checksum-error',
    notInPcMode: scenario === 'not-in-pc-mode',
  };
}

/** One reply line on the wire, with the fault of the run (if any) applied. */
function wire(text: string, ctx: SimulatorContext, ending: string): string {
  if (ctx.fault === 'bad-checksum') {
    const wrong = ((parseInt(lineChecksum(text), 16) + 1) & 0xffff).toString(16).toUpperCase().padStart(4, '0');
    return `${text} ${wrong}${ending}`;
  }
  const line = formatLine(text, ending);
  if (ctx.fault === 'truncate') return line.slice(0, Math.max(1, Math.floor((line.length - ending.length) * TRUNCATE_KEEP)));
  return line;
}

/** A line damaged on the way: one bit of the middle value digit flipped after the checksum was made. */
function damaged(line: string): string {
  const timeEnd = line.indexOf('   ","');
  const i = timeEnd > 0 ? timeEnd + '   ","'.length + 3 : Math.floor(line.length / 2);
  return line.slice(0, i) + String.fromCharCode(line.charCodeAt(i) ^ 0x04) + line.slice(i + 1);
}

/**
 * The meter's side: it waits for commands and answers them on `ctx.clock` only, until the
 * host hangs up or the signal is aborted (then every timer is stopped and run resolves).
 */
export const simulator: Simulator = {
  scenarios: SCENARIOS,

  async run(ctx) {
    const meter = meterFor(ctx.scenario, ctx.clock.now());
    await serveRequests(ctx, (stop) => meterSide(ctx, meter, stop));
  },
};

/** The meter answering the commands in each chunk the host writes, in order, until `stop`. */
function meterSide(ctx: SimulatorContext, meter: Meter, stop: AbortSignal): { handle(chunk: Uint8Array): Promise<void> } {
  const parser = new CommandParser();
  const send = async (lines: string[]): Promise<void> => {
    for (let i = 0; i < lines.length; i += BURST_LINES) {
      const burst = lines.slice(i, i + BURST_LINES).join('');
      await ctx.link.write(fromLatin1(burst));
      // The meter's UART is busy while the burst goes out; a link that paces bytes carries the same time.
      await sleep(ctx.clock, burst.length * WIRE_MS_PER_BYTE, stop);
    }
  };
  const line = (text: string): string => wire(text, ctx, meter.ending);
  const meterNow = (): number => ctx.clock.now() + meter.offsetMs;

  const answer = async (command: string): Promise<void> => {
    if (meter.notInPcMode) return ctx.link.write(Uint8Array.of(0x00));
    const setClock = SET_CLOCK.exec(command);
    if (setClock) {
      const [, mo, d, y, h, mi, s] = setClock;
      const setMs = localToEpochMs(`20${y}-${mo}-${d}T${h}:${mi}:${s}`);
      if (!Number.isFinite(setMs)) return;
      meter.offsetMs = setMs - ctx.clock.now();
      return send([line(clockText('T', setMs))]);
    }
    if (command === 'DM@') return send([line(`@ "${SIM_SERIAL}"`)]);
    if (command === 'DM?') return send([line(`?${SIM_VERSION}`)]);
    if (command === 'DMF') return send([line(clockText('F', meterNow()))]);
    if (command === 'DMSU?') return send([line(`SU?,"${meter.unit === 'mmol/L' ? 'MMOL/L' : 'MG/DL '}"`)]);
    if (command === 'DMZ') {
      meter.records = [];
      return send([line('Z')]);
    }
    if (command === 'DMP') {
      const records = meter.oldestFirst ? [...meter.records].reverse() : meter.records;
      const lines = [headerText(records.length, SIM_SERIAL, meter.unit), ...records.map(recordText)].map(line);
      const bad = lines[CORRUPT_LINE];
      if (meter.corruptOnce && bad !== undefined) {
        lines[CORRUPT_LINE] = damaged(bad);
        meter.corruptOnce = false;
      }
      return send(lines);
    }
    // DMST? and anything else: no source gives its reply format, so the simulator stays silent.
  };

  return {
    async handle(chunk) {
      for (const command of parser.push(chunk)) {
        if (stop.aborted) return;
        await answer(command);
      }
    },
  };
}

