import { HubError } from '../../../shared/errors.ts';
import { fromLatin1, type Simulator, type SimulatorContext, sleep } from '../../kit/index.ts';

/** Wire time per byte at 9600 8N1 (10 bits), in ms: written, then waited (docs/adding-a-driver.md §11). */
const BYTE_MS = 10_000 / 9600;
/** Pause before each print of a finite scenario, in ms. */
const PRINT_GAP_MS = 3_000;
/** Pause between weighings of the endless `stream` scenario, in ms. */
const STREAM_GAP_MS = 15_000;
/** Fault `truncate`: the share of each print that is sent (no line end). */
const TRUNCATE_KEEP = 0.6;

/** The 21-character print line: weight right-aligned in 9, unit, mode in 5, CR LF (PROTOCOL.md §2). */
export const printLine = (weight: string, unit: 'lb' | 'kg', mode: 'Gross' | 'Net'): string => `${weight.padStart(9)} ${unit} ${mode.padEnd(5)} \r\n`;
/** A BMI-mode block (PROTOCOL.md §3). */
const bmiBlock = (weight: string, unit: 'LB' | 'KG', height: string, bmi: string): string =>
  `GROSS WEIGHT ${weight} ${unit}\r\nPATIENT HEIGHT ${height}\r\nPATIENT BMI ${bmi}\r\n`;

const SCENARIOS: Readonly<Record<string, { description: string; prints: readonly string[] }>> = {
  prints: {
    description: 'Five prints: 185.5 lb Gross, 0.0 lb Gross (empty platform), 84.2 kg Net, a BMI block 215.0 LB 6-01.0 FT BMI 28.4, a metric BMI block 97.5 KG 185.4 CM BMI 28.4 (4 readings)',
    prints: [
      printLine('185.5', 'lb', 'Gross'),
      printLine('0.0', 'lb', 'Gross'),
      printLine('84.2', 'kg', 'Net'),
      bmiBlock('215.0', 'LB', '6-01.0 FT', '28.4'),
      bmiBlock('97.5', 'KG', '185.4 CM', '28.4'),
    ],
  },
};

function streamPrint(i: number): string {
  const lb = 120 + ((i * 17) % 90);
  if (i % 2 === 1) return printLine((lb * 0.4536).toFixed(1), 'kg', 'Gross');
  return bmiBlock(`${lb}.${i % 10}`, 'LB', `5-${String(2 + (i % 9)).padStart(2, '0')}.0 FT`, `${20 + (i % 9)}.${i % 10}`);
}

async function send(ctx: SimulatorContext, text: string): Promise<void> {
  const out = ctx.fault === 'truncate' ? text.slice(0, Math.floor(text.length * TRUNCATE_KEEP)).replace(/[\r\n]/g, ' ') : text;
  await ctx.link.write(fromLatin1(out));
  await sleep(ctx.clock, out.length * BYTE_MS, ctx.signal).catch(() => undefined);
}

/** The scale's side: one print per Print key press. */
export const simulator: Simulator = {
  scenarios: [
    ...Object.entries(SCENARIOS).map(([name, s]) => ({ name, description: s.description })),
    { name: 'stream', description: 'Endless: a print every 15 s, a BMI block and a metric print line in turn (demo mode)' },
  ],
  async run(ctx) {
    const chosen = SCENARIOS[ctx.scenario];
    if (!chosen && ctx.scenario !== 'stream') {
      throw new HubError('CONFIG_INVALID', `rice-lake-physician simulator has no scenario "${ctx.scenario}" (it has: ${[...Object.keys(SCENARIOS), 'stream'].join(', ')})`);
    }
    for (let i = 0; ; i++) {
      const text = chosen ? chosen.prints[i] : streamPrint(i);
      if (text === undefined) break;
      await sleep(ctx.clock, chosen ? PRINT_GAP_MS : STREAM_GAP_MS, ctx.signal).catch(() => undefined);
      if (ctx.signal.aborted || ctx.link.closed) return;
      await send(ctx, text);
    }
    await sleep(ctx.clock, PRINT_GAP_MS, ctx.signal).catch(() => undefined);
  },
};
