import { HubError } from '../../../shared/errors.ts';
import type { Simulator } from '../../kit/index.ts';
import { runFreestyleMeter, type SimMeterSpec, type SimRecord } from '../../families/freestyle-serial/simulated-meter.ts';

/**
 * The FreeStyle Optium's side (PROTOCOL.md): `$colq`, `$xmem`, `$tim` over a memory of synthetic
 * glucose (`G`) and β-ketone (`K`) results. Serial `SIMFO01-B0001` has the documented shape.
 */

const MINUTE_MS = 60_000;
const HOUR_MS = 60 * MINUTE_MS;

/** Indexes (0 = newest) of the special records in `memory`. */
const SPECIAL: Readonly<Record<number, Partial<SimRecord>>> = {
  2: { status: 0x01, value: '122' },
  5: { value: 'HI' },
  8: { value: 'LO' },
  11: { type: 'K', value: 'HI' },
  17: { status: 0x02 },
  30: { status: 0x01, value: '131' },
};

/**
 * `count` results newest first, 5–9 h apart: glucose 70–259 mg/dL, every 4th a β-ketone with raw
 * value 1–27 (0.1–1.5 mmol/L), and the SPECIAL ones (two control tests, glucose HI and LO, a
 * ketone HI, one with the lost-time bit).
 */
export function optiumMemory(count: number, special: Readonly<Record<number, Partial<SimRecord>>> = SPECIAL): (nowMs: number) => SimRecord[] {
  return (nowMs) => {
    const out: SimRecord[] = [];
    let at = Math.floor(nowMs / MINUTE_MS) * MINUTE_MS - 10 * MINUTE_MS;
    for (let i = 0; i < count; i++) {
      if (i > 0) at -= 5 * HOUR_MS + ((i * 53) % 240) * MINUTE_MS;
      const ketone = i % 4 === 3;
      out.push({ atMs: at, value: ketone ? String(1 + ((i * 5) % 27)) : String(70 + ((i * 37) % 190)), type: ketone ? 'K' : 'G', status: 0, ...special[i] });
    }
    return out;
  };
}

/** The notes' constructed `$xmem` dump (PROTOCOL.md §5), clock 2024-03-05 14:30:07. */
const NOTES_CLOCK_MS = new Date(2024, 2, 5, 14, 30, 7).getTime();
const notesRecords = (): SimRecord[] => [
  { atMs: new Date(2024, 2, 5, 7, 42).getTime(), value: '104', type: 'G', status: 0 },
  { atMs: new Date(2024, 2, 4, 22, 0).getTime(), value: '003', type: 'K', status: 0 },
  { atMs: new Date(2024, 2, 4, 21, 5).getTime(), value: 'HI', type: 'G', status: 0 },
];

const BASE: Omit<SimMeterSpec, 'records'> = { variant: 'optium', serial: 'SIMFO01-B0001', version: '1.00', clockOffsetMs: 0 };

export const SCENARIOS: readonly { name: string; description: string; spec: (nowMs: number) => SimMeterSpec }[] = [
  { name: 'memory', description: '60 results: glucose and β-ketone, two control-solution tests, glucose HI and LO, a ketone HI, one lost-time record', spec: () => ({ ...BASE, records: optiumMemory(60) }) },
  { name: 'empty', description: 'A meter with nothing in memory (header, then "Log Empty END")', spec: () => ({ ...BASE, empty: 'one-line', records: optiumMemory(0) }) },
  { name: 'mmol', description: 'A meter set to mmol/L ($colq unit MMOL); 12 results, glucose still sent in mg/dL', spec: () => ({ ...BASE, unitText: 'MMOL', records: optiumMemory(12) }) },
  { name: 'clock-off', description: 'Meter clock 2 h behind; 12 results', spec: () => ({ ...BASE, clockOffsetMs: -2 * HOUR_MS, records: optiumMemory(12) }) },
  { name: 'checksum-error', description: '20 results; the first dump has one damaged digit (checksum fails), the second is clean', spec: () => ({ ...BASE, corruptOnce: 4, records: optiumMemory(20) }) },
  { name: 'first-ignored', description: 'The meter ignores the first command (as the notes warn); 8 results', spec: () => ({ ...BASE, ignoreFirst: true, records: optiumMemory(8) }) },
  {
    name: 'notes',
    description: "The notes' constructed dump: serial MAGD123-A4567, clock 2024-03-05 14:30:07, glucose 104, ketone 003, glucose HI, checksum 0x1C23",
    spec: (nowMs) => ({ ...BASE, serial: 'MAGD123-A4567', clockOffsetMs: NOTES_CLOCK_MS - nowMs, records: notesRecords }),
  },
  { name: 'big', description: '800 results (the benchmark)', spec: () => ({ ...BASE, records: optiumMemory(800) }) },
];

export const simulator: Simulator = {
  scenarios: SCENARIOS.map(({ name, description }) => ({ name, description })),
  async run(ctx) {
    const scenario = SCENARIOS.find((s) => s.name === ctx.scenario);
    if (!scenario) throw new HubError('INPUT_INVALID', `the FreeStyle Optium simulator has no scenario "${ctx.scenario}"`);
    await runFreestyleMeter(ctx, scenario.spec(ctx.clock.now()));
  },
};
