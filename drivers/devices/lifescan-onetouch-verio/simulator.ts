import { HubError, isHubError } from '../../../shared/errors.ts';
import type { Simulator, SimulatorContext } from '../../kit/index.ts';
import { SimulatedVerio, type MeterSpec, type StoredRecord } from './simulated-device.ts';

/** HI as a stored code above the 600 mg/dL bound (the real encoding is not documented: synthetic). */
const SIM_HI_VALUE = 0xffff;
/** LO as a stored code below the 20 mg/dL bound (synthetic). */
const SIM_LO_VALUE = 10;
const HOUR_S = 3600;
const FIRST_LIFETIME = 1200;

type Special = Partial<Pick<StoredRecord, 'mgdl' | 'flags' | 'meal'>>;

/**
 * A memory of `count` results, newest (index 0) first, 4–8 h apart before the meter's clock,
 * values 70–239 mg/dL, every 5th before a meal and every 7th after one, `special` overriding.
 * Deterministic, so traces and tests can be checked.
 */
export function syntheticMemory(count: number, special: Readonly<Record<number, Special>> = {}): (meterNowSeconds: number) => StoredRecord[] {
  return (now) => {
    const records: StoredRecord[] = [];
    let at = now;
    for (let i = 0; i < count; i++) {
      at -= 4 * HOUR_S + ((i * 53) % 240) * 60 + ((i * 7) % 60);
      const meal = i % 5 === 1 ? 1 : i % 7 === 3 ? 2 : 0;
      records.push({ meterSeconds: at, mgdl: 70 + ((i * 37 + 11) % 170), flags: 0, meal, lifetime: FIRST_LIFETIME + count - i, ...special[i] });
    }
    return records;
  };
}

/** The notes' two constructed records (PROTOCOL.md §9): 104 mg/dL before a meal, and a control-solution test of 128. */
const NOTES_RECORDS: StoredRecord[] = [
  { meterSeconds: 0x2d798948, mgdl: 104, flags: 0, meal: 1, lifetime: 1234, inverse: 36 },
  { meterSeconds: 0x2d797b38, mgdl: 128, flags: 1, meal: 0, lifetime: 1233, inverse: 35 },
];

const BASE: Omit<MeterSpec, 'records'> = { serial: 'SIMVR0001', model: 'Verio', software: 'SIM 02.01', displayUnit: 0, clockOffsetMs: 0 };

/** Control solution at 2 and 9, HI at 3, the bounds 600 and 20 at 5 and 6, LO at 11. */
const MEMORY_SPECIAL: Record<number, Special> = { 2: { flags: 1, meal: 0 }, 3: { mgdl: SIM_HI_VALUE }, 5: { mgdl: 600 }, 6: { mgdl: 20 }, 9: { flags: 1, meal: 0, mgdl: 128 }, 11: { mgdl: SIM_LO_VALUE } };

/** The scenarios, the default (`memory`) first. */
export const SCENARIOS: readonly { name: string; description: string; spec: MeterSpec }[] = [
  { name: 'memory', description: '20 results in mg/dL: two control-solution tests, one HI, one LO, the bounds 20 and 600, meal markers', spec: { ...BASE, records: syntheticMemory(20, MEMORY_SPECIAL) } },
  { name: 'empty', description: 'A meter with no results', spec: { ...BASE, records: syntheticMemory(0) } },
  { name: 'mmol', description: 'Display set to mmol/L: 6 results, still reported in mg/dL', spec: { ...BASE, displayUnit: 1, records: syntheticMemory(6) } },
  { name: 'clock-off', description: 'Meter clock 2 h behind; 6 results', spec: { ...BASE, clockOffsetMs: -2 * HOUR_S * 1000, records: syntheticMemory(6) } },
  {
    name: 'notes',
    description: 'The constructed exchange of PROTOCOL.md §9: serial XJJ1234AB, record 0 = 2024-03-05 07:42, 104 mg/dL before a meal; record 1 a control-solution test of 128 mg/dL',
    spec: { ...BASE, serial: 'XJJ1234AB', records: () => NOTES_RECORDS },
  },
  { name: 'control', description: '4 results, all control-solution tests (kept apart from patient results)', spec: { ...BASE, records: syntheticMemory(4, { 0: { flags: 1 }, 1: { flags: 1 }, 2: { flags: 1 }, 3: { flags: 1 } }) } },
  { name: 'hi-lo', description: '4 results: HI, LO, and the bounds 600 and 20', spec: { ...BASE, records: syntheticMemory(4, { 0: { mgdl: SIM_HI_VALUE }, 1: { mgdl: SIM_LO_VALUE }, 2: { mgdl: 600 }, 3: { mgdl: 20 } }) } },
  { name: 'checksum-error', description: '8 results; the reply blocks for records 2 and 5 fail their CRC once', spec: { ...BASE, records: syntheticMemory(8), corruptResponseOnce: [2, 5] } },
  { name: 'command-failed', description: '8 results; reading the reply for record 3 fails once (CSW status 01, then REQUEST SENSE)', spec: { ...BASE, records: syntheticMemory(8), failReadOnce: [3] } },
  { name: 'not-lifescan', description: 'A USB stick: INQUIRY vendor "SanDisk" (the driver must write nothing)', spec: { ...BASE, vendor: 'SanDisk', records: syntheticMemory(4) } },
  { name: 'unplug', description: '20 results; the meter is pulled out after 7 have been read', spec: { ...BASE, records: syntheticMemory(20, MEMORY_SPECIAL), unplugAfterRecords: 7 } },
  { name: 'big', description: '500 results, for the benchmark', spec: { ...BASE, records: syntheticMemory(500, { 40: { mgdl: SIM_HI_VALUE }, 41: { mgdl: SIM_LO_VALUE }, 42: { flags: 1 } }) } },
];

/**
 * Play a meter until the host hangs up or the signal aborts: every OUT chunk goes through the
 * state machine and its IN bytes are written at once (USB moves a block in well under a
 * millisecond; no source gives the meter's think time). Resolves normally when stopped.
 */
export async function runMeter(ctx: SimulatorContext, spec: MeterSpec): Promise<SimulatedVerio> {
  const meter = new SimulatedVerio(spec, ctx.clock, ctx.fault);
  if (ctx.signal.aborted || ctx.link.closed) return meter;
  let queue = Promise.resolve();
  await new Promise<void>((resolve) => {
    const offData = ctx.link.onData((chunk) => {
      const replies = meter.push(chunk);
      queue = queue
        .then(async () => {
          for (const r of replies) await ctx.link.write(r);
          if (meter.unplugNow) await ctx.link.close();
        })
        .catch((e: unknown) => {
          if (!(isHubError(e) && e.code === 'TRANSPORT_CLOSED')) throw e;
        });
    });
    const finish = (): void => {
      offData();
      offClose();
      ctx.signal.removeEventListener('abort', finish);
      resolve();
    };
    const offClose = ctx.link.onClose(finish);
    ctx.signal.addEventListener('abort', finish, { once: true });
  });
  await queue.catch(() => undefined);
  return meter;
}

/** The Verio's side (PROTOCOL.md): BOT and the register protocol, answering from a memory. */
export const simulator: Simulator = {
  scenarios: SCENARIOS.map(({ name, description }) => ({ name, description })),
  async run(ctx) {
    const scenario = SCENARIOS.find((s) => s.name === ctx.scenario);
    if (!scenario) throw new HubError('INPUT_INVALID', `the Verio simulator has no scenario "${ctx.scenario}"`);
    await runMeter(ctx, scenario.spec);
  },
};
