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
  /** Deliver at once (still in order): for wall-time measurements. */
  unpaced?: boolean;
}

export function createPacedPair(options: PacedPairOptions): LinkPair & { bytes(): { toDevice: number; toHost: number } } {
  const counts = { toDevice: 0, toHost: 0 };
  const wire = (direction: keyof typeof counts): Delivery => {
    let busyUntil = 0;
    return (byteCount, deliver) => {
      counts[direction] += byteCount;
      if (options.unpaced) return queueMicrotask(deliver);
      const { clock } = options;
      const wireMs = options.mode === 'reports' ? (options.reportIntervalMs ?? 1) : (byteCount * 10 * 1000) / (options.baud ?? 9600);
      busyUntil = Math.max(clock.now(), busyUntil) + wireMs;
      clock.setTimer(busyUntil - clock.now(), deliver);
    };
  };
  const pair = createLinkPair({ mode: options.mode, reportSize: options.reportSize, hostDelivery: wire('toDevice'), deviceDelivery: wire('toHost') });
  return { ...pair, bytes: () => ({ ...counts }) };
}
