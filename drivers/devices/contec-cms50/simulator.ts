import { HubError } from '../../../shared/errors.ts';
import { concatBytes, type Simulator, type SimulatorContext, sleep } from '../../kit/index.ts';
import { COMMAND, encodePacket, type Cms50Format, PACKET_REAL_TIME } from './protocol.ts';

/** Samples a second (PROTOCOL.md §3.4); the simulator writes one second of them at a time. */
const SAMPLES_PER_SECOND = 60;
/** The simulated V7.0 device stops streaming when the host has said nothing for this long (PROTOCOL.md §7, inferred). */
const KEEP_ALIVE_LAPSE_MS = 15_000;
/** Wire bits per byte: 8N1 is 10, 8O1 is 11. */
const BITS = { v7: 10, legacy: 11 } as const;
const BAUD = { v7: 115_200, legacy: 19_200 } as const;

/** One second of signal: absent values mean no finger. */
interface Second {
  spo2?: number;
  pulse?: number;
}

const PLETH = Array.from({ length: SAMPLES_PER_SECOND }, (_, i) => Math.round(64 + 50 * Math.sin((2 * Math.PI * i) / SAMPLES_PER_SECOND)));

/** One sample as a V7.0 real-time packet (PROTOCOL.md §3.4). */
export function v7Sample(s: Second, i: number): Uint8Array {
  if (s.spo2 === undefined || s.pulse === undefined) return encodePacket(PACKET_REAL_TIME, [0x10, 0, 0, 0xff, 0x7f, 0xff, 0xff]);
  const pleth = PLETH[i % SAMPLES_PER_SECOND] as number;
  const pi = 176 + (s.pulse % 7);
  return encodePacket(PACKET_REAL_TIME, [5 | (i === 0 ? 0x40 : 0), pleth, Math.round(pleth / 16), s.pulse, s.spo2, pi & 0xff, pi >> 8]);
}

/** One sample as an older-firmware 5-byte frame (PROTOCOL.md §4). */
export function legacySample(s: Second, i: number): Uint8Array {
  if (s.spo2 === undefined || s.pulse === undefined) return Uint8Array.of(0x80 | 0x10, 0, 0x20, 0, 0);
  const pleth = PLETH[i % SAMPLES_PER_SECOND] as number;
  return Uint8Array.of(0x80 | 5 | (i === 0 ? 0x40 : 0), pleth, (Math.round(pleth / 16) & 0x0f) | ((s.pulse & 0x80) >> 1), s.pulse & 0x7f, s.spo2);
}

function* off(seconds: number): Generator<Second> {
  for (let i = 0; i < seconds; i++) yield {};
}
function* finger(seconds: number, spo2: (i: number) => number, pulse: (i: number) => number): Generator<Second> {
  for (let i = 0; i < seconds; i++) yield { spo2: spo2(i), pulse: pulse(i) };
}

interface Scenario {
  description: string;
  format: Cms50Format;
  seconds: () => Iterable<Second>;
}

const SCENARIOS: Record<string, Scenario> = {
  'spot-check': {
    description: 'V7.0 (started by the host): no finger 2 s, SpO2 97–98 / pulse 72–73 for 13 s, no finger 1 s (1 reading)',
    format: 'v7',
    *seconds() {
      yield* off(2);
      yield* finger(13, (i) => 97 + (i % 2), (i) => 72 + (i % 2));
      yield* off(1);
    },
  },
  legacy: {
    description: 'Older firmware (streams by itself, 5-byte frames): no finger 2 s, SpO2 96 / pulse 130–131 for 13 s, no finger 1 s (1 reading; pulse above 127 uses the 8th bit)',
    format: 'legacy',
    *seconds() {
      yield* off(2);
      yield* finger(13, () => 96, (i) => 130 + (i % 2));
      yield* off(1);
    },
  },
  'no-finger': { description: 'V7.0: no finger for 15 s (no reading)', format: 'v7', seconds: () => off(15) },
  stream: {
    description: 'Endless V7.0: a stable patient for 20 s, no finger for 4 s, again, until stopped (demo mode)',
    format: 'v7',
    *seconds() {
      for (let round = 0; ; round++) {
        yield* finger(20, (i) => 95 + (round % 4) + (i % 3 === 0 ? 1 : 0), (i) => 64 + (round % 5) * 5 + (i % 3));
        yield* off(4);
      }
    },
  },
};

/** Fault `truncate`: every packet or frame loses its last two bytes (no whole frame arrives). */
function cut(frame: Uint8Array): Uint8Array {
  return frame.subarray(0, frame.length - 2);
}

/** The oximeter's side: V7.0 waits for the start command and needs keep-alive; the older firmware streams at once. */
export const simulator: Simulator = {
  scenarios: Object.entries(SCENARIOS).map(([name, s]) => ({ name, description: s.description })),

  async run(ctx: SimulatorContext): Promise<void> {
    const scenario = SCENARIOS[ctx.scenario];
    if (!scenario) throw new HubError('CONFIG_INVALID', `contec-cms50 simulator has no scenario "${ctx.scenario}" (it has: ${Object.keys(SCENARIOS).join(', ')})`);
    const stop = new AbortController();
    const onAbort = (): void => stop.abort();
    ctx.signal.addEventListener('abort', onAbort, { once: true });
    const offClose = ctx.link.onClose(onAbort);
    if (ctx.signal.aborted) stop.abort();
    // V7.0: the host's commands (PROTOCOL.md §3.2), `7D 81 <cmd> …`, scanned from the bytes it writes.
    let streaming = scenario.format === 'legacy';
    let heardAt = ctx.clock.now();
    let started: (() => void) | undefined;
    let pending: number[] = [];
    const scan = (chunk: Uint8Array): void => {
      pending = [...pending, ...chunk].slice(-64);
      for (let i = 0; i + 2 < pending.length; i++) {
        if (pending[i] !== 0x7d || pending[i + 1] !== 0x81) continue;
        const command = pending[i + 2];
        pending = pending.slice(i + 3);
        i = -1;
        heardAt = ctx.clock.now();
        if (command === COMMAND.start) {
          streaming = true;
          started?.();
        } else if (command === COMMAND.stop) streaming = false;
      }
    };
    // The older firmware ignores the host.
    const offData = scenario.format === 'v7' ? ctx.link.onData(scan) : () => undefined;
    const waitForStart = (): Promise<void> =>
      new Promise((resolve) => {
        const done = (): void => {
          started = undefined;
          stop.signal.removeEventListener('abort', done);
          resolve();
        };
        started = done;
        stop.signal.addEventListener('abort', done, { once: true });
      });
    const encode = scenario.format === 'v7' ? v7Sample : legacySample;
    try {
      for (const second of scenario.seconds()) {
        if (scenario.format === 'v7' && ctx.clock.now() - heardAt > KEEP_ALIVE_LAPSE_MS) streaming = false;
        if (!streaming) await waitForStart();
        if (stop.signal.aborted) return;
        const frames = Array.from({ length: SAMPLES_PER_SECOND }, (_, i) => encode(second, i));
        const bytes = concatBytes(ctx.fault === 'truncate' ? frames.map(cut) : frames);
        await ctx.link.write(bytes);
        // Write, then wait: the second's remainder after its wire time (docs/adding-a-driver.md §11).
        const wireMs = (bytes.length * BITS[scenario.format] * 1000) / BAUD[scenario.format];
        await sleep(ctx.clock, Math.max(0, 1000 - wireMs), stop.signal);
      }
    } catch (e) {
      if (stop.signal.aborted || ctx.link.closed) return;
      throw e;
    } finally {
      offData();
      ctx.signal.removeEventListener('abort', onAbort);
      offClose();
    }
  },
};
