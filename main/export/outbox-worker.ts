import { isHubError } from '../../shared/errors.ts';
import { bugLine, isBug } from '../bug-report.ts';
import type { HubDatabase } from '../store/hub-database.ts';
import { backoffMs } from './backoff.ts';
import type { Exporter, RenderedPayload, SendOutcome } from './exporter.ts';

interface WorkerOptions {
  readonly targetId: string;
  readonly tables: Pick<HubDatabase, 'outbox' | 'transaction'>;
  readonly exporter: Exporter;
  readonly workstation: string;
  readonly retry: { readonly baseMs: number; readonly maxMs: number };
  readonly now?: () => number;
  readonly random?: () => number;
  /** A row of this reading changed state (after commit). */
  readonly onChange?: (readingId: string) => void;
  /** The worker's current problem in words, or undefined when all is well. */
  readonly onProblem?: (problem: string | undefined) => void;
  /**
   * Look at the queue at least this often even when not woken (default 5 s): another process
   * on the same store (`pochub export retry`, a second window) may have changed it.
   */
  readonly pollMs?: number;
  /**
   * Log a bug: an exporter that threw anything but an `EXPORT_CONTENT` error while rendering,
   * or threw at all while sending (default: to standard error, with the stack).
   */
  readonly reportBug?: (where: string, error: unknown) => void;
}

/**
 * One target's sender (docs/export.md §3): takes the head of the target's queue, in id order, one at a
 * time. Rendering happens once, before the first send, and the payload is committed together
 * with the `sending` state, so after a crash the same bytes (same control id) go out again and
 * the receiver's duplicate detection absorbs the repeat. A failed head blocks the rows behind
 * it: results reach the EHR in the order they were confirmed.
 */
export class OutboxWorker {
  private readonly stopper = new AbortController();
  private wakeUp: (() => void) | undefined;
  private woken = false;
  private loop: Promise<void> | undefined;
  private readonly now: () => number;
  private readonly random: () => number;
  private readonly pollMs: number;
  private readonly reportBug: (where: string, error: unknown) => void;

  constructor(private readonly o: WorkerOptions) {
    this.now = o.now ?? Date.now;
    this.random = o.random ?? Math.random;
    this.pollMs = o.pollMs ?? 5_000;
    this.reportBug = o.reportBug ?? ((where, error) => console.error(bugLine(where, error)));
  }

  start(): void {
    this.loop ??= this.run().catch((e: unknown) => {
      // A store failure (disk full, database locked for too long): say so and keep the rows;
      // the next start picks them up where they are. Anything else is a bug in the worker.
      if (isBug(e)) this.reportBug(`the export worker of target ${this.o.targetId}`, e);
      this.o.onProblem?.(`The export worker stopped: ${e instanceof Error ? e.message : String(e)}`);
    });
  }

  /** Something changed (a reading was confirmed, a row retried): look at the queue again. */
  wake(): void {
    this.woken = true;
    this.wakeUp?.();
  }

  /** Stop after the current attempt (which the abort signal cuts short). */
  async stop(): Promise<void> {
    this.stopper.abort();
    this.wake();
    await this.loop;
    await this.o.exporter.close();
  }

  private iso(ms = this.now()): string {
    return new Date(ms).toISOString();
  }

  private async run(): Promise<void> {
    while (!this.stopper.signal.aborted) {
      this.woken = false;
      try {
        await this.step();
      } catch (e) {
        if (!isHubError(e, 'STORAGE_FULL', 'STORAGE_READONLY')) throw e;
        // The data folder cannot take the write (docs/architecture.md §7, storage trouble): the
        // rows stay as they are and the worker tries again, so export resumes once there is
        // room. A message sent whose outcome could not be written is sent again, as after a
        // crash (the receiver dedupes by control id / identifiers).
        this.o.onProblem?.(`Export paused: ${e.message}`);
        await this.sleep(this.pollMs);
      }
    }
  }

  /** One turn of the loop: wait for, or send, the head of this target's queue. */
  private async step(): Promise<void> {
    const { tables, targetId } = this.o;
    const head = tables.outbox.head(targetId);
    if (head === undefined) {
      await this.sleep(this.pollMs);
      return;
    }
    if (head.state === 'failed' && head.nextAttemptAt !== undefined) {
      const wait = Date.parse(head.nextAttemptAt) - this.now();
      if (wait > 0) {
        await this.sleep(Math.min(wait, this.pollMs));
        return;
      }
    }
    let payload: RenderedPayload | undefined = head.payload;
    if (payload === undefined) {
      payload = await this.render(head.id, head.readingId);
      if (payload === undefined) return; // dead: content invalid
      const fresh = payload;
      tables.transaction(() => tables.outbox.startSending(head.id, this.iso(), fresh));
    } else {
      tables.transaction(() => tables.outbox.startSending(head.id, this.iso()));
    }
    const startedAt = this.iso();
    const outcome = await this.send(payload, head.controlId, head.readingId);
    const ended = this.now();
    const nextAttemptAt = outcome.result === 'retry' ? this.iso(ended + backoffMs(head.attempts + 1, this.o.retry, this.random)) : undefined;
    tables.transaction(() =>
      tables.outbox.finish(head.id, {
        startedAt,
        endedAt: this.iso(ended),
        outcome: outcome.result,
        status: outcome.status,
        response: outcome.response,
        ...(outcome.result === 'done' ? {} : { message: outcome.message }),
        ...(nextAttemptAt === undefined ? {} : { nextAttemptAt }),
      }),
    );
    this.o.onProblem?.(outcome.result === 'retry' ? `${outcome.message} Next try at ${nextAttemptAt ?? 'once possible'}.` : undefined);
    this.o.onChange?.(head.readingId);
  }

  private async render(outboxId: number, readingId: string): Promise<RenderedPayload | undefined> {
    const { tables } = this.o;
    try {
      const data = tables.outbox.item(outboxId);
      return await this.o.exporter.render({ ...data, workstation: this.o.workstation });
    } catch (e) {
      // Invalid content never leaves (docs/export.md §2); a bug in an exporter must not stop the queue
      // either: both make the row dead with the reason, for a person to look at.
      if (!isHubError(e, 'EXPORT_CONTENT')) this.reportBug(`the ${this.o.exporter.kind} exporter of target ${this.o.targetId} (render)`, e);
      const message = isHubError(e, 'EXPORT_CONTENT') ? e.message : `Could not build the message (a bug; please report it): ${e instanceof Error ? e.message : String(e)}`;
      tables.transaction(() => tables.outbox.markInvalid(outboxId, message, this.iso()));
      this.o.onChange?.(readingId);
      return undefined;
    }
  }

  private async send(payload: RenderedPayload, controlId: string, readingId: string): Promise<SendOutcome> {
    try {
      return await this.o.exporter.send(payload, { controlId, readingId, signal: this.stopper.signal });
    } catch (e) {
      // Exporters classify receiver problems themselves; a throw is a bug. The bytes may or may
      // not have left, so this is a retry (the receiver dedupes), never a silent done.
      this.reportBug(`the ${this.o.exporter.kind} exporter of target ${this.o.targetId} (send)`, e);
      const message = `The exporter failed unexpectedly: ${e instanceof Error ? e.message : String(e)}`;
      return { result: 'retry', status: 'error', response: message, message };
    }
  }

  /** Wait for `ms` (undefined: until woken) or until woken or stopped. */
  private sleep(ms: number | undefined): Promise<void> {
    if (this.woken || this.stopper.signal.aborted) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = ms === undefined ? undefined : setTimeout(done, Math.min(ms, 2 ** 31 - 1));
      function done(): void {
        if (timer !== undefined) clearTimeout(timer);
        resolve();
      }
      this.wakeUp = () => {
        this.wakeUp = undefined;
        done();
      };
    });
  }
}
