import { HubError, isHubError } from '../../../shared/errors.ts';
import { localToEpochMs, toOffsetDateTime } from '../../../shared/time.ts';
import { encodeSfloat, SFLOAT_SPECIAL } from '../../families/ieee11073/index.ts';
import { FrameReader, sleep, type Simulator, type SimulatorContext } from '../../kit/index.ts';
import { createApduFramer } from './protocol.ts';
import { SimulatedMeter, type MeterSpec, type StoredEntry } from './simulated-device.ts';

/** A USB full-speed bulk transfer of one APDU takes one 1 ms frame (PROTOCOL.md §2). */
export const TRANSFER_WIRE_MS = 1;
const HOUR_MS = 3_600_000;
/** MeasurementStatus test-data bit: how the simulator marks a control-solution test (PROTOCOL.md §6, [UNVERIFIED]). */
const STATUS_TEST_DATA = 0x0800;

/**
 * `count` results, oldest first, 4–8 h apart counted back from the meter clock, values
 * 70–239 mg/dL (`70 + (37·i + 11) mod 170` for the i-th newest), with `special` SFLOAT bits or
 * statuses at some newest-first indexes. Deterministic, so fixtures can be checked by hand.
 */
export function syntheticMemory(count: number, special: Readonly<Record<number, Partial<StoredEntry>>> = {}): (meterNow: string) => StoredEntry[] {
  return (meterNow) => {
    const out: StoredEntry[] = [];
    let at = localToEpochMs(meterNow);
    for (let i = 0; i < count; i++) {
      at -= 4 * HOUR_MS + ((i * 53) % 240) * 60_000;
      at -= at % 60_000;
      out.push({ time: toOffsetDateTime(at).slice(0, 19), sfloat: encodeSfloat(70 + ((i * 37 + 11) % 170)), status: 0, ...special[i] });
    }
    return out.reverse();
  };
}

const BASE: Omit<MeterSpec, 'entries'> = {
  model: '929',
  serial: 'SIMAC0001',
  firmware: '01.02.03',
  systemId: Uint8Array.of(0x00, 0x60, 0x19, 0x00, 0x00, 0x01, 0x23, 0x45),
  clockOffsetMs: 0,
  perEvent: 25,
  pmStoreHandle: 0x0010,
  eventTime: 0xffffffff,
  unitCode: 2130,
  segmentMapInInfo: false,
};

const MEMORY_SPECIAL = {
  2: { sfloat: SFLOAT_SPECIAL.positiveInfinity },
  5: { sfloat: SFLOAT_SPECIAL.negativeInfinity },
  7: { status: STATUS_TEST_DATA, sfloat: encodeSfloat(118) },
} as const;

/** The notes' two constructed entries (PROTOCOL.md §8): 2024-03-05 07:42 104 mg/dL, 2024-03-04 21:05 HI. */
const NOTES_ENTRIES: StoredEntry[] = [
  { time: '2024-03-05T07:42:00', sfloat: 0x0068, status: 0 },
  { time: '2024-03-04T21:05:00', sfloat: SFLOAT_SPECIAL.positiveInfinity, status: 0 },
];

/** The scenarios, the default (`memory`) first. */
export const SCENARIOS: readonly { name: string; description: string; spec: MeterSpec }[] = [
  { name: 'memory', description: '60 results in mg/dL: one HI, one LO, one control (test-data bit), in 3 segment events', spec: { ...BASE, entries: syntheticMemory(60, MEMORY_SPECIAL) } },
  { name: 'empty', description: 'A meter with no results (the transfer answers "segment empty")', spec: { ...BASE, entries: () => [] } },
  { name: 'clock-off', description: 'Meter clock 2 h behind; 12 results', spec: { ...BASE, clockOffsetMs: -2 * HOUR_MS, entries: syntheticMemory(12) } },
  { name: 'fallback', description: 'The meter first offers a configuration without a PM-store (refused as unsupported), then its real one; 12 results', spec: { ...BASE, offerUnusableConfigFirst: true, entries: syntheticMemory(12) } },
  { name: 'mmol', description: 'Configuration in mmol/L; 6 results with one decimal', spec: { ...BASE, unitCode: 4722, segmentMapInInfo: true, entries: () => syntheticMemory(6)('2026-01-01T12:00:00').map((e, i) => ({ ...e, sfloat: encodeSfloat(40 + i * 13, -1) })) } },
  { name: 'notes', description: 'The two entries of the notes’ constructed segment-data event, in one event', spec: { ...BASE, model: '958', perEvent: 2, entries: () => NOTES_ENTRIES } },
  { name: 'big', description: '500 results (a full memory), for the benchmark', spec: { ...BASE, entries: syntheticMemory(500, { 40: { sfloat: SFLOAT_SPECIAL.positiveInfinity } }) } },
];

/**
 * Play a meter until the host hangs up or the signal aborts: the AARQ at once, then an answer to
 * every APDU in order. Each APDU is written, then the meter waits its transfer's time on the bus.
 * Fault `truncate`: the AARQ is cut in half and nothing more is said (no reading can come of it).
 */
export async function runMeter(ctx: SimulatorContext, spec: MeterSpec): Promise<void> {
  const stop = new AbortController();
  const onAbort = (): void => stop.abort();
  ctx.signal.addEventListener('abort', onAbort, { once: true });
  const offClose = ctx.link.onClose(onAbort);
  if (ctx.signal.aborted || ctx.link.closed) stop.abort();
  const reader = new FrameReader({ link: ctx.link }, createApduFramer());
  const meter = new SimulatedMeter(spec, () => ctx.clock.now());
  const send = async (apdus: Uint8Array[]): Promise<void> => {
    for (const apdu of apdus) {
      await ctx.link.write(apdu);
      await sleep(ctx.clock, TRANSFER_WIRE_MS, stop.signal);
    }
  };
  try {
    const [aarq] = meter.start();
    if (ctx.fault === 'truncate') {
      if (aarq) await ctx.link.write(aarq.slice(0, aarq.length >> 1));
      return;
    }
    await send(meter.start());
    for (;;) {
      const apdu = await reader.next(stop.signal);
      if (apdu === undefined) return;
      await send(meter.handle(apdu));
      if (meter.released) return;
    }
  } catch (e) {
    const closed = isHubError(e) && (e.code === 'TRANSPORT_CLOSED' || e.code === 'CANCELLED');
    if (!stop.signal.aborted && !closed) throw e;
  } finally {
    reader.dispose();
    ctx.signal.removeEventListener('abort', onAbort);
    offClose();
  }
}

/** The Accu-Chek meter's side (PROTOCOL.md): association, attributes and segment transfer from a memory. */
export const simulator: Simulator = {
  // It asks for an association once when plugged in, and is released at the end: a second download needs it plugged in again.
  oneDownloadPerPowerOn: true,
  scenarios: SCENARIOS.map(({ name, description }) => ({ name, description })),
  async run(ctx) {
    const scenario = SCENARIOS.find((s) => s.name === ctx.scenario);
    if (!scenario) throw new HubError('CONFIG_INVALID', `the Accu-Chek simulator has no scenario "${ctx.scenario}" (it has: ${SCENARIOS.map((s) => s.name).join(', ')})`);
    await runMeter(ctx, scenario.spec);
  },
};
