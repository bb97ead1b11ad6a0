import type { Clock } from '../drivers/kit/clock.ts';
import { LinkBase, type Link, type LinkPair } from '../drivers/kit/link.ts';

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

class PacedLink extends LinkBase {
  peer: PacedLink | undefined;
  private busyUntil = 0;
  bytesSent = 0;

  constructor(
    readonly mode: 'bytes' | 'reports',
    private readonly options: PacedPairOptions,
  ) {
    super(options.reportSize);
  }

  protected async send(data: Uint8Array): Promise<void> {
    const copy = Uint8Array.from(data);
    const { clock } = this.options;
    this.bytesSent += copy.length;
    if (this.options.unpaced) {
      queueMicrotask(() => this.peer?.receive(copy));
      return;
    }
    const wireMs = this.mode === 'reports' ? (this.options.reportIntervalMs ?? 1) : (copy.length * 10 * 1000) / (this.options.baud ?? 9600);
    const start = Math.max(clock.now(), this.busyUntil);
    this.busyUntil = start + wireMs;
    clock.setTimer(this.busyUntil - clock.now(), () => this.peer?.receive(copy));
  }

  receive(chunk: Uint8Array): void {
    this.deliver(chunk);
  }

  protected async shutdown(): Promise<void> {
    const peer = this.peer;
    queueMicrotask(() => peer?.hangUp());
  }

  hangUp(): void {
    this.ended();
  }
}

export function createPacedPair(options: PacedPairOptions): LinkPair & { bytes(): { toDevice: number; toHost: number } } {
  const host = new PacedLink(options.mode, options);
  const device = new PacedLink(options.mode, options);
  host.peer = device;
  device.peer = host;
  return { host: host as Link, device: device as Link, bytes: () => ({ toDevice: host.bytesSent, toHost: device.bytesSent }) };
}
