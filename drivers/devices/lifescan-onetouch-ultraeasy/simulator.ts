import { HubError } from '../../../shared/errors.ts';
import type { Simulator, SimulatorContext } from '../../kit/index.ts';
import { playPacketMeter } from '../../families/lifescan/simulated-meter.ts';
import { STATUS_COUNT, STATUS_OK } from './protocol.ts';
import { SimulatedDevice, type MeterSpec, type StoredRecord } from './simulated-device.ts';

/** HI as Tidepool's comment says the meter stores it: 0xFFFF (PROTOCOL.md, HI/LO). */
const SIM_HI_VALUE = 0xffff;
/** A LO code below the 20 mg/dL bound; the real encoding is not documented (synthetic). */
const SIM_LO_VALUE = 10;
const HOUR_S = 3600;

/**
 * A memory of `count` results, newest (index 0) first [INFERRED order], spaced 4–8 h apart
 * before the meter's clock, with values 70–239 mg/dL and the codes `special` puts at some
 * indexes (HI, LO, the bounds 20 and 600). Deterministic, so traces and tests can be checked.
 */
export function syntheticMemory(count: number, special: Readonly<Record<number, number>> = {}): (meterNowSeconds: number) => StoredRecord[] {
  return (now) => {
    const records: StoredRecord[] = [];
    let at = now;
    for (let i = 0; i < count; i++) {
      at -= 4 * HOUR_S + ((i * 53) % 240) * 60 + ((i * 7) % 60);
      records.push({ meterSeconds: at, mgdl: special[i] ?? 70 + ((i * 37 + 11) % 170) });
    }
    return records;
  };
}

const BASE: Omit<MeterSpec, 'records'> = {
  serial: 'SIMUE0001',
  version: 'P02.00.0030/08/06',
  displayUnit: 0,
  clockOffsetMs: 0,
  countStatus: STATUS_COUNT,
  bits: 'follow',
};

/** HI at 3, the bounds 600 and 20 (in range) at 5 and 6, LO at 11. */
const MEMORY_SPECIAL = { 3: SIM_HI_VALUE, 5: 600, 6: 20, 11: SIM_LO_VALUE } as const;

/** The scenarios, the default (`memory`) first. */
export const SCENARIOS: readonly { name: string; description: string; spec: MeterSpec }[] = [
  { name: 'memory', description: '60 results in mg/dL, one HI, one LO and the bounds 20 and 600; count status 0x0F', spec: { ...BASE, records: syntheticMemory(60, MEMORY_SPECIAL) } },
  { name: 'empty', description: 'A meter with no results', spec: { ...BASE, records: syntheticMemory(0) } },
  { name: 'mmol', description: 'Display set to mmol/L: 12 results, still reported in mg/dL', spec: { ...BASE, displayUnit: 1, records: syntheticMemory(12, { 2: SIM_HI_VALUE }) } },
  {
    name: 'checksum-error',
    description: '60 results; the response for record 7 and the ACK for record 20 fail their CRC once',
    spec: { ...BASE, records: syntheticMemory(60, MEMORY_SPECIAL), corruptResponseOnce: [7], corruptAckOnce: [20] },
  },
  { name: 'clock-off', description: 'Meter clock 2 h behind; 12 results', spec: { ...BASE, clockOffsetMs: -2 * HOUR_S * 1000, records: syntheticMemory(12) } },
  { name: 'count-06', description: '8 results; the count response has status 0x06 instead of 0x0F', spec: { ...BASE, countStatus: STATUS_OK, records: syntheticMemory(8) } },
  { name: 'inverted-bits', description: '12 results from a meter that flips both sequence bits on every packet', spec: { ...BASE, bits: 'inverted', records: syntheticMemory(12, { 4: SIM_LO_VALUE }) } },
  { name: 'lost-response', description: '12 results; the response for record 4 is lost once (the ACK comes)', spec: { ...BASE, records: syntheticMemory(12), dropResponseOnce: [4] } },
  { name: 'late-response', description: '12 results; the response for record 4 comes 1.5 s late once', spec: { ...BASE, records: syntheticMemory(12), lateResponseOnce: [4] } },
  { name: 'device-error', description: '12 results; reading record 5 answers status 0x09', spec: { ...BASE, records: syntheticMemory(12), errorAtRecord: 5 } },
  { name: 'big', description: '500 results (a full memory), for the benchmark', spec: { ...BASE, records: syntheticMemory(500, { 40: SIM_HI_VALUE, 41: SIM_LO_VALUE }) } },
];

/** Play an UltraEasy with this memory until the host hangs up or the signal aborts (at 9600 baud on the wire). */
export async function runMeter(ctx: SimulatorContext, spec: MeterSpec): Promise<void> {
  await playPacketMeter(ctx, new SimulatedDevice(spec, ctx.clock, ctx.fault));
}

/** The UltraEasy / UltraMini meter's side (PROTOCOL.md): answers the driver's commands from a memory. */
export const simulator: Simulator = {
  scenarios: SCENARIOS.map(({ name, description }) => ({ name, description })),
  async run(ctx) {
    const scenario = SCENARIOS.find((s) => s.name === ctx.scenario);
    if (!scenario) throw new HubError('INPUT_INVALID', `the UltraEasy simulator has no scenario "${ctx.scenario}"`);
    await runMeter(ctx, scenario.spec);
  },
};
