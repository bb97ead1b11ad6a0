import { HubError } from '../../../shared/errors.ts';
import type { Simulator } from '../../kit/index.ts';
import { runFreestyleMeter, type SimMeterSpec, type SimRecord } from '../../families/freestyle-serial/simulated-meter.ts';

/**
 * The FreeStyle Lite's side (PROTOCOL.md): a memory of synthetic results, dumped on `$mem`.
 * Serial `SIMFL01-A0001` has the documented shape (7 characters, `-`, 5); the version text is
 * the notes' example.
 */

const MINUTE_MS = 60_000;
const HOUR_MS = 60 * MINUTE_MS;

/** Indexes (0 = newest) of the special records in `memory`. */
const SPECIAL: Readonly<Record<number, Partial<SimRecord>>> = {
  3: { status: 0x01, value: '128' },
  7: { value: 'HI' },
  12: { value: 'LO' },
  21: { status: 0x01, value: '141' },
};

/**
 * `count` results newest first, the newest 10 min before the meter clock, 5–9 h apart, values
 * 70–259 mg/dL, with the SPECIAL ones (two control-solution tests, one HI, one LO). Deterministic.
 */
export function liteMemory(count: number, special: Readonly<Record<number, Partial<SimRecord>>> = SPECIAL): (nowMs: number) => SimRecord[] {
  return (nowMs) => {
    const out: SimRecord[] = [];
    let at = Math.floor(nowMs / MINUTE_MS) * MINUTE_MS - 10 * MINUTE_MS;
    for (let i = 0; i < count; i++) {
      if (i > 0) at -= 5 * HOUR_MS + ((i * 53) % 240) * MINUTE_MS;
      out.push({ atMs: at, value: String(70 + ((i * 37) % 190)), type: '00', status: 0, ...special[i] });
    }
    return out;
  };
}

/** The notes' constructed dump (PROTOCOL.md §4), clock 2024-03-05 14:30:07. */
const NOTES_CLOCK_MS = new Date(2024, 2, 5, 14, 30, 7).getTime();
const notesRecords = (): SimRecord[] => [
  { atMs: new Date(2024, 2, 5, 7, 42).getTime(), value: '104', type: '00', status: 0 },
  { atMs: new Date(2024, 2, 4, 21, 5).getTime(), value: 'HI', type: '00', status: 0 },
  { atMs: new Date(2024, 2, 4, 8, 10).getTime(), value: '128', type: '00', status: 1 },
];

const BASE: Omit<SimMeterSpec, 'records'> = { variant: 'lite', serial: 'SIMFL01-A0001', version: '1.43     -P', clockOffsetMs: 0 };

export const SCENARIOS: readonly { name: string; description: string; spec: (nowMs: number) => SimMeterSpec }[] = [
  { name: 'memory', description: '60 results in mg/dL: two control-solution tests, one HI and one LO', spec: () => ({ ...BASE, records: liteMemory(60) }) },
  { name: 'empty', description: 'A meter with nothing in memory: the header, then "Log Empty END"', spec: () => ({ ...BASE, empty: 'one-line', records: liteMemory(0) }) },
  { name: 'empty-two-lines', description: 'An empty meter answering "Log Empty" and "END" on two lines', spec: () => ({ ...BASE, empty: 'two-lines', records: liteMemory(0) }) },
  { name: 'empty-no-header', description: 'An empty meter answering the single line "Log Empty END" (no header, no clock)', spec: () => ({ ...BASE, empty: 'bare', records: liteMemory(0) }) },
  { name: 'clock-off', description: 'Meter clock 2 h behind; 12 results', spec: () => ({ ...BASE, clockOffsetMs: -2 * HOUR_MS, records: liteMemory(12) }) },
  { name: 'checksum-error', description: '20 results; the first dump has one damaged digit (checksum fails), the second is clean', spec: () => ({ ...BASE, corruptOnce: 5, records: liteMemory(20) }) },
  { name: 'leading-03', description: '8 results with stray 0x03 bytes before the dump', spec: () => ({ ...BASE, leading03: true, records: liteMemory(8) }) },
  {
    name: 'notes',
    description: "The notes' constructed dump: serial DBMN169-C4824, clock 2024-03-05 14:30:07, 104 / HI / control 128, checksum 0x1DB6",
    spec: (nowMs) => ({ ...BASE, serial: 'DBMN169-C4824', clockOffsetMs: NOTES_CLOCK_MS - nowMs, records: notesRecords }),
  },
  { name: 'big', description: '800 results (the benchmark)', spec: () => ({ ...BASE, records: liteMemory(800) }) },
];

export const simulator: Simulator = {
  scenarios: SCENARIOS.map(({ name, description }) => ({ name, description })),
  async run(ctx) {
    const scenario = SCENARIOS.find((s) => s.name === ctx.scenario);
    if (!scenario) throw new HubError('INPUT_INVALID', `the FreeStyle Lite simulator has no scenario "${ctx.scenario}"`);
    await runFreestyleMeter(ctx, scenario.spec(ctx.clock.now()));
  },
};
