import type { TraceEntry } from '../../../shared/api/ports-model.ts';

/**
 * Characters of hex and text kept per port by default, about 1 MB: a wire byte costs about 8
 * (3 of hex, 1 of text, once as read and once as a frame), so this is two minutes of a 9600-baud
 * line running flat out and far longer of a device's usual traffic. Longer needs a recording.
 */
export const DEFAULT_TRACE_CHARS = 1_000_000;

/**
 * The newest entries of one port, at most `capacity` of them and at most `maxChars` characters
 * of hex and text together: a biomed looks at the last minutes of traffic, and a chatty device
 * must not grow memory without bound. The count alone is no bound on memory — one entry is one
 * read from the port, a few bytes or kilobytes — so the characters are counted too
 * (docs/architecture.md §12). Seq numbers keep increasing across sessions of the port, so the
 * view can always ask "what came after what I have".
 */
export class TraceRing {
  private readonly items: (TraceEntry | undefined)[];
  /** Index of the oldest entry kept. */
  private first = 0;
  private count = 0;
  private chars = 0;
  private seq = 0;

  constructor(
    private readonly capacity: number,
    private readonly maxChars: number = DEFAULT_TRACE_CHARS,
  ) {
    this.items = new Array<TraceEntry | undefined>(capacity);
  }

  /** The seq the next entry gets. */
  nextSeq(): number {
    return ++this.seq;
  }

  push(entry: TraceEntry): void {
    if (this.count === this.capacity) this.dropOldest();
    this.items[(this.first + this.count) % this.capacity] = entry;
    this.count++;
    this.chars += size(entry);
    // The newest entry is always kept, even one larger than the whole budget.
    while (this.chars > this.maxChars && this.count > 1) this.dropOldest();
  }

  /** Entries kept, and their characters of hex and text (for tests and the soak). */
  usage(): { entries: number; chars: number } {
    return { entries: this.count, chars: this.chars };
  }

  /** Entries with seq > `afterSeq`, oldest first; the newest `limit` of them. */
  after(afterSeq = 0, limit = this.capacity): TraceEntry[] {
    const out: TraceEntry[] = [];
    for (let i = this.count - 1; i >= 0 && out.length < limit; i--) {
      const entry = this.items[(this.first + i) % this.capacity];
      if (!entry || entry.seq <= afterSeq) break;
      out.push(entry);
    }
    return out.reverse();
  }

  private dropOldest(): void {
    const oldest = this.items[this.first];
    this.items[this.first] = undefined;
    this.first = (this.first + 1) % this.capacity;
    this.count--;
    if (oldest) this.chars -= size(oldest);
  }
}

function size(entry: TraceEntry): number {
  return entry.hex.length + entry.text.length;
}
