import { HubError } from '../../../shared/errors.ts';
import { FrameReader, fromLatin1, latin1, type Simulator, type SimulatorContext, sleep } from '../../kit/index.ts';
import { asciiChecksum, createLineFramer, UNIT_ID } from './protocol.ts';

/** Wire time per byte at 9600 8N1 (10 bits), in ms: written, then waited (docs/adding-a-driver.md §11). */
const BYTE_MS = 10_000 / 9600;
/** Simulated cuff inflation and deflation after Start BP, in ms (a real one takes 20–40 s). */
export const INFLATION_MS = 6_000;
/** Fault `truncate`: the share of each reply that is sent (and no CR). */
const TRUNCATE_KEEP = 0.6;

interface Bp {
  readonly sys: number;
  readonly dia: number;
  readonly map: number;
}
interface Scenario {
  readonly description: string;
  /** How long the monitor answers before the scenario ends; undefined: until aborted. */
  readonly durationMs?: number;
  /** SpO2 and the oximeter's pulse at time t (ms), or undefined when the sensor is off. */
  readonly oximeter: (t: number) => { spo2: number; rate: number } | undefined;
  /** The pulse the cuff reports (RA source 3) while the oximeter is off. */
  readonly cuffRate: number;
  /** The last result in memory at the start, and how old it is (s). */
  readonly oldBp?: Bp & { ageS: number };
  /** New NIBP results that finish on their own at a time (ms), as an automatic cycle does. */
  readonly bps: readonly (Bp & { atMs: number })[];
  /** New temperatures (tenths of °F) at a time (ms). */
  readonly temps: readonly { atMs: number; tenths: number }[];
  /** Display unit digit: 0 °F, 1 °C (the value stays in °F). */
  readonly displayUnit?: 0 | 1;
  /** Every reply's checksum is wrong (the driver still uses it). */
  readonly badChecksums?: boolean;
}

const steady = (): { spo2: number; rate: number } => ({ spo2: 97, rate: 72 });
const OLD_BP = { sys: 118, dia: 76, map: 90, ageS: 300 } as const;

const SCENARIOS: Readonly<Record<string, Scenario>> = {
  'new-bp': {
    description: 'Oximeter off; a BP result 120/80 (MAP 93) with pulse 72 from the cuff at 4 s, a temperature 98.6 °F at 8 s (2 readings)',
    durationMs: 15_000,
    oximeter: () => undefined,
    cuffRate: 72,
    oldBp: OLD_BP,
    bps: [{ atMs: 4_000, sys: 120, dia: 80, map: 93 }],
    temps: [{ atMs: 8_000, tenths: 986 }],
  },
  steady: {
    description: 'SpO2 97 % and pulse 72 from the oximeter for 15 s, no new BP or temperature (1 SpO2 reading)',
    durationMs: 15_000,
    oximeter: steady,
    cuffRate: 70,
    oldBp: OLD_BP,
    bps: [],
    temps: [],
  },
  temperature: {
    description: 'A temperature 99.1 °F at 3 s with the display set to °C (1 reading, in [degF])',
    durationMs: 8_000,
    oximeter: () => undefined,
    cuffRate: 70,
    bps: [],
    temps: [{ atMs: 3_000, tenths: 991 }],
    displayUnit: 1,
  },
  'bad-checksum': {
    description: 'As new-bp, but every reply has a wrong checksum: counted as problems, the replies still used (2 readings)',
    durationMs: 15_000,
    oximeter: () => undefined,
    cuffRate: 72,
    oldBp: OLD_BP,
    bps: [{ atMs: 4_000, sys: 120, dia: 80, map: 93 }],
    temps: [{ atMs: 8_000, tenths: 986 }],
    badChecksums: true,
  },
  stream: {
    description: 'Endless: SpO2 and pulse wandering a little, no BP until Start BP (a result 6 s later); demo mode',
    oximeter: (t) => ({ spo2: 96 + (Math.floor(t / 20_000) % 3), rate: 70 + (Math.floor(t / 7_000) % 4) }),
    cuffRate: 74,
    oldBp: OLD_BP,
    bps: [],
    temps: [],
  },
};

const d = (n: number, width: number): string => String(Math.max(0, Math.round(n))).padStart(width, '0').slice(-width);
const printable = (i: number): string => String.fromCharCode(0x20 + (i % 95));

/** The monitor's memory: what the NA, RA and TC replies report at a moment. */
class Monitor {
  private bp: (Bp & { at: number }) | undefined;
  private status = 1;
  private inflating: { until: number; result: Bp } | undefined;
  private temp: { at: number; tenths: number; count: number } = { at: Number.NaN, tenths: 0, count: 1 };

  constructor(
    private readonly s: Scenario,
    start: number,
  ) {
    if (s.oldBp) this.bp = { ...s.oldBp, at: start - s.oldBp.ageS * 1000 };
  }

  /** Bring the memory up to time `t` (ms since start) at clock time `now`. */
  advance(t: number, now: number, start: number): void {
    for (const b of this.s.bps) if (b.atMs <= t && (this.bp === undefined || this.bp.at < start + b.atMs)) this.finish(b, start + b.atMs);
    if (this.inflating && now >= this.inflating.until) {
      this.finish(this.inflating.result, this.inflating.until);
      this.inflating = undefined;
    }
    for (const x of this.s.temps) {
      if (x.atMs <= t && !(this.temp.at >= start + x.atMs)) this.temp = { at: start + x.atMs, tenths: x.tenths, count: this.temp.count + 1 };
    }
  }

  startBp(now: number, t: number): void {
    this.status = 0;
    this.inflating = { until: now + INFLATION_MS, result: { sys: 122 + (Math.floor(t / 1000) % 7), dia: 78, map: 92 } };
  }

  cancelBp(): void {
    if (!this.inflating) return;
    this.inflating = undefined;
    this.status = 3;
  }

  reply(letters: string, now: number, t: number): string | undefined {
    const ox = this.s.oximeter(t);
    switch (letters) {
      case 'NA': {
        const since = this.bp ? d((now - this.bp.at) / 1000, 4) : '9999';
        const v = this.bp && this.status !== 3 ? `${d(this.bp.sys, 3)}${d(this.bp.dia, 3)}${d(this.bp.map, 3)}` : '000000000';
        return `NA${this.status}10${since}${v}`;
      }
      case 'OA':
        return ox ? `OA1${d(ox.spo2, 3)}908` : 'OA6000000';
      case 'RA':
        return ox ? `RA2${d(ox.rate, 3)}` : `RA3${d(this.s.cuffRate, 3)}`;
      case 'TC': {
        const since = Number.isNaN(this.temp.at) ? '99999' : d((now - this.temp.at) / 1000, 5);
        return `TC00${printable(this.temp.count)}${since}${d(this.temp.tenths, 4)}${this.s.displayUnit ?? 0}`;
      }
      default:
        return undefined;
    }
  }

  private finish(b: Bp, at: number): void {
    this.bp = { sys: b.sys, dia: b.dia, map: b.map, at };
    this.status = 1;
  }
}

async function play(ctx: SimulatorContext, s: Scenario): Promise<void> {
  const { link, clock, signal, fault } = ctx;
  const start = clock.now();
  const end = s.durationMs === undefined ? undefined : start + s.durationMs;
  const monitor = new Monitor(s, start);
  const lines = new FrameReader({ link }, createLineFramer());
  try {
    for (;;) {
      const left = end === undefined ? undefined : end - clock.now();
      if (left !== undefined && left <= 0) return;
      const line = await lines.next(signal, left === undefined ? undefined : { clock, ms: left });
      if (line === undefined || signal.aborted || link.closed) return;
      const text = latin1(line);
      // A message with a wrong checksum or another unit id is ignored, as a monitor would.
      if (text.length < 5 || text[0] !== UNIT_ID || asciiChecksum(text.slice(0, -2)) !== text.slice(-2)) continue;
      const letters = text.slice(1, 3);
      const now = clock.now();
      monitor.advance(now - start, now, start);
      let body: string | undefined;
      if (letters === 'NC') {
        monitor.startBp(now, now - start);
        body = 'NC';
      } else if (letters === 'ND') {
        monitor.cancelBp();
        body = 'ND';
      } else body = monitor.reply(letters, now, now - start);
      if (body === undefined) continue;
      const message = UNIT_ID + body;
      let checksum = asciiChecksum(message);
      if (s.badChecksums || fault === 'bad-checksum') checksum = checksum.slice(0, 1) + String.fromCharCode(0x20 + ((checksum.charCodeAt(1) - 0x1f) % 0x40));
      const whole = `${message}${checksum}\r`;
      const out = fault === 'truncate' ? whole.slice(0, Math.floor(whole.length * TRUNCATE_KEEP)) : whole;
      await link.write(fromLatin1(out));
      await sleep(clock, out.length * BYTE_MS, signal).catch(() => undefined);
    }
  } finally {
    lines.dispose();
  }
}

/** The monitor's side: answers polls and commands, on `ctx.clock` (PROTOCOL.md §3–5). */
export const simulator: Simulator = {
  scenarios: Object.entries(SCENARIOS).map(([name, s]) => ({ name, description: s.description })),
  async run(ctx) {
    const s = SCENARIOS[ctx.scenario];
    if (!s) throw new HubError('CONFIG_INVALID', `ge-dinamap simulator has no scenario "${ctx.scenario}" (it has: ${Object.keys(SCENARIOS).join(', ')})`);
    await play(ctx, s);
  },
};
