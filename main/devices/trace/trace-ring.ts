import type { TraceEntry } from '../../../shared/api/ports-model.ts';

/**
 * The newest entries of one port, at most `capacity`: a biomed looks at the last minutes of
 * traffic, and a chatty device must not grow memory without bound. Seq numbers keep increasing
 * across sessions of the port, so the view can always ask "what came after what I have".
 */
export class TraceRing {
  private readonly items: (TraceEntry | undefined)[];
  private next = 0;
  private count = 0;
  private seq = 0;

  constructor(private readonly capacity: number) {
    this.items = new Array<TraceEntry | undefined>(capacity);
  }

  /** The seq the next entry gets. */
  nextSeq(): number {
    return ++this.seq;
  }

  push(entry: TraceEntry): void {
    this.items[this.next] = entry;
    this.next = (this.next + 1) % this.capacity;
    this.count = Math.min(this.count + 1, this.capacity);
  }

  /** Entries with seq > `afterSeq`, oldest first; the newest `limit` of them. */
  after(afterSeq = 0, limit = this.capacity): TraceEntry[] {
    const out: TraceEntry[] = [];
    for (let i = 0; i < this.count && out.length < limit; i++) {
      const entry = this.items[(this.next - 1 - i + this.capacity) % this.capacity];
      if (!entry || entry.seq <= afterSeq) break;
      out.push(entry);
    }
    return out.reverse();
  }
}
