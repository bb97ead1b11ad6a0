import { HubError } from '../../../shared/errors.ts';
import { fromLatin1, playUntilStopped, sleep, type Simulator, type SimulatorContext } from '../../kit/index.ts';

/** Pause before each report of a finite scenario, in ms (a strip takes about a minute; shortened). */
const REPORT_GAP_MS = 2_000;
/** Pause between reports of the endless `stream` scenario, in ms. */
const STREAM_GAP_MS = 15_000;
/** Fault `truncate`: the share of each report sent (and no ETX). */
const TRUNCATE_KEEP = 0.6;
/** Bits per byte at 8N1: the UART is busy this long per byte at 9600 baud. */
const BITS_PER_BYTE = 10;
const BAUD = 9600;

/** One report: header lines then analyte lines, as printed (leading space or `*` kept). */
interface SimReport {
  header: readonly string[];
  lines: readonly string[];
}

/** PROTOCOL.md §6: the normal capture, byte for byte. */
const NORMAL: SimReport = {
  header: [' ID:10', ' Date:15-05-2026 16:51', ' Operator: 100', ' No. 100002'],
  lines: [
    ' LEU       -              neg',
    ' NIT       -              neg',
    ' URO       -       0.2  mg/dL',
    ' PRO       -              neg',
    ' pH               6.0',
    ' BLO       -              neg',
    ' SG         1.010',
    ' KET       -              neg',
    ' BIL       -              neg',
    ' GLU       -              neg',
  ],
};

/** PROTOCOL.md §6: the level-2 positive control lines as captured; the header is constructed (no ID keyed). */
const POSITIVE_CONTROL: SimReport = {
  header: [' ID:', ' Date:15-05-2026 16:58', ' Operator: 100', ' No. 100003'],
  lines: [
    '*LEU      3+       500 Leu/uL',
    '*NIT       +              pos',
    '*URO      2+        4   mg/dL',
    '*PRO      3+       300  mg/dL',
    ' pH           7.5',
    '*BLO      3+       200 Ery/uL',
    ' SG         1.010',
    ' KET      +-        5   mg/dL',
    '*BIL      2+       2    mg/dL',
    '*GLU      3+       1000 mg/dL',
  ],
};

/** Constructed in the layout of the captures: an 11-parameter strip with ascorbate (PROTOCOL.md §4). */
const ELEVEN: SimReport = {
  header: [' ID:2417', ' Date:16-05-2026 09:12', ' Operator: 100', ' No. 100004'],
  lines: [
    ' LEU      +-        15 Leu/uL',
    ' NIT       -              neg',
    ' URO       -       0.2  mg/dL',
    '*PRO      1+        30  mg/dL',
    ' pH               5.5',
    ' BLO       -              neg',
    ' SG         1.025',
    '*KET      1+       15   mg/dL',
    ' BIL       -              neg',
    '*GLU      2+       250  mg/dL',
    ' ASC      1+        10  mg/dL',
  ],
};

const withHeader = (report: SimReport, header: readonly string[]): SimReport => ({ header, lines: report.lines });

/** 12-hour clock: the notes' `12:42 pm` (noon hour) and `12:05 am` (just after midnight). */
const TWELVE_HOUR: readonly SimReport[] = [
  withHeader(NORMAL, [' ID:31', ' Date:03-09-2026 12:42 pm', ' Operator: 7', ' No. 000120']),
  withHeader(POSITIVE_CONTROL, [' ID:32', ' Date:04-09-2026 12:05 am', ' Operator: 7', ' No. 000121']),
];

/** A shared analyzer: two patients' samples, each with its ID keyed. */
const TWO_PATIENTS: readonly SimReport[] = [
  withHeader(NORMAL, [' ID:100234', ' Date:15-05-2026 17:02', ' Operator: 100', ' No. 100005']),
  withHeader(ELEVEN, [' ID:100235', ' Date:15-05-2026 17:05', ' Operator: 100', ' No. 100006']),
];

const FINITE: Readonly<Record<string, readonly SimReport[]>> = {
  normal: [NORMAL],
  'positive-control': [POSITIVE_CONTROL],
  'eleven-parameter': [ELEVEN],
  'twelve-hour': TWELVE_HOUR,
  'two-patients': TWO_PATIENTS,
};

const pad2 = (n: number): string => String(n).padStart(2, '0');

/** A `stream` report: sequence, ID and 24-hour date from the simulator's clock, normal or control lines by turn. */
export function streamReport(sequence: number, epochMs: number): SimReport {
  const t = new Date(epochMs);
  const date = `${pad2(t.getDate())}-${pad2(t.getMonth() + 1)}-${t.getFullYear()} ${pad2(t.getHours())}:${pad2(t.getMinutes())}`;
  const body = [NORMAL, ELEVEN, POSITIVE_CONTROL][sequence % 3] ?? NORMAL;
  return withHeader(body, [` ID:DEMO-${sequence}`, ` Date:${date}`, ' Operator: 100', ` No. ${String(sequence).padStart(6, '0')}`]);
}

/** A report's text as the analyzer sends it: STX, every line ended by CR LF, ETX (PROTOCOL.md §2). */
export function reportText(report: SimReport): string {
  return `\x02${[...report.header, ...report.lines].map((l) => `${l}\r\n`).join('')}\x03`;
}

/** What goes on the wire for one report: whole, or (fault `truncate`) cut short without its ETX. */
function wire(report: SimReport, ctx: SimulatorContext): Uint8Array {
  const text = reportText(report);
  return fromLatin1(ctx.fault === 'truncate' ? text.slice(0, Math.floor(text.length * TRUNCATE_KEEP)) : text);
}

/** Write a report, then wait its time on the wire (the analyzer's UART is busy that long). */
async function send(ctx: SimulatorContext, bytes: Uint8Array, signal: AbortSignal): Promise<void> {
  await ctx.link.write(bytes);
  await sleep(ctx.clock, Math.ceil((bytes.length * BITS_PER_BYTE * 1000) / BAUD), signal);
}

/**
 * The analyzer's side: one report per sample, pushed on `ctx.clock` only. Finite scenarios resolve
 * after the last report and leave the link open; every scenario stops its timer and resolves when
 * the signal is aborted or the link closes.
 */
export const simulator: Simulator = {
  scenarios: [
    { name: 'normal', description: 'The real normal capture: 10 parameters, all negative, ID 10' },
    { name: 'positive-control', description: 'The real level-2 positive control lines (abnormal marks, grades), no ID keyed' },
    { name: 'eleven-parameter', description: 'An 11-parameter strip with ascorbate (kept unmapped)' },
    { name: 'twelve-hour', description: 'Two reports with a 12-hour clock: 12:42 pm and 12:05 am' },
    { name: 'two-patients', description: 'A shared analyzer: two samples with different IDs' },
    { name: 'stream', description: 'A report every 15 s until stopped, timed by the clock (demo mode)' },
  ],

  async run(ctx) {
    const reports = FINITE[ctx.scenario];
    if (ctx.scenario !== 'stream' && reports === undefined) {
      throw new HubError('CONFIG_INVALID', `the Mission U120 simulator has no scenario "${ctx.scenario}" (${simulator.scenarios.map((s) => s.name).join(', ')})`);
    }
    await playUntilStopped(ctx, async (stop) => {
      if (reports !== undefined) {
        for (const report of reports) {
          await sleep(ctx.clock, REPORT_GAP_MS, stop);
          await send(ctx, wire(report, ctx), stop);
        }
      } else {
        for (let sequence = 1; ; sequence++) {
          await sleep(ctx.clock, sequence === 1 ? REPORT_GAP_MS : STREAM_GAP_MS, stop);
          await send(ctx, wire(streamReport(sequence, ctx.clock.now()), ctx), stop);
        }
      }
    });
  },
};
