import { HubError } from '../../../shared/errors.ts';
import { fromLatin1, type Simulator, type SimulatorContext, sleep } from '../../kit/index.ts';

/** Wire time per byte at 9600 8N1 (10 bits), in ms: written, then waited (docs/adding-a-driver.md §11). */
const BYTE_MS = 10_000 / 9600;
/** The scale repeats the packet once a second while the weight is locked (PROTOCOL.md §4). */
const REPEAT_MS = 1_000;
/** Silence between patients (stepping off and on), longer than the driver's quiet time. */
const BETWEEN_MS = 4_000;
/** Pause between weighings of the endless `stream` scenario, in ms. */
const STREAM_GAP_MS = 15_000;
/** Fault `truncate`: the share of each packet that is sent (no ESC E). */
const TRUNCATE_KEEP = 0.6;

/** One locked weighing: its fields as the model formats them, and how many times it is sent. */
interface Weighing {
  readonly fields: string;
  readonly repeats: number;
}

const packet = (fields: string): string => `\x1bR${fields.replace(/\|/g, '\x1b')}\x1bE`;
const w = (fields: string, repeats = 4): Weighing => ({ fields: `|${fields}`, repeats });

const SCENARIOS: Readonly<Record<string, { description: string; weighings: readonly Weighing[] }>> = {
  'two-patients': {
    description: 'Two patients, each streamed 4 times a second apart, then quiet: 184.5 lb 70.0 in BMI 26.5 (imperial), 71.3 kg 172.0 cm BMI 24.1 (metric) — 2 readings',
    weighings: [w('I0000012345|W184.5|H70.0|B26.5|T0.0|Nc'), w('I0000067890|W71.3|H172.0|B24.1|T0.0|Nm')],
  },
  models: {
    description: 'Number formats of every model: 498KL 184.50 lb, 2210KL-AM baby 35.500 lb, Pro Plus 200.00 kg 180.00 cm BMI 61.7, a weight that relocks at a new value (2 readings), a packet without units (refused) — 5 readings',
    weighings: [
      w('I          |W184.50|H0.00|B0.0|Nc'),
      w('I1234567890|W35.500|Nc', 3),
      w('I1234567890|W200.00|H180.00|B61.7|T0.00|Nm'),
      w('W150.2|Nc', 2),
      w('W150.4|Nc', 2),
      w('W88.8', 2),
    ],
  },
};

/** An endless `stream` weighing: a different patient each time, imperial and metric in turn. */
function streamWeighing(i: number): Weighing {
  const lb = 120 + ((i * 17) % 90);
  if (i % 2 === 1) return w(`I${String(i).padStart(10, '0')}|W${(lb * 0.4536).toFixed(1)}|H${160 + (i % 25)}.0|Nm`);
  return w(`I${String(i).padStart(10, '0')}|W${lb}.${i % 10}|H${62 + (i % 9)}.0|B${20 + (i % 9)}.${i % 10}|Nc`);
}

/** Write one packet as the scale does: bytes, then the wire time. */
async function send(ctx: SimulatorContext, text: string): Promise<void> {
  const out = ctx.fault === 'truncate' ? text.slice(0, Math.floor(text.length * TRUNCATE_KEEP)) : text;
  await ctx.link.write(fromLatin1(out));
  await sleep(ctx.clock, out.length * BYTE_MS, ctx.signal).catch(() => undefined);
}

/** The scale's side: each weighing's packet repeated once a second while locked, silence between (PROTOCOL.md §4). */
export const simulator: Simulator = {
  scenarios: [
    ...Object.entries(SCENARIOS).map(([name, s]) => ({ name, description: s.description })),
    { name: 'stream', description: 'Endless: a weighing every 15 s (4 packets), imperial and metric in turn (demo mode)' },
  ],
  async run(ctx) {
    const { clock, signal, link } = ctx;
    const chosen = SCENARIOS[ctx.scenario];
    if (!chosen && ctx.scenario !== 'stream') {
      throw new HubError('CONFIG_INVALID', `healthometer-professional simulator has no scenario "${ctx.scenario}" (it has: ${[...Object.keys(SCENARIOS), 'stream'].join(', ')})`);
    }
    for (let i = 0; ; i++) {
      const weighing = chosen ? chosen.weighings[i] : streamWeighing(i);
      if (weighing === undefined) break;
      await sleep(clock, chosen ? BETWEEN_MS : STREAM_GAP_MS, signal).catch(() => undefined);
      for (let r = 0; r < weighing.repeats; r++) {
        if (signal.aborted || link.closed) return;
        if (r > 0) await sleep(clock, REPEAT_MS, signal).catch(() => undefined);
        if (signal.aborted || link.closed) return;
        await send(ctx, packet(weighing.fields));
      }
    }
    // Linger past the driver's quiet time so the last weighing ends by silence, not by hang-up.
    await sleep(clock, BETWEEN_MS, signal).catch(() => undefined);
  },
};
