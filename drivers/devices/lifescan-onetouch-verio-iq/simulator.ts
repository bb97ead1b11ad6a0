import { HubError } from '../../../shared/errors.ts';
import type { Simulator, SimulatorContext } from '../../kit/index.ts';
import { playPacketMeter } from '../../families/lifescan/simulated-meter.ts';
import { SimulatedVerioIq, type MeterSpec, type StoredRecord } from './simulated-device.ts';

/** HI as a stored code above the 600 mg/dL bound (the real encoding is not documented: synthetic). */
const SIM_HI_VALUE = 0xffff;
/** LO as a stored code below the 20 mg/dL bound (synthetic). */
const SIM_LO_VALUE = 10;
const HOUR_S = 3600;

/** What `special` may put at an index: a value, control solution, or a meal marker. */
type Special = Partial<Pick<StoredRecord, 'mgdl' | 'control' | 'meal'>>;

/**
 * A memory of `count` results, newest (index 0) first, 4–8 h apart before the meter's clock,
 * values 70–239 mg/dL, every 5th before a meal and every 7th after one, with `special` entries
 * overriding. Deterministic, so traces and tests can be checked.
 */
export function syntheticMemory(count: number, special: Readonly<Record<number, Special>> = {}): (meterNowSeconds: number) => StoredRecord[] {
  return (now) => {
    const records: StoredRecord[] = [];
    let at = now;
    for (let i = 0; i < count; i++) {
      at -= 4 * HOUR_S + ((i * 53) % 240) * 60 + ((i * 7) % 60);
      const meal = i % 5 === 1 ? 1 : i % 7 === 3 ? 2 : 0;
      records.push({ meterSeconds: at, mgdl: 70 + ((i * 37 + 11) % 170), control: 0, meal, ...special[i] });
    }
    return records;
  };
}

/** The notes' constructed record (PROTOCOL.md §9): 2024-03-05 07:42:00, 104 mg/dL, before a meal. */
const NOTES_RECORD: StoredRecord = { meterSeconds: 0x2d798948, mgdl: 104, control: 0, meal: 1 };

const BASE: Omit<MeterSpec, 'records'> = { serial: 'SIMIQ0001', version: 'SIM 01.02', displayUnit: 0, clockOffsetMs: 0 };

/** HI at 3, the bounds 600 and 20 at 5 and 6, LO at 11, control solution at 2 and 9. */
const MEMORY_SPECIAL: Record<number, Special> = { 2: { control: 1, meal: 0 }, 3: { mgdl: SIM_HI_VALUE }, 5: { mgdl: 600 }, 6: { mgdl: 20 }, 9: { control: 1, meal: 0, mgdl: 128 }, 11: { mgdl: SIM_LO_VALUE } };

/** The scenarios, the default (`memory`) first. */
export const SCENARIOS: readonly { name: string; description: string; spec: MeterSpec }[] = [
  { name: 'memory', description: '60 results in mg/dL: two control-solution tests, one HI, one LO, the bounds 20 and 600, meal markers', spec: { ...BASE, records: syntheticMemory(60, MEMORY_SPECIAL) } },
  { name: 'empty', description: 'A meter with no results', spec: { ...BASE, records: syntheticMemory(0) } },
  { name: 'mmol', description: 'Display set to mmol/L: 12 results, still reported in mg/dL', spec: { ...BASE, displayUnit: 1, records: syntheticMemory(12, { 2: { mgdl: SIM_HI_VALUE } }) } },
  { name: 'clock-off', description: 'Meter clock 2 h behind; 12 results', spec: { ...BASE, clockOffsetMs: -2 * HOUR_S * 1000, records: syntheticMemory(12) } },
  {
    name: 'notes',
    description: 'The constructed exchange of PROTOCOL.md §9: serial XJJ1234AB, record 0 = 2024-03-05 07:42, 104 mg/dL before a meal, then 4 synthetic ones',
    spec: {
      ...BASE,
      serial: 'XJJ1234AB',
      records: (now) => [NOTES_RECORD, ...syntheticMemory(4)(Math.min(now, NOTES_RECORD.meterSeconds))],
    },
  },
  { name: 'prefix-04', description: '8 results from a meter that answers with prefix 04 (the prefix is not checked)', spec: { ...BASE, replyPrefix: 0x04, records: syntheticMemory(8) } },
  { name: 'checksum-error', description: '20 results; the replies for records 3 and 11 fail their CRC once', spec: { ...BASE, records: syntheticMemory(20, MEMORY_SPECIAL), corruptResponseOnce: [3, 11] } },
  { name: 'lost-response', description: '12 results; the reply for record 4 is lost once', spec: { ...BASE, records: syntheticMemory(12), dropResponseOnce: [4] } },
  { name: 'device-error', description: '12 results; reading record 5 answers status 0x09', spec: { ...BASE, records: syntheticMemory(12), errorAtRecord: 5 } },
  { name: 'big', description: '750 results, for the benchmark', spec: { ...BASE, records: syntheticMemory(750, { 40: { mgdl: SIM_HI_VALUE }, 41: { mgdl: SIM_LO_VALUE }, 42: { control: 1 } }) } },
];

/** Play a Verio IQ with this memory until the host hangs up or the signal aborts (at 38400 baud on the wire). */
export async function runMeter(ctx: SimulatorContext, spec: MeterSpec): Promise<void> {
  await playPacketMeter(ctx, new SimulatedVerioIq(spec, ctx.clock, ctx.fault));
}

/** The Verio IQ's side (PROTOCOL.md): answers the driver's requests from a memory. */
export const simulator: Simulator = {
  scenarios: SCENARIOS.map(({ name, description }) => ({ name, description })),
  async run(ctx) {
    const scenario = SCENARIOS.find((s) => s.name === ctx.scenario);
    if (!scenario) throw new HubError('INPUT_INVALID', `the Verio IQ simulator has no scenario "${ctx.scenario}"`);
    await runMeter(ctx, scenario.spec);
  },
};
