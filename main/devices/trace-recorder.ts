import { appendFileSync, writeFileSync } from 'node:fs';
import type { HubError } from '../../shared/errors.ts';
import type { Link } from '../../drivers/kit/link.ts';
import { formatTrace, formatTraceEvent } from '../../drivers/kit/trace.ts';

/**
 * A Link that passes everything through and appends it to a trace file (TRACE-FORMAT.md §1) as
 * it happens, so a recording survives a crash or an unplug up to the last chunk.
 */
export class RecordingLink implements Link {
  private readonly startedAt = Date.now();

  constructor(
    private readonly inner: Link,
    private readonly file: string,
    header: { driver: string; transport: string; note?: string },
  ) {
    const fields: Record<string, string> = { driver: header.driver, transport: header.transport, recorded: new Date(this.startedAt).toISOString() };
    if (header.note) fields['note'] = header.note;
    writeFileSync(file, formatTrace({ header: fields, events: [] }));
  }

  /** Chunks already written to the file (several listeners see the same chunk). */
  private readonly recorded = new WeakSet<Uint8Array>();

  get mode(): Link['mode'] {
    return this.inner.mode;
  }
  get reportSize(): number | undefined {
    return this.inner.reportSize;
  }
  get closed(): boolean {
    return this.inner.closed;
  }
  async write(data: Uint8Array): Promise<void> {
    this.append('>', data);
    await this.inner.write(data);
  }
  onData(listener: (chunk: Uint8Array) => void): () => void {
    // Record on delivery rather than subscribing ourselves, so the link's buffering of data
    // that arrive before the driver listens still hands them to the driver.
    return this.inner.onData((chunk) => {
      if (!this.recorded.has(chunk)) {
        this.recorded.add(chunk);
        this.append('<', chunk);
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

  private append(direction: '<' | '>', bytes: Uint8Array): void {
    const time = (Date.now() - this.startedAt) / 1000;
    appendFileSync(this.file, formatTraceEvent({ time, direction, bytes }) + '\n');
  }
}
