import type { StorageTrouble } from '../../shared/api/model.ts';
import { isHubError, type HubError } from '../../shared/errors.ts';
import type { Clock, Timer } from '../../drivers/kit/index.ts';

/**
 * Readings of streaming devices kept in memory while the store refuses them (docs/architecture.md
 * §7, storage trouble). A monitor or analyzer cannot send a result again, so the hub holds them —
 * but never without bound: past this many, further readings are lost (each one logged).
 * At a few readings a minute per device this is hours of a busy clinic.
 */
export const HELD_READINGS_MAX = 1000;

/** How often held readings are offered to the store again while it refuses them. */
export const STORE_RETRY_MS = 2000;

/** One reading waiting to be stored: `save` stores it (throws when the store refuses). */
export interface HeldReading {
  save: () => void;
  /** For the log line when it is lost: which device, which time. */
  label: string;
}

interface StorageGuardDeps {
  clock: Clock;
  /** The storage state changed (trouble began or ended, held count changed): announce the hub state. */
  onChange: () => void;
  log: (line: string) => void;
  /** A failure that is not storage trouble while retrying a held reading: a bug. */
  reportBug: (where: string, error: unknown) => void;
  retryMs?: number;
  maxHeld?: number;
  /**
   * Whether the store would take a write now (room left, folder writable), asked on each retry
   * while nothing is held: the trouble then ends without waiting for a device to send something.
   * Absent: the trouble ends only when a reading is stored.
   */
  probe?: () => boolean;
}

/** True for the two storage HubErrors (full disk, read-only data folder). */
export function isStorageError(e: unknown): e is HubError {
  return isHubError(e, 'STORAGE_FULL', 'STORAGE_READONLY');
}

/**
 * The device side's view of the store's health: whether storing fails and why (for the page's
 * banner), and the bounded queue of readings waiting for room, retried in arrival order every
 * {@link STORE_RETRY_MS} and before any newer reading is stored. While in trouble with nothing
 * held (a download stopped, an API write refused), the `probe` is asked on the same beat.
 */
export class StorageGuard {
  private readonly queue: HeldReading[] = [];
  private current: { code: StorageTrouble['code']; message: string; since: string } | undefined;
  private lost = 0;
  private timer: Timer | undefined;
  private closed = false;

  constructor(private readonly deps: StorageGuardDeps) {}

  /** What the hub state says while storing fails; undefined while all is well. */
  trouble(): StorageTrouble | undefined {
    return this.current && { ...this.current, held: this.queue.length, lost: this.lost };
  }

  /** Readings are waiting: a newer one must queue behind them to keep the arrival order. */
  get holding(): boolean {
    return this.queue.length > 0;
  }

  /** The store refused a write: remember why, once per kind of trouble. */
  failed(error: HubError): void {
    if (this.current?.code === error.code && this.current.message === error.message) return this.schedule();
    if (!this.current) this.deps.log(`pochub: cannot save readings: ${error.message}`);
    this.current = { code: error.code === 'STORAGE_FULL' ? 'STORAGE_FULL' : 'STORAGE_READONLY', message: error.message, since: new Date(this.deps.clock.now()).toISOString() };
    this.deps.onChange();
    this.schedule();
  }

  /** A reading was stored: the trouble is over once nothing is held any more. */
  succeeded(): void {
    if (!this.current || this.queue.length > 0) return;
    const held = this.lost > 0 ? ` (${this.lost} reading(s) that did not fit in memory were lost)` : '';
    this.deps.log(`pochub: readings are being saved again${held}`);
    this.current = undefined;
    this.lost = 0;
    this.deps.onChange();
  }

  /** Keep a reading the store refused, to store it once there is room; lost when the queue is full. */
  hold(item: HeldReading): void {
    if (this.queue.length >= (this.deps.maxHeld ?? HELD_READINGS_MAX)) {
      this.lost += 1;
      this.deps.log(`pochub: LOST a reading (${item.label}): the store refuses it and ${this.queue.length} readings already wait in memory`);
    } else {
      this.queue.push(item);
    }
    this.deps.onChange();
    this.schedule();
  }

  /**
   * Offer the held readings to the store, oldest first, until one is refused.
   * @returns true when nothing is held any more.
   */
  flush(): boolean {
    this.timer = undefined;
    const before = this.queue.length;
    if (before === 0 && this.current && this.deps.probe) {
      if (this.deps.probe()) this.succeeded();
      else this.schedule();
      return true;
    }
    while (this.queue.length > 0) {
      const item = this.queue[0]!;
      try {
        item.save();
      } catch (e) {
        if (isStorageError(e)) {
          this.failed(e);
          if (this.queue.length !== before) this.deps.onChange();
          this.schedule();
          return false;
        }
        // Not the disk: this reading will never store; keeping it would block the others.
        this.deps.reportBug(`storing a held reading (${item.label})`, e);
      }
      this.queue.shift();
    }
    if (before > 0) this.deps.onChange();
    this.succeeded();
    return true;
  }

  /** Stop retrying (the hub is closing); held readings are dropped with a line each. */
  close(): void {
    this.closed = true;
    this.timer?.cancel();
    this.timer = undefined;
    for (const item of this.queue) this.deps.log(`pochub: LOST a reading (${item.label}): the hub closed while the store refused it`);
    this.queue.length = 0;
  }

  private schedule(): void {
    const probing = this.current !== undefined && this.deps.probe !== undefined;
    if (this.closed || this.timer || (this.queue.length === 0 && !probing)) return;
    this.timer = this.deps.clock.setTimer(this.deps.retryMs ?? STORE_RETRY_MS, () => this.flush());
  }
}
