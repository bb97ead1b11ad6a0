import { HubError, isHubError } from '../../../shared/errors.ts';
import { FrameReader, type Simulator, type SimulatorContext, sleep } from '../../kit/index.ts';
import { syntheticResults } from '../../families/glucose/synthetic-memory.ts';
import { CodeFreeFramer, FROM_METER, MESSAGE, encodePacket, type PacketItem } from './protocol.ts';

/** One byte at 38400 baud, 8N1: 10 bits (PROTOCOL.md §1). */
const BYTE_TIME_MS = 10_000 / 38400;
const MINUTE_MS = 60_000;

/** A stored result: minutes before the meter clock at power-on, mg/dL, meal byte (00, 10, 20). */
interface StoredRecord {
  minutesAgo: number;
  mgdl: number;
  meal: number;
}

interface MeterSpec {
  records: readonly StoredRecord[];
  /** Send the spurious 00 before the challenge (the notes: some meters do). */
  leadingZero?: boolean;
  /** Index of a record sent with a wrong checksum. */
  corruptRecord?: number;
}

/** `count` results newest first, 4–8 h apart, 70–239 mg/dL, every 5th before a meal, every 7th after. Deterministic. */
function syntheticMemory(count: number): StoredRecord[] {
  const meals = [0x00, 0x10, 0x20] as const;
  return syntheticResults(count).map(({ minutesAgo, value, meal }) => ({ minutesAgo, mgdl: value, meal: meals[meal] }));
}

export const SCENARIOS: readonly { name: string; description: string; spec: MeterSpec }[] = [
  { name: 'memory', description: '30 results in mg/dL with meal markers', spec: { records: syntheticMemory(30) } },
  { name: 'empty', description: 'A meter with no results (count 0)', spec: { records: [] } },
  { name: 'notes', description: 'The notes’ packets (PROTOCOL.md §5): a spurious 00, the challenge, count 37; 37 synthetic results', spec: { records: syntheticMemory(37), leadingZero: true } },
  { name: 'checksum-error', description: '8 results; record 3 arrives with a wrong checksum: the download stops after 3 readings', spec: { records: syntheticMemory(8), corruptRecord: 3 } },
  { name: 'big', description: '500 results (a full memory), for the benchmark', spec: { records: syntheticMemory(500) } },
];

/** A record message: 2 unknown bytes, YY MM DD hh mm, value u16 BE, meal, 7 unknown bytes (zeros here). */
function recordMessage(r: StoredRecord, bootAt: number): Uint8Array {
  const t = new Date(bootAt - r.minutesAgo * MINUTE_MS);
  return Uint8Array.of(0, 0, t.getFullYear() - 2000, t.getMonth() + 1, t.getDate(), t.getHours(), t.getMinutes(), r.mgdl >> 8, r.mgdl & 0xff, r.meal, 0, 0, 0, 0, 0, 0, 0);
}

/**
 * Play the meter: greet at once (as when switched on), then answer start with the count and each
 * fetch with the next record; a fetch after the last record, or anything unexpected, gets silence
 * (the real meter disconnects or shows E-5). Resolves when stopped or the host hangs up.
 */
async function runMeter(ctx: SimulatorContext, spec: MeterSpec): Promise<void> {
  const stop = new AbortController();
  const onAbort = (): void => stop.abort();
  ctx.signal.addEventListener('abort', onAbort, { once: true });
  const offClose = ctx.link.onClose(onAbort);
  if (ctx.signal.aborted || ctx.link.closed) stop.abort();
  const reader = new FrameReader<PacketItem>({ link: ctx.link }, new CodeFreeFramer());
  const bootAt = ctx.clock.now();
  let next = -1;
  const send = async (bytes: Uint8Array): Promise<void> => {
    const out = ctx.fault === 'bad-checksum' ? corrupt(bytes) : ctx.fault === 'truncate' ? bytes.slice(0, Math.max(3, bytes.length - 3)) : bytes;
    await ctx.link.write(out);
    await sleep(ctx.clock, out.length * BYTE_TIME_MS, stop.signal);
  };
  try {
    if (!stop.signal.aborted) await send(Uint8Array.of(...(spec.leadingZero ? [0x00] : []), ...encodePacket(MESSAGE.challenge, FROM_METER)));
    for (;;) {
      const item = await reader.next(stop.signal);
      if (item === undefined) return;
      if (item.kind !== 'packet') continue;
      const m = item.packet.message;
      if (m[0] === MESSAGE.start[0] && m[1] === MESSAGE.start[1] && next < 0) {
        next = 0;
        const n = spec.records.length;
        await send(encodePacket(Uint8Array.of(0x30, n >> 8, n & 0xff, ...new Array<number>(19).fill(0xaa)), FROM_METER));
      } else if (m[0] === MESSAGE.fetch[0] && m[1] === MESSAGE.fetch[1] && next >= 0) {
        const record = spec.records[next];
        if (!record) continue;
        const packet = encodePacket(recordMessage(record, bootAt), FROM_METER);
        await send(next === spec.corruptRecord ? corrupt(packet) : packet);
        next++;
      }
    }
  } catch (e) {
    const closed = isHubError(e) && e.code === 'TRANSPORT_CLOSED';
    if (!stop.signal.aborted && !closed) throw e;
  } finally {
    reader.dispose();
    ctx.signal.removeEventListener('abort', onAbort);
    offClose();
  }
}

/** The same packet with a wrong checksum byte. */
function corrupt(bytes: Uint8Array): Uint8Array {
  const out = Uint8Array.from(bytes);
  if (out.length >= 2) out[out.length - 2] = (out[out.length - 2] ?? 0) ^ 0x5a;
  return out;
}

/** The SD CodeFree's side (PROTOCOL.md). */
export const simulator: Simulator = {
  // It greets once when switched on (PROTOCOL.md): a second download needs it switched on again.
  oneDownloadPerPowerOn: true,
  scenarios: SCENARIOS.map(({ name, description }) => ({ name, description })),
  async run(ctx) {
    const scenario = SCENARIOS.find((s) => s.name === ctx.scenario);
    if (!scenario) throw new HubError('INPUT_INVALID', `the SD CodeFree simulator has no scenario "${ctx.scenario}"`);
    await runMeter(ctx, scenario.spec);
  },
};
