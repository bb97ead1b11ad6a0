import { HubError } from '../../../shared/errors.ts';
import type { Simulator, SimulatorContext } from '../../kit/index.ts';
import { answerFramedRequests, type MeterBytes } from '../cp2110/index.ts';
import { syntheticResults } from '../glucose/synthetic-memory.ts';
import { FLAG } from './normalize.ts';
import { IspcFramer, PROTOCOL_MARK } from './protocol.ts';
import { SimulatedCaresens, type MeterSpec, type StoredRecord } from './simulated-device.ts';

const HOUR_MIN = 60;
type Special = Partial<Omit<StoredRecord, 'minutesAgo'>>;

/**
 * `count` results newest first, 4–8 h apart, 70–239 mg/dL, every 5th fasting and every 7th after
 * a meal, `special` entries overriding. Deterministic, so traces and tests can be checked.
 */
export function syntheticMemory(count: number, special: Readonly<Record<number, Special>> = {}): StoredRecord[] {
  const flags = [FLAG.plain, FLAG.fasting, FLAG.postMeal] as const;
  return syntheticResults(count).map(({ minutesAgo, value, meal }, i) => ({ minutesAgo, value, flags: flags[meal], ...special[i] }));
}

const BASE: Omit<MeterSpec, 'records'> = { serial: 'CSN12345678', clockOffsetMs: 0 };

/** Control solution at 2 and 9, HI (flagged) at 3, LO (flagged) at 11, the bounds 600 and 20 at 5 and 6, ketone 1.2 and HI at 13 and 14. */
const MEMORY_SPECIAL: Record<number, Special> = {
  2: { flags: FLAG.control | FLAG.plain },
  3: { flags: FLAG.rangeValid | FLAG.high, value: 600 },
  5: { value: 600 },
  6: { value: 20 },
  9: { flags: FLAG.control | FLAG.plain, value: 128 },
  11: { flags: FLAG.rangeValid | FLAG.low, value: 20 },
  13: { flags: FLAG.ketone, value: 12 },
  14: { flags: FLAG.ketone | FLAG.rangeValid | FLAG.high, value: 80 },
};

/** The GLUE reply vector of the notes (drivers/devices/isens-caresens/PROTOCOL.md §6), its two records byte for byte. */
const NOTES_RECORDS: StoredRecord[] = [
  { minutesAgo: 0, flags: 0, value: 0, rawBytes: [0x18, 0x03, 0x05, 0x07, 0x2a, 0x00, 0x10, 0x00, 0x68] },
  { minutesAgo: 0, flags: 0, value: 0, rawBytes: [0x18, 0x03, 0x04, 0x15, 0x05, 0x00, 0x02, 0x00, 0xa5] },
];

/** The scenarios, the default (`memory`) first. */
export const SCENARIOS: readonly { name: string; description: string; spec: MeterSpec }[] = [
  { name: 'memory', description: '40 results (two GLUE blocks): two control-solution tests, HI and LO by flag, the bounds 20 and 600, two ketone results, fasting and post-meal markers; GLUE CRC left 00 00', spec: { ...BASE, glueCrcZero: true, records: syntheticMemory(40, MEMORY_SPECIAL) } },
  { name: 'notes', description: 'The GLUE reply vector of drivers/devices/isens-caresens/PROTOCOL.md §6: 104 mg/dL fasting on 2024-03-05 07:42, 165 mg/dL after a meal on 2024-03-04 21:05', spec: { ...BASE, records: NOTES_RECORDS } },
  { name: 'empty', description: 'A meter with no results (NCOT 0)', spec: { ...BASE, records: [] } },
  { name: 'clock-off', description: 'Meter clock 2 h behind; 8 results', spec: { ...BASE, clockOffsetMs: -2 * HOUR_MIN * 60_000, records: syntheticMemory(8) } },
  { name: 'crc-error', description: '30 results; the RTIM and NCOT replies fail their CRC once and the second GLUE block is answered ECRC once', spec: { ...BASE, corruptOnce: ['RTIM', 'NCOT'], errorReplyOnce: [28], records: syntheticMemory(30, MEMORY_SPECIAL) } },
  { name: 'silent-echo', description: 'A meter that does not answer ECHO (the host goes on with protocol 3); 5 results', spec: { ...BASE, silentEcho: true, records: syntheticMemory(5) } },
  { name: 'protocol-1', description: 'An older i-SENS meter answering ECHO with 20 (protocol 1): refused with a message', spec: { ...BASE, echo: PROTOCOL_MARK.one, records: [] } },
  { name: 'big', description: '500 results, for the benchmark', spec: { ...BASE, records: syntheticMemory(500, { 40: { flags: FLAG.rangeValid | FLAG.high, value: 600 }, 42: { flags: FLAG.control } }) } },
];

/**
 * Play a meter until the host hangs up or the signal aborts, answering each request at once on
 * the byte stream `wrap` gives (behind a CP2110, the same bridge layer as the driver).
 * Resolves normally when stopped; stops every timer.
 */
export async function runMeter(ctx: SimulatorContext, spec: MeterSpec, wrap: MeterBytes): Promise<void> {
  const meter = new SimulatedCaresens(spec, ctx.clock, ctx.fault);
  await answerFramedRequests(ctx, wrap, new IspcFramer(), (item) => meter.handle(item));
}

/** An iSPc meter's side on a link (drivers/devices/isens-caresens/PROTOCOL.md): answers from a memory. */
export function ispcSimulator(wrap: MeterBytes): Simulator {
  return {
    scenarios: SCENARIOS.map(({ name, description }) => ({ name, description })),
    async run(ctx) {
      const scenario = SCENARIOS.find((s) => s.name === ctx.scenario);
      if (!scenario) throw new HubError('INPUT_INVALID', `the i-SENS simulator has no scenario "${ctx.scenario}"`);
      await runMeter(ctx, scenario.spec, wrap);
    },
  };
}
