import { HubError } from '../../../shared/errors.ts';
import type { Simulator, SimulatorContext } from '../../kit/index.ts';
import { answerFramedRequests, cp2110MeterBytes } from '../../families/cp2110/index.ts';
import { syntheticResults } from '../../families/glucose/synthetic-memory.ts';
import { TaidocFramer } from './protocol.ts';
import { SimulatedTd42xx, type MeterSpec, type StoredRecord } from './simulated-device.ts';

/** HI and LO as stored numbers beyond 600 and below 20 mg/dL (the real codes are not documented: synthetic). */
const SIM_HI = 700;
const SIM_LO = 10;
const HOUR_MIN = 60;
/** Type code of a ketone test (PROTOCOL.md §6). */
const KETONE = 0x07;

type Special = Partial<Omit<StoredRecord, 'minutesAgo'>>;

/**
 * `count` results newest first, 4–8 h apart, 70–239 mg/dL, every 5th before a meal and every 7th
 * after one, `special` entries overriding. Deterministic, so traces and tests can be checked.
 */
export function syntheticMemory(count: number, special: Readonly<Record<number, Special>> = {}): StoredRecord[] {
  return syntheticResults(count).map(({ minutesAgo, value, meal }, i) => ({ minutesAgo, value, mealBits: meal, type: 0, ...special[i] }));
}

const BASE: Omit<MeterSpec, 'records'> = { model: 0x4277, serialParts: [[0x78, 0x56, 0x34, 0x12], [0x21, 0x43, 0x65, 0x87]], clockOffsetMs: 0 };

/** Control solution at 2 and 9, HI at 3, the bounds 600 and 20 at 5 and 6, LO at 11. */
const MEMORY_SPECIAL: Record<number, Special> = { 2: { mealBits: 3 }, 3: { value: SIM_HI }, 5: { value: 600 }, 6: { value: 20 }, 9: { mealBits: 3, value: 128 }, 11: { value: SIM_LO } };

/** The notes' vectors (PROTOCOL.md §9): 104 mg/dL before a meal, and the three published datetimes. */
const NOTES_RECORDS: StoredRecord[] = [
  { minutesAgo: 0, timeBytes: [0x04, 0x27, 0x25, 0x0d], value: 104, mealBits: 1, type: 0 },
  { minutesAgo: 0, timeBytes: [0x21, 0x26, 0x0e, 0x15], value: 95, mealBits: 0, type: 0 },
  { minutesAgo: 0, timeBytes: [0x21, 0x24, 0x0e, 0x15], value: 143, mealBits: 2, type: 0 },
];

/** The scenarios, the default (`memory`) first. */
export const SCENARIOS: readonly { name: string; description: string; spec: MeterSpec }[] = [
  { name: 'memory', description: '40 glucose results in mg/dL: two control-solution tests, one HI, one LO, the bounds 20 and 600, meal markers', spec: { ...BASE, records: syntheticMemory(40, MEMORY_SPECIAL) } },
  { name: 'empty', description: 'A meter with no results (count 0, FFFF)', spec: { ...BASE, records: [] } },
  { name: 'clock-off', description: 'Meter clock 2 h behind; 8 results', spec: { ...BASE, clockOffsetMs: -2 * HOUR_MIN * 60_000, records: syntheticMemory(8) } },
  { name: 'notes', description: 'The vectors of PROTOCOL.md §9: TD-4277, 104 mg/dL before a meal on 2019-08-04 13:37, then 2019-01-01 and 2018-01-01 21:14', spec: { ...BASE, records: NOTES_RECORDS } },
  { name: 'notice', description: '6 results; the meter answers the model request with its "communication mode" notice (54) once', spec: { ...BASE, noticeBeforeRequest: 2, records: syntheticMemory(6) } },
  { name: 'no-serial', description: 'A TD-4116 that does not answer the serial-number commands; 5 results', spec: { model: 0x4116, clockOffsetMs: 0, records: syntheticMemory(5) } },
  { name: 'other-types', description: '6 results, of which a ketone test at 1 (not imported: no documented unit)', spec: { ...BASE, records: syntheticMemory(6, { 1: { type: KETONE, value: 15, mealBits: 0 } }) } },
  { name: 'checksum-error', description: '12 results; the value replies of records 3 and 8 fail their checksum once', spec: { ...BASE, records: syntheticMemory(12, MEMORY_SPECIAL), corruptValueOnce: [3, 8] } },
  { name: 'lost-response', description: '8 results; the time reply of record 4 is lost once', spec: { ...BASE, records: syntheticMemory(8), dropTimeOnce: [4] } },
  { name: 'big', description: '450 results, for the benchmark', spec: { ...BASE, records: syntheticMemory(450, { 40: { value: SIM_HI }, 41: { value: SIM_LO }, 42: { mealBits: 3 } }) } },
];

/**
 * Play a meter behind its CP2110 until the host hangs up or the signal aborts: the device side
 * speaks bytes through the same bridge layer as the driver and answers each packet at once.
 * Resolves normally when stopped; stops every timer.
 */
export async function runMeter(ctx: SimulatorContext, spec: MeterSpec): Promise<void> {
  const meter = new SimulatedTd42xx(spec, ctx.clock, ctx.fault);
  // Answered at once, without the UART's own ~4 ms per packet (`reply.wireMs`): the link
  // under a HID device is paced per report (bench/paced-link.ts), so waiting here as well
  // would count the wire twice in bench/download-time.ts. Its figures for this meter
  // therefore leave out the 19200-baud UART behind the bridge.
  await answerFramedRequests(ctx, cp2110MeterBytes, new TaidocFramer(), (item) => meter.handle(item).map((reply) => reply.bytes));
}

/** The TD-42xx's side (PROTOCOL.md): answers the driver's requests from a memory. */
export const simulator: Simulator = {
  // The driver turns the meter off at the end (PROTOCOL.md §4): a second download needs it switched on again.
  oneDownloadPerPowerOn: true,
  scenarios: SCENARIOS.map(({ name, description }) => ({ name, description })),
  async run(ctx) {
    const scenario = SCENARIOS.find((s) => s.name === ctx.scenario);
    if (!scenario) throw new HubError('INPUT_INVALID', `the TaiDoc TD-42xx simulator has no scenario "${ctx.scenario}"`);
    await runMeter(ctx, scenario.spec);
  },
};
