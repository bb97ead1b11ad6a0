import type { HubError } from '../../shared/errors.ts';
import { describeBytes } from './bytes.ts';
import type { DriverContext } from './driver.ts';
import type { Framer } from './framers/framer.ts';

/**
 * Reads whole frames from a Link through a framer, with every problem reported as an event.
 * `next()` waits for the next frame; it returns undefined at end of stream or when aborted, so
 * a passive driver's acquire loop is `while ((f = await reader.next(signal)))`.
 */
export class FrameReader<F extends { raw?: Uint8Array } | Uint8Array> {
  private queue: F[] = [];
  private waiter: ((frame: F | undefined) => void) | undefined;
  private finished = false;
  private readonly unsubscribe: (() => void)[] = [];
  /** Why the link ended, when it ended abnormally (unplugged, replay mismatch). */
  endError: HubError | undefined;

  constructor(
    private readonly ctx: Pick<DriverContext, 'link' | 'emit'>,
    private readonly framer: Framer<F>,
  ) {
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
      const timer = timeout?.clock.setTimer(timeout.ms, () => done(undefined));
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

  /** Stop listening to the link (the session is over). */
  dispose(): void {
    for (const u of this.unsubscribe) u();
    this.finish();
  }

  private accept(out: ReturnType<Framer<F>['push']>): void {
    for (const p of out.problems) {
      this.ctx.emit({ type: 'problem', code: p.code, message: p.raw.length > 0 ? `${p.message}: ${describeBytes(p.raw)}` : p.message, raw: p.raw });
    }
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
