import type { HubError } from '../../shared/errors.ts';
import { describeBytes } from './bytes.ts';
import type { DriverContext } from './driver.ts';
import type { Framer, FramingProblem } from './framers/framer.ts';
import type { Link } from './link.ts';

export interface FrameReaderOptions {
  /**
   * How a framing problem is reported. Default: a `problem` event through `emit` quoting the
   * bytes skipped; without `emit` (a simulator's side of the link) problems are not reported.
   */
  problem?(problem: FramingProblem): void;
}

/**
 * Reads whole frames from a Link through a framer, with every problem reported as an event.
 * `next()` waits for the next frame; it returns undefined at end of stream or when aborted, so
 * a passive driver's acquire loop is `while ((f = await reader.next(signal)))`. The frames are
 * whatever the framer yields: a framer may also hand out damaged frames (as items of its own
 * type) when the protocol answers them at once rather than at a deadline.
 */
export class FrameReader<F> {
  private queue: F[] = [];
  private waiter: ((frame: F | undefined) => void) | undefined;
  private finished = false;
  private readonly unsubscribe: (() => void)[] = [];
  private readonly report: (problem: FramingProblem) => void;
  /** Why the link ended, when it ended abnormally (unplugged, replay mismatch). */
  endError: HubError | undefined;

  constructor(
    ctx: { readonly link: Link; emit?: DriverContext['emit'] },
    private readonly framer: Framer<F>,
    options: FrameReaderOptions = {},
  ) {
    const emit = ctx.emit;
    this.report =
      options.problem ??
      ((p) => emit?.({ type: 'problem', code: p.code, message: p.raw.length > 0 ? `${p.message}: ${describeBytes(p.raw)}` : p.message, raw: p.raw }));
    this.unsubscribe.push(ctx.link.onData((chunk) => this.accept(this.framer.push(chunk))));
    this.unsubscribe.push(
      ctx.link.onClose((error) => {
        this.endError = error;
        this.accept(this.framer.flush());
        this.finish();
      }),
    );
  }

  /** Has the link ended and every queued frame been taken? */
  get ended(): boolean {
    return this.finished && this.queue.length === 0;
  }

  /** The next frame; undefined at end of stream, on abort, or after `timeoutMs` on the clock given. */
  next(signal: AbortSignal, timeout?: { clock: DriverContext['clock']; ms: number }): Promise<F | undefined> {
    const queued = this.queue.shift();
    if (queued !== undefined) return Promise.resolve(queued);
    if (this.finished || signal.aborted) return Promise.resolve(undefined);
    return new Promise((resolve) => {
      const timer = timeout?.clock.setTimer(Math.max(0, timeout.ms), () => done(undefined));
      const onAbort = (): void => done(undefined);
      const done = (frame: F | undefined): void => {
        timer?.cancel();
        signal.removeEventListener('abort', onAbort);
        this.waiter = undefined;
        resolve(frame);
      };
      signal.addEventListener('abort', onAbort, { once: true });
      this.waiter = done;
    });
  }

  /**
   * The first frame `wanted` accepts before `timeout.ms` have passed on `timeout.clock`;
   * undefined at that deadline, on abort or at end of stream. The probe of a device that
   * talks first (wait for one frame that decodes), or the wait for one reply among data frames.
   * Frames passed over go to `passed` when the caller still needs them, else they are dropped.
   */
  async find(signal: AbortSignal, timeout: { clock: DriverContext['clock']; ms: number }, wanted: (frame: F) => boolean, passed?: (frame: F) => void): Promise<F | undefined> {
    const end = timeout.clock.now() + timeout.ms;
    for (;;) {
      const left = end - timeout.clock.now();
      // Checked before taking a queued frame too: next() hands those out even after an abort.
      if (left <= 0 || signal.aborted) return undefined;
      const frame = await this.next(signal, { clock: timeout.clock, ms: left });
      if (frame === undefined) return undefined;
      if (wanted(frame)) return frame;
      passed?.(frame);
    }
  }

  /**
   * Forget what nobody asked for: queued frames and a half-received one (the framer is flushed
   * and must take input again afterwards; what the flush finds is reported). Called before a
   * request when nothing is due, so a late answer to an earlier request is never taken for the
   * answer to the next one. Returns the frames dropped.
   */
  discard(): F[] {
    const dropped = this.queue;
    this.queue = [];
    for (const p of this.framer.flush().problems) this.report(p);
    return dropped;
  }

  /** Stop listening to the link (the session is over). */
  dispose(): void {
    for (const u of this.unsubscribe.splice(0)) u();
    this.finish();
  }

  private accept(out: ReturnType<Framer<F>['push']>): void {
    for (const p of out.problems) this.report(p);
    for (const frame of out.frames) {
      if (this.waiter) this.waiter(frame);
      else this.queue.push(frame);
    }
  }

  private finish(): void {
    if (this.finished) return;
    this.finished = true;
    this.waiter?.(undefined);
  }
}
