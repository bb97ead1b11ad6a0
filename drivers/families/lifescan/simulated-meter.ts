import { isHubError } from '../../../shared/errors.ts';
import { FrameReader, sleep, type Clock, type SimulatorContext, type SimulatorFault } from '../../kit/index.ts';
import { createPacketItemFramer, writeU32, type PacketItem } from './packets.ts';

/**
 * A packet the meter sends after `delayMs` (its own delay: none, except a scenario's late answer);
 * its UART then stays busy `wireMs` while the packet goes out.
 */
export interface MeterReply {
  bytes: Uint8Array;
  delayMs: number;
  wireMs: number;
}

/** The meter's side of a LifeScan packet protocol: one packet from the host in, the packets to send out. */
export interface PacketMeter {
  handle(item: PacketItem): MeterReply[];
}

/**
 * Play a LifeScan serial meter until the host hangs up or the signal aborts: answer every packet
 * in order (ctx.clock only). Each packet is written at once and the meter then waits its time on
 * the wire, as its UART would, so a link that does not pace (a pty, a memory pair) still sees the
 * real pace, and a link that does (the benchmark's) is not charged twice. Resolves normally when
 * stopped (abort, or the host hanging up: the normal end of a meter's life); stops every timer.
 */
export async function playPacketMeter(ctx: SimulatorContext, meter: PacketMeter): Promise<void> {
  const stop = new AbortController();
  const onAbort = (): void => stop.abort();
  ctx.signal.addEventListener('abort', onAbort, { once: true });
  const offClose = ctx.link.onClose(onAbort);
  if (ctx.signal.aborted || ctx.link.closed) stop.abort();
  // The meter's side has no one to report framing problems to.
  const reader = new FrameReader({ link: ctx.link }, createPacketItemFramer());
  try {
    for (;;) {
      const item = await reader.next(stop.signal);
      if (item === undefined) return;
      for (const reply of meter.handle(item)) {
        if (reply.delayMs > 0) await sleep(ctx.clock, reply.delayMs, stop.signal);
        await ctx.link.write(reply.bytes);
        await sleep(ctx.clock, reply.wireMs, stop.signal);
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

/**
 * A meter's wall clock: set from the simulator's clock plus an offset at power-up, running with
 * it, and set again by the host's write-clock command.
 */
export class MeterClock {
  private baseSeconds: number;
  private baseAt: number;

  /** @param toMeterSeconds the meter's epoch (seconds since 1970 or 2000, local) from epoch ms. */
  constructor(
    private readonly clock: Clock,
    offsetMs: number,
    toMeterSeconds: (epochMs: number) => number,
  ) {
    this.baseAt = clock.now();
    this.baseSeconds = toMeterSeconds(this.baseAt + offsetMs);
  }

  /** The meter clock now, in its own seconds. */
  now(): number {
    return this.baseSeconds + Math.floor((this.clock.now() - this.baseAt) / 1000);
  }

  set(meterSeconds: number): void {
    this.baseSeconds = meterSeconds;
    this.baseAt = this.clock.now();
  }
}

/** A scenario's one-off faults: each applies to its record the first time only, so the host's retry succeeds. */
export class OneOffFaults {
  private readonly spent = new Set<string>();

  /** True the first time fault `kind` applies to `record` (listed in `where`). */
  once(kind: string, record: number, where: readonly number[] | undefined): boolean {
    const key = `${kind}:${record}`;
    if (!where?.includes(record) || this.spent.has(key)) return false;
    this.spent.add(key);
    return true;
  }
}

/**
 * A packet sent at once at `byteTimeMs` per byte, with the simulator's fault mode applied. No
 * think time is added: no source gives the meters' turnaround, and a made-up one would only slow
 * the benchmark.
 */
export function meterReply(bytes: Uint8Array, byteTimeMs: number, fault: SimulatorFault | undefined): MeterReply {
  const sent = fault === 'bad-checksum' ? corruptCrc(bytes) : fault === 'truncate' ? bytes.slice(0, Math.max(2, Math.floor(bytes.length * 0.6))) : bytes;
  return { bytes: sent, delayMs: 0, wireMs: sent.length * byteTimeMs };
}

/** The same packet with both CRC bytes wrong. */
export function corruptCrc(bytes: Uint8Array): Uint8Array {
  const out = Uint8Array.from(bytes);
  const n = out.length;
  if (n >= 2) {
    out[n - 1] = (out[n - 1] ?? 0) ^ 0x5a;
    out[n - 2] = (out[n - 2] ?? 0) ^ 0xa5;
  }
  return out;
}

/** A u32 as the meters send it (little-endian), as bytes to spread into a message. */
export function u32Bytes(value: number): number[] {
  const out = new Uint8Array(4);
  writeU32(out, 0, value);
  return [...out];
}

export function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}
