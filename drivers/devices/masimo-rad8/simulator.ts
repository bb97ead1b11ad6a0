import { HubError } from '../../../shared/errors.ts';
import { fromLatin1, playUntilStopped, type Simulator, type SimulatorContext, sleep } from '../../kit/index.ts';

/** ASCII 1 sends one line a second (PROTOCOL.md §2). */
const LINE_INTERVAL_MS = 1000;
/** Serials as in the real public captures (PROTOCOL.md §1): a Rad-8 and a Radical-7. */
const RAD8_SERIAL = '0000056661';
const RADICAL7_SERIAL = '0000070986';
const EXC_OK = '000800'; // Masimo SET, no exception
const EXC_SENSOR_OFF = '000820'; // SET + sensor off
const EXC_NO_SENSOR = '000821'; // SET + sensor off + no sensor

/** What one line says; the time is added when it is sent. */
interface LineSpec {
  style: 'rad8' | 'radical7';
  /** Absent: the monitor prints dashes (no value). */
  spo2?: number;
  pulse?: number;
  /** Perfusion index as printed, e.g. `03.60`. */
  pi?: string;
  alarm?: string;
  exc: string;
}

const d3 = (n: number): string => String(n).padStart(3, '0');
const d2 = (n: number): string => String(n).padStart(2, '0');

/** `MM/DD/YY HH:MM:SS` in local time, as the monitor's own clock prints it. */
function formatDeviceTime(epochMs: number): string {
  const t = new Date(epochMs);
  return `${d2(t.getMonth() + 1)}/${d2(t.getDate())}/${d2(t.getFullYear() % 100)} ${d2(t.getHours())}:${d2(t.getMinutes())}:${d2(t.getSeconds())}`;
}

/** One line in the layout of the real captures (PROTOCOL.md §3), CR LF included. */
export function formatLine(epochMs: number, spec: LineSpec): string {
  const has = spec.spo2 !== undefined && spec.pulse !== undefined;
  const spo2 = has ? `${d3(spec.spo2 as number)}%` : '---%';
  const bpm = has ? d3(spec.pulse as number) : '---';
  const pi = has ? `${spec.pi ?? '03.60'}%` : '--.--%';
  const alarm = spec.alarm ?? '0000';
  const body =
    spec.style === 'rad8'
      ? `SN=${RAD8_SERIAL} SPO2=${spo2} BPM=${bpm} PI=${pi} SPCO=--.-% SPMET=--.-% DESAT=-- PIDELTA=+-- ALARM=${alarm} EXC=${spec.exc}`
      : `SN=${RADICAL7_SERIAL} SPO2=${spo2} BPM=${bpm} PI=${pi} SPCO=${has ? '01.0%' : '--.-%'} SPMET=${has ? '00.5%' : '--.-%'} DESAT=${has ? '01' : '--'} PIDELTA=${has ? '-02' : '+--'} PVI=${has ? '014' : '---'} ALARM=${alarm} EXC=${spec.exc}`;
  return `${formatDeviceTime(epochMs)} ${body}\r\n`;
}

const PI_SEQUENCE = ['03.60', '03.95', '04.25', '03.19', '02.41'];

function* off(seconds: number, style: LineSpec['style'] = 'rad8', exc = EXC_SENSOR_OFF): Generator<LineSpec> {
  for (let i = 0; i < seconds; i++) yield { style, exc };
}

function* patient(seconds: number, spo2: (i: number) => number, pulse: (i: number) => number, extra: Partial<LineSpec> = {}): Generator<LineSpec> {
  for (let i = 0; i < seconds; i++) {
    yield { style: 'rad8', exc: EXC_OK, spo2: spo2(i), pulse: pulse(i), pi: PI_SEQUENCE[i % PI_SEQUENCE.length], ...extra };
  }
}

/** Spot-check patient 1: SpO2 97/98, pulse 72–74; line i (from 0) is 97 + i % 2, PULSE_A[i % 4]. */
const PULSE_A = [72, 73, 74, 73];

const SCENARIOS: Record<string, { description: string; lines: () => Iterable<LineSpec> }> = {
  'spot-check': {
    description: 'Two spot checks: sensor off 3 s, patient at SpO2 97–98 / pulse 72–74 for 14 s, off 3 s, a second patient at 95 / 88 for 13 s, off 2 s (2 readings)',
    *lines() {
      yield* off(3);
      yield* patient(14, (i) => 97 + (i % 2), (i) => PULSE_A[i % 4] as number);
      yield* off(3);
      yield* patient(13, () => 95, () => 88);
      yield* off(2);
    },
  },
  'no-sensor': {
    description: 'No sensor connected for 20 s: dashes, EXC=000821 (no reading)',
    lines: () => off(20, 'rad8', EXC_NO_SENSOR),
  },
  unstable: {
    description: 'A moving patient for 20 s: SpO2 and pulse swing by 5 every second (no reading)',
    lines: () => patient(20, (i) => (i % 2 ? 97 : 92), (i) => [70, 75, 80, 75][i % 4] as number),
  },
  alarm: {
    description: 'A desaturated patient, SpO2 86 / pulse 80 with the SpO2-low alarm active (ALARM=0012) for 12 s (1 reading, interpretation L)',
    *lines() {
      yield* off(2);
      yield* patient(12, () => 86, () => 80, { alarm: '0012' });
      yield* off(1);
    },
  },
  stream: {
    description: 'Endless: a stable patient for 20 s, sensor off for 4 s, again, until stopped (demo mode)',
    *lines() {
      for (let round = 0; ; round++) {
        const base = 95 + (round % 4);
        yield* patient(20, (i) => base + (i % 3 === 0 ? 1 : 0), (i) => 68 + (round % 5) * 4 + (i % 3));
        yield* off(4);
      }
    },
  },
  radical7: {
    description: 'A Radical-7 with SpCO, SpMet, DESAT, PIDELTA and PVI: off 2 s, stable 12 s at 98 / 72, off 1 s (1 reading with unmapped extras)',
    *lines() {
      yield* off(2, 'radical7');
      yield* patient(12, () => 98, (i) => 72 + (i % 2), { style: 'radical7', pi: '03.10' });
      yield* off(1, 'radical7');
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

/** The monitor's side: one ASCII 1 line a second on `ctx.clock`, device time from that clock. */
export const simulator: Simulator = {
  scenarios: Object.entries(SCENARIOS).map(([name, s]) => ({ name, description: s.description })),

  async run(ctx: SimulatorContext): Promise<void> {
    const scenario = SCENARIOS[ctx.scenario];
    if (!scenario) throw new HubError('CONFIG_INVALID', `masimo-rad8 simulator has no scenario "${ctx.scenario}" (it has: ${Object.keys(SCENARIOS).join(', ')})`);
    // Aborted or unplugged: a normal end for a device.
    await playUntilStopped(ctx, async (stop) => {
      let first = true;
      for (const spec of scenario.lines()) {
        if (!first) await sleep(ctx.clock, LINE_INTERVAL_MS, stop);
        first = false;
        if (stop.aborted) return;
        const line = formatLine(ctx.clock.now(), spec);
        await ctx.link.write(fromLatin1(ctx.fault === 'truncate' ? truncated(line) : line));
      }
    });
  },
};
