import type { HubError } from '../../shared/errors.ts';
import type { Clock } from './clock.ts';
import type { Link } from './link.ts';

/** `in`: device to host; `out`: host to device. */
export type TapDirection = 'in' | 'out';

/** One chunk (bytes mode) or one HID report (reports mode) that crossed a tapped link. */
export interface TappedChunk {
  direction: TapDirection;
  /** A copy: the observer may keep it. */
  bytes: Uint8Array;
  /** `clock.now()` when the chunk crossed (epoch ms on the system clock, virtual ms in tests). */
  at: number;
}

/**
 * A Link that passes everything through unchanged and tells `observe` about every chunk (or HID
 * report) in and out, with its direction and time, in the order the driver sees them. The one
 * tap behind the live trace, `pochub read --record` and fixture recording in tests. Close, errors
 * and buffering stay the inner link's: this wrapper adds no state of its own a driver could notice.
 */
export class TappedLink implements Link {
  /** Chunks already observed: several listeners receive the same chunk object. */
  private readonly seen = new WeakSet<Uint8Array>();

  constructor(
    private readonly inner: Link,
    private readonly observe: (chunk: TappedChunk) => void,
    private readonly clock: Pick<Clock, 'now'>,
  ) {}

  get mode(): Link['mode'] {
    return this.inner.mode;
  }
  get reportSize(): number | undefined {
    return this.inner.reportSize;
  }
  get usb(): Link['usb'] {
    return this.inner.usb;
  }
  get closed(): boolean {
    return this.inner.closed;
  }

  write(data: Uint8Array): Promise<void> {
    // Observed before it goes out, so the device's answer can never be traced ahead of the
    // request; a write on a closed link fails and is not traced, as nothing was sent.
    if (!this.inner.closed) this.safeObserve('out', data);
    return this.inner.write(data);
  }

  /** Passed through when the inner link has it (HID); not observed: traces carry no feature reports. */
  async sendFeatureReport(data: Uint8Array): Promise<void> {
    await this.inner.sendFeatureReport?.(data);
  }

  onData(listener: (chunk: Uint8Array) => void): () => void {
    // Observe on delivery rather than with a listener of our own: the inner link keeps data that
    // arrive before anyone listens for its first listener, which must stay the driver.
    return this.inner.onData((chunk) => {
      if (!this.seen.has(chunk)) {
        this.seen.add(chunk);
        this.safeObserve('in', chunk);
      }
      listener(chunk);
    });
  }

  onClose(listener: (error?: HubError) => void): () => void {
    return this.inner.onClose(listener);
  }

  close(): Promise<void> {
    return this.inner.close();
  }

  /** The tap is a bystander: a bug in the observer must never break the device session. */
  private safeObserve(direction: TapDirection, bytes: Uint8Array): void {
    try {
      this.observe({ direction, bytes: Uint8Array.from(bytes), at: this.clock.now() });
    } catch {
      // Deliberately swallowed: the observer loses an entry, the reading is not lost.
    }
  }
}
