import { HubError } from '../../../shared/errors.ts';
import { fromLatin1, playUntilStopped, type Simulator, type SimulatorContext, sleep } from '../../kit/index.ts';

/** The oximeters send one line a second (PROTOCOL.md §2). */
const LINE_INTERVAL_MS = 1000;
/**
 * A power-up header in the spirit of the manuals (format and date/time); its real text is not
 * published (PROTOCOL.md §4), so these lines are made up and the driver must skip them.
 */
const HEADER = ['NONIN MEDICAL INC.', 'ASCII REAL-TIME OUTPUT  FORMAT 1', '01/15/26 09:00:00'];

/** What one line says; the time prefix is added when it is sent. */
interface LineSpec {
  /** Absent: the oximeter prints `---` (no data). */
  spo2?: number;
  pulse?: number;
  /** Print the `HH:MM:SS ` prefix (9847, 8600V). */
  timed?: boolean;
  /** The suffix as printed after the HR value, e.g. ` F`, `*`, `B`. */
  suffix?: string;
}

const d2 = (n: number): string => String(n).padStart(2, '0');
const d3 = (n: number | undefined): string => (n === undefined ? '---' : String(n).padStart(3, '0'));

/** One line as the manuals show it (PROTOCOL.md §3), CR LF included; the time of day is local. */
export function formatLine(epochMs: number, spec: LineSpec): string {
  const t = new Date(epochMs);
  const prefix = spec.timed ? `${d2(t.getHours())}:${d2(t.getMinutes())}:${d2(t.getSeconds())} ` : '';
  return `${prefix}SPO2=${d3(spec.spo2)} HR=${d3(spec.pulse)}${spec.suffix ?? ''}\r\n`;
}

function* off(seconds: number, extra: Partial<LineSpec> = {}): Generator<LineSpec> {
  for (let i = 0; i < seconds; i++) yield { ...extra };
}

function* patient(seconds: number, spo2: (i: number) => number, pulse: (i: number) => number, extra: (i: number) => Partial<LineSpec> = () => ({})): Generator<LineSpec> {
  for (let i = 0; i < seconds; i++) yield { spo2: spo2(i), pulse: pulse(i), ...extra(i) };
}

/** Spot-check patient 1: line i (from 0) is SpO2 97 + i % 2, pulse PULSE_A[i % 4]. */
const PULSE_A = [72, 73, 74, 73];

interface Scenario {
  description: string;
  /** Print the power-up header first. */
  header?: boolean;
  lines: () => Iterable<LineSpec>;
}

const SCENARIOS: Record<string, Scenario> = {
  'spot-check': {
    description: 'A 2500 PalmSAT after power-up: 3 header lines, no data 3 s, patient at SpO2 97–98 / pulse 72–74 for 14 s, no data 3 s, a second patient at 95 / 88 for 13 s, no data 2 s (2 readings)',
    header: true,
    *lines() {
      yield* off(3);
      yield* patient(14, (i) => 97 + (i % 2), (i) => PULSE_A[i % 4] as number);
      yield* off(3);
      yield* patient(13, () => 95, () => 88);
      yield* off(2);
    },
  },
  'no-sensor': { description: 'No finger for 20 s: SPO2=--- HR=--- (no reading)', lines: () => off(20) },
  unstable: {
    description: 'A moving patient for 20 s: SpO2 and pulse swing by 5 every second (no reading)',
    lines: () => patient(20, (i) => (i % 2 ? 97 : 92), (i) => [70, 75, 80, 75][i % 4] as number),
  },
  timed: {
    description: 'A 9847 with the time prefix: no data 2 s, patient at 96 / 64 for 12 s with a breath (B) every third line and the event marker (*) on the last, no data 1 s (1 reading)',
    *lines() {
      yield* off(2, { timed: true });
      yield* patient(12, () => 96, (i) => 64 + (i % 2), (i) => ({ timed: true, suffix: `${i === 11 ? '*' : ''}${i % 3 === 2 ? 'B' : ''}` }));
      yield* off(1, { timed: true });
    },
  },
  fast: {
    description: 'A BT4000 in fast mode (" F"): no data 2 s, patient at 99 / 58 for 12 s, no data 1 s (1 reading flagged fast-mode)',
    *lines() {
      yield* off(2, { suffix: ' F' });
      yield* patient(12, () => 99, () => 58, () => ({ suffix: ' F' }));
      yield* off(1, { suffix: ' F' });
    },
  },
  stream: {
    description: 'Endless: a stable patient for 20 s, no data for 4 s, again, until stopped (demo mode)',
    *lines() {
      for (let round = 0; ; round++) {
        const base = 95 + (round % 4);
        yield* patient(20, (i) => base + (i % 3 === 0 ? 1 : 0), (i) => 66 + (round % 5) * 4 + (i % 3));
        yield* off(4);
      }
    },
  },
};

/**
 * Fault `truncate`: every line loses its second half and its CR LF, so no complete line ever
 * arrives (conformance suite: zero readings, the problem reported).
 */
function truncated(line: string): string {
  return line.slice(0, Math.ceil((line.length - 2) / 2));
}

/** The oximeter's side: the header at power-up, then one line a second on `ctx.clock`. */
export const simulator: Simulator = {
  scenarios: Object.entries(SCENARIOS).map(([name, s]) => ({ name, description: s.description })),

  async run(ctx: SimulatorContext): Promise<void> {
    const scenario = SCENARIOS[ctx.scenario];
    if (!scenario) throw new HubError('CONFIG_INVALID', `nonin-ascii simulator has no scenario "${ctx.scenario}" (it has: ${Object.keys(SCENARIOS).join(', ')})`);
    const send = (line: string): Promise<void> => ctx.link.write(fromLatin1(ctx.fault === 'truncate' ? truncated(line) : line));
    // Aborted or unplugged: a normal end for a device.
    await playUntilStopped(ctx, async (stop) => {
      if (scenario.header && !stop.aborted) {
        for (const line of HEADER) await send(`${line}\r\n`);
      }
      let first = true;
      for (const spec of scenario.lines()) {
        if (!first) await sleep(ctx.clock, LINE_INTERVAL_MS, stop);
        first = false;
        if (stop.aborted) return;
        await send(formatLine(ctx.clock.now(), spec));
      }
    });
  },
};
