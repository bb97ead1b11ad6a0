import { HubError } from '../../../shared/errors.ts';
import { fromLatin1, type Simulator, sleep } from '../../kit/index.ts';
import { PATIENT_ID_WIDTH } from './protocol.ts';

/** Pause before each line of a finite scenario, in ms (a cuff cycle is longer; this keeps tests short). */
const LINE_GAP_MS = 2_000;
/** Pause between measurements of the endless `stream` scenario, in ms. */
const STREAM_GAP_MS = 20_000;
/** Fault `truncate`: the share of each line that is sent (and no terminator). */
const TRUNCATE_KEEP = 0.6;

/** One measurement the simulated monitor prints. */
interface Measurement {
  readonly layout: 'format-5' | 'hbp-9020';
  readonly id: string;
  /** Format 5 error code; 0 = valid. */
  readonly error?: number;
  readonly sys?: number;
  readonly dia?: number;
  readonly map?: number;
  readonly pr?: number;
  readonly movement?: boolean;
}

const SCENARIOS: Readonly<Record<string, { description: string; lines: readonly Measurement[] }>> = {
  measurements: {
    description: 'Format 5: 120/80 pulse 72 with a patient ID, 138/88 pulse 81 with body movement and no ID, an error line (code 2); then an HBP-9020 bp line 140/77 (MAP 98) pulse 68 (3 readings, 1 device error)',
    lines: [
      { layout: 'format-5', id: '12345678901234567890', sys: 120, dia: 80, pr: 72 },
      { layout: 'format-5', id: '', sys: 138, dia: 88, pr: 81, movement: true },
      { layout: 'format-5', id: 'MRN000417', error: 2 },
      { layout: 'hbp-9020', id: '99999999999999999999', sys: 140, map: 98, dia: 77, pr: 68 },
    ],
  },
  errors: {
    description: 'Format 5: two error lines (codes 1 and 2), then a good 118/76 pulse 64 (1 reading, 2 device errors)',
    lines: [
      { layout: 'format-5', id: 'A-0042', error: 1 },
      { layout: 'format-5', id: 'A-0042', error: 2 },
      { layout: 'format-5', id: 'A-0042', sys: 118, dia: 76, pr: 64 },
    ],
  },
  'hbp-9020': {
    description: 'HBP-9020 bp lines: 140/77 (MAP 98) pulse 68, then 126/82 (MAP 97) pulse 70 (2 readings)',
    lines: [
      { layout: 'hbp-9020', id: '99999999999999999999', sys: 140, map: 98, dia: 77, pr: 68 },
      { layout: 'hbp-9020', id: '00000000000000000417', sys: 126, map: 97, dia: 82, pr: 70 },
    ],
  },
};

const p = (n: number, width = 2): string => String(n).padStart(width, '0');
const blank3 = '   ';

/** The line the monitor prints for `m`, stamped with the simulated device clock (local time). */
export function measurementLine(m: Measurement, epochMs: number): string {
  const t = new Date(epochMs);
  const [y, mo, d, h, mi] = [t.getFullYear(), t.getMonth() + 1, t.getDate(), t.getHours(), t.getMinutes()];
  const id = m.id.padEnd(PATIENT_ID_WIDTH, ' ');
  if (m.layout === 'hbp-9020') {
    return `bp,${id},${y}/${p(mo)}/${p(d)},${p(h)}:${p(mi)},${p(m.sys ?? 0, 3)},${p(m.map ?? 0, 3)},${p(m.dia ?? 0, 3)},${p(m.pr ?? 0, 3)},3\r\n`;
  }
  const error = m.error ?? 0;
  const vals = error === 0 ? [m.sys ?? 0, m.dia ?? 0, m.pr ?? 0].map((v) => p(v, 3)) : [blank3, blank3, blank3];
  return `${y},${p(mo)},${p(d)},${p(h)},${p(mi)},${id},${error},${vals.join(',')},${m.movement ? 1 : 0}\r\n`;
}

/** An endless `stream` measurement: values that wander within normal adult ranges. */
function streamMeasurement(i: number): Measurement {
  return { layout: 'format-5', id: `DEMO-${p(i % 1000, 3)}`, sys: 112 + ((i * 7) % 30), dia: 70 + ((i * 5) % 16), pr: 60 + ((i * 11) % 30), movement: i % 9 === 8 };
}

/** The monitor's side: one line per finished measurement, on `ctx.clock`. It answers no commands. */
export const simulator: Simulator = {
  scenarios: [
    ...Object.entries(SCENARIOS).map(([name, s]) => ({ name, description: s.description })),
    { name: 'stream', description: 'Endless: a format-5 measurement every 20 s, now and then with body movement (demo mode)' },
  ],
  async run({ link, clock, signal, scenario, fault }) {
    const chosen = SCENARIOS[scenario];
    if (!chosen && scenario !== 'stream') {
      throw new HubError('CONFIG_INVALID', `omron-hbp-9030 simulator has no scenario "${scenario}" (it has: ${[...Object.keys(SCENARIOS), 'stream'].join(', ')})`);
    }
    const next = chosen ? (i: number) => chosen.lines[i] : streamMeasurement;
    const gap = chosen ? LINE_GAP_MS : STREAM_GAP_MS;
    for (let i = 0; ; i++) {
      const m = next(i);
      if (m === undefined) return;
      await sleep(clock, gap, signal).catch(() => undefined);
      if (signal.aborted || link.closed) return;
      const line = measurementLine(m, clock.now());
      // Fault `truncate`: the first part of every line, no terminator (no reading may come of it).
      await link.write(fromLatin1(fault === 'truncate' ? line.slice(0, Math.floor(line.length * TRUNCATE_KEEP)) : line));
    }
  },
};
