import { HubError } from '../../../shared/errors.ts';
import { FrameReader, type Simulator, type SimulatorContext, sleep } from '../../kit/index.ts';
import { ALGORITHM, METHOD, RECORD_LONG, RECORD_SHORT, STATE } from './decode.ts';
import { CMD_SEND_TEMPERATURE, createFramer, encodePacket, TYPE_COMMAND, TYPE_RESPONSE } from './protocol.ts';

/** Wire time per byte at 9600 8N1 (10 bits), in ms: written, then waited (docs/adding-a-driver.md §11). */
const BYTE_MS = 10_000 / 9600;
/** Fault `truncate`: the share of each reply that is sent. */
const TRUNCATE_KEEP = 0.6;
const KELVIN_AT_0_CEL = 273.15;
/** The sample counter's period (PROTOCOL.md §4). */
const SAMPLE_MS = 173;

/** What the module's record says from `fromMs` on (until the next phase). */
interface Phase {
  readonly fromMs: number;
  readonly state: number;
  /** The final temperature in °C; absent: 0 (none). */
  readonly finalC?: number;
  readonly algorithm?: number;
  readonly method?: number;
  readonly errorCode?: number;
  /** The probe's own reading in °C (room temperature when in its well). */
  readonly probeC: number;
}
interface Scenario {
  readonly description: string;
  /** Undefined: endless (the phases repeat every `periodMs`). */
  readonly durationMs?: number;
  readonly periodMs?: number;
  readonly phases: readonly Phase[];
  /** Which record layout the module answers with (PROTOCOL.md §4). */
  readonly recordBytes?: typeof RECORD_SHORT | typeof RECORD_LONG;
}

/** One determination: ready at `at`, predicting, final from `at + 4 s` until `at + 9 s`, then back in the well. */
function determination(at: number, finalC: number, algorithm: number): Phase[] {
  return [
    { fromMs: at, state: STATE.ready, algorithm, probeC: 24 },
    { fromMs: at + 1_000, state: STATE.predictDisplay, algorithm, probeC: 33.5 },
    { fromMs: at + 4_000, state: STATE.final, finalC, algorithm, probeC: 35.2 },
    { fromMs: at + 6_000, state: STATE.finalPosition, finalC, algorithm, probeC: 35.4 },
    { fromMs: at + 9_000, state: STATE.idle, algorithm, probeC: 30 },
  ];
}
const idle = (fromMs: number): Phase => ({ fromMs, state: STATE.idle, algorithm: ALGORITHM.oral, probeC: 24 });

const SCENARIOS: Readonly<Record<string, Scenario>> = {
  oral: {
    description: 'One oral determination: ready at 1 s, final 37.0 °C from 5 s to 10 s (polled ~10 times), back in the well (1 reading)',
    durationMs: 12_000,
    phases: [idle(0), ...determination(1_000, 37.0, ALGORITHM.oral)],
  },
  sites: {
    description: 'Three determinations: oral 36.8 °C, adult axillary 36.4 °C, rectal 37.9 °C (3 readings, each with its body site)',
    durationMs: 32_000,
    phases: [idle(0), ...determination(1_000, 36.8, ALGORITHM.oral), ...determination(11_000, 36.4, ALGORITHM.adultAxillary), ...determination(21_000, 37.9, ALGORITHM.rectal)],
  },
  'long-record': {
    description: 'As oral, answered with the 33-byte record (heater, resistances, ambient, battery), pediatric axillary 36.9 °C (1 reading)',
    durationMs: 12_000,
    recordBytes: RECORD_LONG,
    phases: [idle(0), ...determination(1_000, 36.9, ALGORITHM.pediatricAxillary)],
  },
  monitor: {
    description: 'Monitor mode: the probe temperature changes, the final stays 0 and the state is "no predict" (no reading)',
    durationMs: 8_000,
    phases: [idle(0), { fromMs: 1_000, state: STATE.noPredict, method: METHOD.monitor, algorithm: ALGORITHM.oral, probeC: 35.8 }],
  },
  'out-of-range': {
    description: 'A final over the module range (state 8) and one under it (state 10): two problems, no reading',
    durationMs: 22_000,
    phases: [
      idle(0),
      { fromMs: 1_000, state: STATE.predictDisplay, probeC: 34 },
      { fromMs: 4_000, state: STATE.finalOverTemp, finalC: 43.6, probeC: 36 },
      { fromMs: 9_000, state: STATE.idle, probeC: 30 },
      { fromMs: 11_000, state: STATE.predictDisplay, probeC: 28 },
      { fromMs: 14_000, state: STATE.finalUnderTemp, finalC: 26.1, probeC: 27 },
      { fromMs: 19_000, state: STATE.idle, probeC: 26 },
    ],
  },
  'probe-error': {
    description: 'The module reports an error (state 20, error code 14) for 4 s: one problem, no reading',
    durationMs: 8_000,
    phases: [idle(0), { fromMs: 2_000, state: STATE.error, errorCode: 14, probeC: 24 }, idle(6_000)],
  },
  stream: {
    description: 'Endless: a determination every 20 s, cycling oral 36.9 °C, axillary 36.5 °C, rectal 37.6 °C; demo mode',
    periodMs: 60_000,
    phases: [idle(0), ...determination(2_000, 36.9, ALGORITHM.oral), ...determination(22_000, 36.5, ALGORITHM.adultAxillary), ...determination(42_000, 37.6, ALGORITHM.rectal)],
  },
};

function phaseAt(s: Scenario, t: number): Phase {
  const at = s.periodMs === undefined ? t : t % s.periodMs;
  let current = s.phases[0] ?? idle(0);
  for (const p of s.phases) if (p.fromMs <= at) current = p;
  return current;
}

/** The temperature record's data at `t` ms (PROTOCOL.md §4). */
export function recordData(phase: Phase, t: number, size: typeof RECORD_SHORT | typeof RECORD_LONG): Uint8Array {
  const data = new Uint8Array(size);
  const view = new DataView(data.buffer);
  view.setFloat32(0, phase.finalC === undefined ? 0 : phase.finalC + KELVIN_AT_0_CEL, true);
  view.setFloat32(4, phase.probeC + KELVIN_AT_0_CEL, true);
  const samples = Math.floor(t / SAMPLE_MS);
  if (size === RECORD_SHORT) view.setUint32(8, samples, true);
  else {
    view.setUint16(8, phase.state === STATE.predictDisplay ? 420 : 0, true);
    view.setUint16(10, samples & 0xffff, true);
  }
  view.setInt8(12, phase.method ?? METHOD.normal);
  view.setInt8(13, phase.algorithm ?? ALGORITHM.oral);
  view.setInt8(14, phase.state);
  view.setInt16(15, phase.errorCode ?? 0, true);
  view.setUint8(17, phase.state === STATE.idle ? 0 : 1);
  view.setInt8(18, phase.algorithm === ALGORITHM.rectal ? 2 : 0);
  if (size === RECORD_LONG) {
    view.setFloat32(19, 10_500, true);
    view.setFloat32(23, 23.5 + KELVIN_AT_0_CEL, true);
    view.setFloat32(27, 10_000, true);
    view.setUint16(31, 450, true);
  }
  return data;
}

async function play(ctx: SimulatorContext, s: Scenario): Promise<void> {
  const { link, clock, signal, fault } = ctx;
  const start = clock.now();
  const end = s.durationMs === undefined ? undefined : start + s.durationMs;
  const packets = new FrameReader({ link }, createFramer());
  try {
    for (;;) {
      const left = end === undefined ? undefined : end - clock.now();
      if (left !== undefined && left <= 0) return;
      const packet = await packets.next(signal, left === undefined ? undefined : { clock, ms: left });
      if (packet === undefined || signal.aborted || link.closed) return;
      // Only the temperature poll is played; any other command goes unanswered.
      if (packet.command !== CMD_SEND_TEMPERATURE || packet.type !== TYPE_COMMAND) continue;
      const t = clock.now() - start;
      const whole = encodePacket(CMD_SEND_TEMPERATURE, TYPE_RESPONSE, recordData(phaseAt(s, t), t, s.recordBytes ?? RECORD_SHORT));
      if (fault === 'bad-checksum') whole[whole.length - 1] = ((whole[whole.length - 1] ?? 0) + 1) & 0xff;
      const out = fault === 'truncate' ? whole.slice(0, Math.floor(whole.length * TRUNCATE_KEEP)) : whole;
      await link.write(out);
      await sleep(clock, out.length * BYTE_MS, signal).catch(() => undefined);
    }
  } finally {
    packets.dispose();
  }
}

/** The module's side: answers the temperature poll from a scenario timeline, on `ctx.clock` (PROTOCOL.md §3–5). */
export const simulator: Simulator = {
  scenarios: Object.entries(SCENARIOS).map(([name, s]) => ({ name, description: s.description })),
  async run(ctx) {
    const s = SCENARIOS[ctx.scenario];
    if (!s) throw new HubError('CONFIG_INVALID', `welch-allyn-suretemp-plus simulator has no scenario "${ctx.scenario}" (it has: ${Object.keys(SCENARIOS).join(', ')})`);
    await play(ctx, s);
  },
};
