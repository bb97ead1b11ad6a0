import type { HubError } from '../../../shared/errors.ts';
import type { Clock } from '../../kit/clock.ts';
import type { FramingProblem } from '../../kit/framers/framer.ts';
import type { Link } from '../../kit/link.ts';
import { PacketFramer, type PacketFramerOutput, type PacketItem } from './protocol.ts';

export type { PacketItem } from './protocol.ts';

export interface PacketReaderHooks {
  /** Every framing problem (garbage, truncation, CRC), as it is found. */
  problem?(problem: FramingProblem): void;
  /** Every whole packet, good or corrupt, for the live trace view. */
  packet?(raw: Uint8Array, ok: boolean): void;
}

/**
 * Packets from a Link, for both sides of the protocol (driver and simulator). Unlike the kit's
 * FrameReader it also hands out packets that failed their CRC (so the host can re-send at once
 * instead of waiting for a deadline) and can throw away whatever is stale before a new request.
 */
export class PacketReader {
  private readonly framer = new PacketFramer();
  private queue: PacketItem[] = [];
  private waiter: ((item: PacketItem | undefined) => void) | undefined;
  private finished = false;
  private readonly unsubscribe: (() => void)[] = [];
  /** Why the link ended, when it ended abnormally (unplugged, replay mismatch). */
  endError: HubError | undefined;

  constructor(
    link: Link,
    private readonly hooks: PacketReaderHooks = {},
  ) {
    this.unsubscribe.push(link.onData((chunk) => this.accept(this.framer.push(chunk))));
    this.unsubscribe.push(
      link.onClose((error) => {
        this.endError = error;
        this.accept(this.framer.flush());
        this.finish();
      }),
    );
  }

  /** Has the link ended and every queued item been taken? */
  get ended(): boolean {
    return this.finished && this.queue.length === 0;
  }

  /** The next item; undefined at end of stream, on abort, or after `timeout.ms` on its clock. */
  next(signal: AbortSignal, timeout?: { clock: Clock; ms: number }): Promise<PacketItem | undefined> {
    const queued = this.queue.shift();
    if (queued !== undefined) return Promise.resolve(queued);
    if (this.finished || signal.aborted) return Promise.resolve(undefined);
    return new Promise((resolve) => {
      const timer = timeout?.clock.setTimer(Math.max(0, timeout.ms), () => done(undefined));
      const onAbort = (): void => done(undefined);
      const done = (item: PacketItem | undefined): void => {
        timer?.cancel();
        signal.removeEventListener('abort', onAbort);
        this.waiter = undefined;
        resolve(item);
      };
      signal.addEventListener('abort', onAbort, { once: true });
      this.waiter = done;
    });
  }

  /**
   * Forget what nobody asked for: queued packets and a half-received packet. Called before each
   * request, when nothing from the meter is due, so a late answer to an earlier request can never
   * be taken for the answer to the next one. Returns the packets dropped.
   */
  discard(): PacketItem[] {
    const dropped = this.queue;
    this.queue = [];
    for (const p of this.framer.flush().problems) this.hooks.problem?.(p);
    return dropped;
  }

  /** Stop listening to the link. */
  dispose(): void {
    for (const u of this.unsubscribe) u();
    this.unsubscribe.length = 0;
    this.finish();
  }

  private accept(out: PacketFramerOutput): void {
    for (const p of out.problems) this.hooks.problem?.(p);
    for (const item of out.items) {
      if (item.kind === 'packet') this.hooks.packet?.(item.packet.raw, true);
      else this.hooks.packet?.(item.raw, false);
      this.deliver(item);
    }
  }

  private deliver(item: PacketItem): void {
    if (this.waiter) this.waiter(item);
    else this.queue.push(item);
  }

  private finish(): void {
    if (this.finished) return;
    this.finished = true;
    this.waiter?.(undefined);
  }
}
