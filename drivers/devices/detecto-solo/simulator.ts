import { HubError } from '../../../shared/errors.ts';
import { type Simulator, type SimulatorContext, sleep } from '../../kit/index.ts';

/** Wire time per byte at 9600 8N1 (10 bits), in ms: written, then waited (docs/adding-a-driver.md §11). */
const BYTE_MS = 10_000 / 9600;
/** Pause before each print of a finite scenario, in ms (keeps tests short). */
const PRINT_GAP_MS = 2_000;
/** Pause between weighings of the endless `stream` scenario, in ms. */
const STREAM_GAP_MS = 15_000;
/** Fault `truncate`: the share of each line that is sent (and no CR). */
const TRUNCATE_KEEP = 0.6;

/** The quote bytes a print uses for feet and inches (PROTOCOL.md §2). */
const QUOTES = {
  straight: ["'", '"'],
  utf8: ['\u00e2\u0080\u0099', '\u00e2\u0080\u009d'],
  cp1252: ['\u0092', '\u0094'],
} as const;

/** One weighing as the scale prints it. */
interface Weighing {
  readonly weight: string;
  readonly bmi?: string;
  /** Feet and inches (`5`, `03.0`) with their quote style, or centimetres (`172.0`). */
  readonly height?: { ft: number; in: string; quotes: keyof typeof QUOTES } | { cm: string };
}

const SCENARIOS: Readonly<Record<string, { description: string; prints: readonly Weighing[]; current: Weighing }>> = {
  weighings: {
    description: 'Five prints: 132.3 lb 5’03.0” BMI 21.5 (UTF-8 typographic quotes), 193.8 lb 5\'10.5" BMI 27.8 (straight), 0.0 lb (empty platform), 150.2 lb alone, 71.3 kg 172.0 cm BMI 24.1 (4 readings); answers print requests',
    prints: [
      { weight: '132.3lb', bmi: '21.5', height: { ft: 5, in: '03.0', quotes: 'utf8' } },
      { weight: '193.8lb', bmi: '27.8', height: { ft: 5, in: '10.5', quotes: 'straight' } },
      { weight: '0.0lb' },
      { weight: '150.2lb' },
      { weight: '71.3kg', bmi: '24.1', height: { cm: '172.0' } },
    ],
    current: { weight: '71.3kg', bmi: '24.1', height: { cm: '172.0' } },
  },
  'on-request': {
    description: 'Prints nothing by itself; each print request gets the patient on the platform: 182.4 lb, 5’11.0” (Windows-1252 quotes), BMI 25.4',
    prints: [],
    current: { weight: '182.4lb', bmi: '25.4', height: { ft: 5, in: '11.0', quotes: 'cp1252' } },
  },
};

const p2 = (n: number): string => String(n).padStart(2, '0');

/** The print line for `w`, stamped with the simulated scale clock (local time, MM/DD/YY). */
export function printLine(w: Weighing, epochMs: number): string {
  const t = new Date(epochMs);
  const time = `${p2(t.getHours())}:${p2(t.getMinutes())}`;
  const date = `${p2(t.getMonth() + 1)}/${p2(t.getDate())}/${p2(t.getFullYear() % 100)}`;
  let height = '';
  if (w.height && 'cm' in w.height) height = `${w.height.cm}cm`;
  else if (w.height) {
    const [foot, inch] = QUOTES[w.height.quotes];
    height = `${w.height.ft}${foot}${w.height.in}${inch}`;
  }
  return `${time},${date},${w.bmi ?? ''},${height},${w.weight}\r`;
}

/** An endless `stream` weighing: a different patient each time, imperial and metric in turn. */
function streamWeighing(i: number): Weighing {
  const lb = 120 + ((i * 17) % 90);
  if (i % 2 === 1) return { weight: `${(lb * 0.4536).toFixed(1)}kg`, height: { cm: `${160 + (i % 25)}.0` } };
  return { weight: `${lb}.${i % 10}lb`, bmi: `${20 + (i % 9)}.${i % 10}`, height: { ft: 5, in: `${p2(2 + (i % 9))}.0`, quotes: i % 4 === 0 ? 'utf8' : 'straight' } };
}

/** Write one line as the scale does: bytes, then the wire time. */
async function send(ctx: SimulatorContext, line: string): Promise<void> {
  const out = ctx.fault === 'truncate' ? line.slice(0, Math.floor(line.length * TRUNCATE_KEEP)) : line;
  await ctx.link.write(Uint8Array.from(out, (c) => c.charCodeAt(0) & 0xff));
  await sleep(ctx.clock, out.length * BYTE_MS, ctx.signal).catch(() => undefined);
}

/** The scale's side: prints on its own schedule and answers `<LF>P<CR>` with the current weighing (PROTOCOL.md §2–3). */
export const simulator: Simulator = {
  scenarios: [
    ...Object.entries(SCENARIOS).map(([name, s]) => ({ name, description: s.description })),
    { name: 'stream', description: 'Endless: a weighing every 15 s, imperial and metric in turn (demo mode); answers print requests' },
  ],
  async run(ctx) {
    const { clock, signal, link } = ctx;
    const chosen = SCENARIOS[ctx.scenario];
    if (!chosen && ctx.scenario !== 'stream') {
      throw new HubError('CONFIG_INVALID', `detecto-solo simulator has no scenario "${ctx.scenario}" (it has: ${[...Object.keys(SCENARIOS), 'stream'].join(', ')})`);
    }
    let current: Weighing = chosen?.current ?? streamWeighing(0);
    // Print requests: answered in turn with what is on the platform now.
    let heard = '';
    let queue = Promise.resolve();
    const off = link.onData((chunk) => {
      heard = (heard + String.fromCharCode(...chunk)).slice(-16);
      while (heard.includes('P\r')) {
        heard = heard.slice(heard.indexOf('P\r') + 2);
        queue = queue.then(() => (signal.aborted || link.closed ? undefined : send(ctx, printLine(current, clock.now())))).catch(() => undefined);
      }
    });
    try {
      const prints = chosen?.prints;
      for (let i = 0; ; i++) {
        const w = prints ? prints[i] : streamWeighing(i);
        if (w === undefined) break;
        await sleep(clock, prints ? PRINT_GAP_MS : STREAM_GAP_MS, signal).catch(() => undefined);
        if (signal.aborted || link.closed) return;
        current = w;
        await (queue = queue.then(() => send(ctx, printLine(w, clock.now()))).catch(() => undefined));
      }
      // A finite scenario lingers for a few seconds, still answering print requests.
      if (prints?.length === 0) await sleep(clock, 10_000, signal).catch(() => undefined);
      else await sleep(clock, PRINT_GAP_MS, signal).catch(() => undefined);
      await queue;
    } finally {
      off();
    }
  },
};
