import type { HubError } from '../../../shared/errors.ts';
import type { Link } from '../../../drivers/kit/link.ts';

/** `in`: device to host; `out`: host to device. */
export type ChunkDirection = 'in' | 'out';

/**
 * A Link that passes everything through unchanged and tells `observe` about every chunk (or HID
 * report), in the order the driver sees them. Close, errors and buffering stay the inner link's:
 * this wrapper adds no state of its own a driver could notice.
 */
export class TappedLink implements Link {
  /** Chunks already observed: several listeners receive the same chunk object. */
  private readonly seen = new WeakSet<Uint8Array>();

  constructor(
    private readonly inner: Link,
    private readonly observe: (direction: ChunkDirection, bytes: Uint8Array) => void,
  ) {}

  get mode(): Link['mode'] {
    return this.inner.mode;
  }
  get reportSize(): number | undefined {
    return this.inner.reportSize;
  }
  get closed(): boolean {
    return this.inner.closed;
  }

  write(data: Uint8Array): Promise<void> {
    // Observed before it goes out, so the device's answer can never be traced ahead of the
    // request; a write on a closed link fails and is not traced, as nothing was sent.
    if (!this.inner.closed) this.safeObserve('out', Uint8Array.from(data));
    return this.inner.write(data);
  }

  onData(listener: (chunk: Uint8Array) => void): () => void {
    // Observe on delivery rather than with a listener of our own: the inner link keeps data that
    // arrive before anyone listens for its first listener, which must stay the driver.
    return this.inner.onData((chunk) => {
      if (!this.seen.has(chunk)) {
        this.seen.add(chunk);
        this.safeObserve('in', Uint8Array.from(chunk));
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

  /** Tracing is a bystander: a bug in it must never break the device session. */
  private safeObserve(direction: ChunkDirection, bytes: Uint8Array): void {
    try {
      this.observe(direction, bytes);
    } catch {
      // Deliberately swallowed: the trace view loses an entry, the reading is not lost.
    }
  }
}
