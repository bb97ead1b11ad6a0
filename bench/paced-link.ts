import { createLinkPair, type Clock, type Delivery, type LinkPair } from '../drivers/kit/index.ts';

/**
 * A memory link pair whose every write takes the time the wire would take, on the clock given
 * (a virtual clock makes a 1-minute serial download take milliseconds of real time while the
 * virtual time says how long the real cable needs):
 * - serial: 10 bits per byte (start, 8 data, stop) at `baud`;
 * - HID: one report per `reportIntervalMs` (full-speed interrupt endpoints poll every 1 ms).
 * Each direction is its own wire; writes queue behind each other.
 */
export interface PacedPairOptions {
  clock: Clock;
  mode: 'bytes' | 'reports';
  reportSize?: number;
  baud?: number;
  reportIntervalMs?: number;
  /** USB bulk links (bytes mode): every write is one transfer taking this long, whatever its length. */
  transferMs?: number;
  /** Deliver at once (still in order): for wall-time measurements. */
  unpaced?: boolean;
}

/** What crossed one direction of the pair: bytes, writes (HID: reports) and their time on the wire. */
export interface WireTally {
  bytes: number;
  writes: number;
  /** Sum of the wire time of every write, in ms (the same whether paced or not). */
  wireMs: number;
}

export interface PacedPair extends LinkPair {
  bytes(): { toDevice: number; toHost: number };
  /** Per direction: what was written and how long the wire needs for it. */
  tally(): { toDevice: WireTally; toHost: WireTally };
}

/**
 * The time one write needs on the wire: serial, bytes × 10 bits / baud; HID, one report slot.
 * This is the definition of "wire time" the download benchmark compares against.
 */
export function writeWireMs(options: Pick<PacedPairOptions, 'mode' | 'baud' | 'reportIntervalMs' | 'transferMs'>, byteCount: number): number {
  if (options.transferMs !== undefined) return options.transferMs;
  return options.mode === 'reports' ? (options.reportIntervalMs ?? 1) : (byteCount * 10 * 1000) / (options.baud ?? 9600);
}

export function createPacedPair(options: PacedPairOptions): PacedPair {
  const counts = { toDevice: { bytes: 0, writes: 0, wireMs: 0 }, toHost: { bytes: 0, writes: 0, wireMs: 0 } };
  const wire = (direction: keyof typeof counts): Delivery => {
    let busyUntil = 0;
    return (byteCount, deliver) => {
      const wireMs = writeWireMs(options, byteCount);
      const tally = counts[direction];
      tally.bytes += byteCount;
      tally.writes += 1;
      tally.wireMs += wireMs;
      if (options.unpaced) return queueMicrotask(deliver);
      const { clock } = options;
      busyUntil = Math.max(clock.now(), busyUntil) + wireMs;
      clock.setTimer(busyUntil - clock.now(), deliver);
    };
  };
  const pair = createLinkPair({ mode: options.mode, reportSize: options.reportSize, hostDelivery: wire('toDevice'), deviceDelivery: wire('toHost') });
  return {
    ...pair,
    bytes: () => ({ toDevice: counts.toDevice.bytes, toHost: counts.toHost.bytes }),
    tally: () => ({ toDevice: { ...counts.toDevice }, toHost: { ...counts.toHost } }),
  };
}
