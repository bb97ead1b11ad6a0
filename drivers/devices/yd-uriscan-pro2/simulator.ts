import { HubError } from '../../../shared/errors.ts';
import { fromLatin1, playUntilStopped, sleep, type Simulator, type SimulatorContext } from '../../kit/index.ts';
import { MONTHS, WIDTH } from './protocol.ts';

/** Pause before each report of a finite scenario, in ms (the strip is read in about a minute; the gap just spaces them). */
const REPORT_GAP_MS = 2_000;
/** Pause between reports of the endless `stream` scenario, in ms. */
const STREAM_GAP_MS = 15_000;
/** Fault `truncate`: the share of each report that is sent (and never its ETX). */
const TRUNCATE_KEEP = 0.6;
const STX = '\x02';
const ETX = '\x03';
const CRLF = '\r\n';

/** One pad as printed: code, grade symbols, value, unit (PROTOCOL.md §3.3). */
type Pad = readonly [code: string, grade: string, value: string, unit: string];

/** A 10-pad strip, all normal. */
const NORMAL: readonly Pad[] = [
  ['URO', '', '0.2', 'mg/dl'],
  ['GLU', '-', 'neg', ''],
  ['BIL', '-', 'neg', ''],
  ['KET', '-', 'neg', ''],
  ['PRO', '-', 'neg', ''],
  ['NIT', '-', 'neg', ''],
  ['p.H', '', '6.0', ''],
  ['BLD', '-', 'neg', ''],
  ['S.G', '', '1.015', ''],
  ['LEU', '-', 'neg', ''],
];

/** A 10-pad abnormal strip: the seven example lines of PROTOCOL.md §3.3 and three more in their style. */
const ABNORMAL: readonly Pad[] = [
  ['URO', '++', '4.0', 'mg/dl'],
  ['GLU', '+', '100', 'mg/dl'],
  ['BIL', '+', '1.0', 'mg/dl'],
  ['KET', '-', 'neg', ''],
  ['PRO', '++++', '2000', 'mg/dl'],
  ['NIT', '+', 'pos', ''],
  ['p.H', '', '9.0', ''],
  ['BLD', '+++', '250', 'RBC/ul'],
  ['S.G', '', '>=1.030', ''],
  ['LEU', '+++', '500', 'WBC/ul'],
];

/** A urinary-infection pattern for the second patient. */
const INFECTION: readonly Pad[] = [
  ['URO', '', '0.2', 'mg/dl'],
  ['GLU', '-', 'neg', ''],
  ['BIL', '-', 'neg', ''],
  ['KET', '-', 'neg', ''],
  ['PRO', '+-', '15', 'mg/dl'],
  ['NIT', '+', 'pos', ''],
  ['p.H', '', '7.5', ''],
  ['BLD', '+', '25', 'RBC/ul'],
  ['S.G', '', '1.020', ''],
  ['LEU', '++', '125', 'WBC/ul'],
];

/** What one report holds besides its pads. */
interface Sample {
  id: string;
  subId?: string;
  ward?: string;
  name?: string;
  pads: readonly Pad[];
}

const FINITE: Readonly<Record<string, readonly Sample[]>> = {
  normal: [{ id: '0037-', pads: NORMAL }],
  abnormal: [{ id: '0038-', pads: ABNORMAL }],
  'two-patients': [
    { id: '0039-', ward: 'OPD', name: 'DOE JANE', pads: NORMAL },
    { id: '0040-', subId: '2', ward: 'OPD', name: 'ROE RICHARD', pads: INFECTION },
  ],
};

const pad2 = (n: number): string => String(n).padStart(2, '0');

/** The analyzer's clock as it prints it: `OCT-01-2000 15:15:06` (workstation zone, as a wall clock). */
export function printedDate(epochMs: number): string {
  const t = new Date(epochMs);
  const month = MONTHS[t.getMonth()] ?? 'JAN';
  return `${month}-${pad2(t.getDate())}-${t.getFullYear()} ${pad2(t.getHours())}:${pad2(t.getMinutes())}:${pad2(t.getSeconds())}`;
}

/** One analyte line, 25 wide: code (4), grade (4), value right-aligned (4, wider pushes on), unit. */
export function analyteLine([code, grade, value, unit]: Pad): string {
  const text = `${code.padEnd(4)}${grade.padEnd(4)}${value.padStart(4)}${unit === '' ? '' : ` ${unit}`}`;
  return text.padEnd(WIDTH.analyte);
}

/** The report's text between STX and ETX, every line padded to its documented width (PROTOCOL.md §3). */
export function reportText(sample: Sample, epochMs: number): string {
  const lines = [
    `Date :${printedDate(epochMs)}`.padEnd(WIDTH.date),
    `ID_NO:${sample.id}`.padEnd(WIDTH.id),
    (sample.subId ?? '').padEnd(WIDTH.subId),
    `Ward :${sample.ward ?? ''}`.padEnd(WIDTH.ward),
    `NAME :${sample.name ?? ''}`.padEnd(WIDTH.name),
    ...sample.pads.map(analyteLine),
  ];
  return lines.map((l) => l + CRLF).join('');
}

/** What goes on the wire for one report: whole, or (fault `truncate`) cut short without its ETX. */
function wire(sample: Sample, ctx: SimulatorContext): Uint8Array {
  const whole = STX + reportText(sample, ctx.clock.now()) + ETX;
  if (ctx.fault !== 'truncate') return fromLatin1(whole);
  return fromLatin1(whole.slice(0, Math.floor(whole.length * TRUNCATE_KEEP)));
}

const STREAM_PADS = [NORMAL, ABNORMAL, INFECTION] as const;

/** A `stream` report: its running ID and the pads in turn. */
function streamSample(n: number): Sample {
  return { id: `${String(n).padStart(4, '0')}-`, pads: STREAM_PADS[n % STREAM_PADS.length] ?? NORMAL };
}

/**
 * The analyzer's side: one report per strip, on `ctx.clock` only. Finite scenarios resolve after
 * the last report and leave the link open; every scenario stops its timer and resolves when the
 * signal is aborted or the link closes.
 */
export const simulator: Simulator = {
  scenarios: [
    { name: 'normal', description: 'One 10-pad strip, all normal (sample 0037)' },
    { name: 'abnormal', description: 'One 10-pad abnormal strip with the example lines of the serial-format document (sample 0038)' },
    { name: 'two-patients', description: 'Two reports with ward and patient name printed: a normal strip, then an infection pattern (samples 0039, 0040-2)' },
    { name: 'stream', description: 'A report every 15 s until stopped, timed by the clock (demo mode)' },
  ],

  async run(ctx) {
    const samples = FINITE[ctx.scenario];
    if (ctx.scenario !== 'stream' && samples === undefined) {
      throw new HubError('CONFIG_INVALID', `the URiSCAN simulator has no scenario "${ctx.scenario}"`);
    }
    await playUntilStopped(ctx, async (stop) => {
      if (samples !== undefined) {
        for (const sample of samples) {
          await sleep(ctx.clock, REPORT_GAP_MS, stop);
          await ctx.link.write(wire(sample, ctx));
        }
      } else {
        for (let n = 1; ; n++) {
          await sleep(ctx.clock, n === 1 ? REPORT_GAP_MS : STREAM_GAP_MS, stop);
          await ctx.link.write(wire(streamSample(n), ctx));
        }
      }
    });
  },
};
