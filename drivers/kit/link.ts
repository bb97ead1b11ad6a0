import { HubError } from '../../shared/errors.ts';

/**
 * A Link is how a driver sees its device: bytes (serial, TCP) or whole HID reports. Drivers see
 * nothing else of the transport (docs/adding-a-driver.md §4: the Link), so the same driver runs
 * over serialport, node-hid, a TCP box, an in-memory pair or a replayed trace.
 */
/** A USB device's vendor and product id. */
export interface UsbIds {
  readonly vendorId: number;
  readonly productId: number;
}

export interface Link {
  /** `bytes`: a stream whose chunk boundaries mean nothing. `reports`: each chunk is one HID report. */
  readonly mode: 'bytes' | 'reports';
  /** HID report size in bytes, without the report-id byte (reports mode only). */
  readonly reportSize?: number;
  /**
   * The USB ids of the device behind the link, where the transport knows them (HID). A driver
   * that reads several HID devices over different framings picks its framing by them
   * (drivers/devices/isens-caresens/PROTOCOL.md §1). Absent on serial, replays and unknown devices.
   */
  readonly usb?: UsbIds;
  readonly closed: boolean;
  /** Write bytes (or one report). Rejects with TRANSPORT_CLOSED once the link is closed. */
  write(data: Uint8Array): Promise<void>;
  /** Subscribe to incoming data. Data that arrive while nobody listens are kept until someone does. */
  onData(listener: (chunk: Uint8Array) => void): () => void;
  /** Called once when the link ends: `error` is set when it ended abnormally (unplugged, I/O error). */
  onClose(listener: (error?: HubError) => void): () => void;
  close(): Promise<void>;
  /**
   * HID only, where the transport can: send a feature report (`data` without the report-id byte,
   * report id 0). Some devices select their mode this way (drivers/devices/omron-hem-790it/PROTOCOL.md).
   * With a manifest's `transport.numberedByDriver`, `data` starts with the report id instead.
   * Absent on byte links, memory pairs and replays; traces do not record it (docs/trace-format.md).
   */
  sendFeatureReport?(data: Uint8Array): Promise<void>;
}

/**
 * The bookkeeping every Link implementation shares: listeners, buffering until the first
 * listener, and a single close notification. Transports extend it and call `deliver`/`ended`.
 */
export abstract class LinkBase implements Link {
  abstract readonly mode: 'bytes' | 'reports';
  readonly reportSize: number | undefined;
  /** Set by a transport that knows the device's USB ids (see Link.usb). */
  usb?: UsbIds;
  private dataListeners = new Set<(chunk: Uint8Array) => void>();
  private closeListeners = new Set<(error?: HubError) => void>();
  private backlog: Uint8Array[] = [];
  private endedWith: { error?: HubError } | undefined;

  /** `reportSize`: the HID report size, for links in reports mode. */
  constructor(reportSize?: number) {
    this.reportSize = reportSize;
  }

  get closed(): boolean {
    return this.endedWith !== undefined;
  }

  async write(data: Uint8Array): Promise<void> {
    if (this.closed) throw new HubError('TRANSPORT_CLOSED', 'the device link is closed');
    await this.send(data);
  }

  /** Transport-specific write. */
  protected abstract send(data: Uint8Array): Promise<void>;
  /** Transport-specific close; `ended()` is called by close() afterwards. */
  protected abstract shutdown(): Promise<void>;

  onData(listener: (chunk: Uint8Array) => void): () => void {
    this.dataListeners.add(listener);
    if (this.backlog.length > 0) {
      const queued = this.backlog;
      this.backlog = [];
      for (const chunk of queued) listener(chunk);
    }
    return () => this.dataListeners.delete(listener);
  }

  onClose(listener: (error?: HubError) => void): () => void {
    if (this.endedWith) {
      const { error } = this.endedWith;
      queueMicrotask(() => listener(error));
      return () => undefined;
    }
    this.closeListeners.add(listener);
    return () => this.closeListeners.delete(listener);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    try {
      await this.shutdown();
    } finally {
      this.ended();
    }
  }

  /** Hand incoming data to the listeners (or keep them until one subscribes). */
  protected deliver(chunk: Uint8Array): void {
    if (this.closed || chunk.length === 0) return;
    if (this.dataListeners.size === 0) {
      this.backlog.push(chunk);
      return;
    }
    for (const listener of [...this.dataListeners]) listener(chunk);
  }

  /** Mark the link ended, once; `error` says why when it was not a normal close. */
  protected ended(error?: HubError): void {
    if (this.endedWith) return;
    this.endedWith = error ? { error } : {};
    const listeners = [...this.closeListeners];
    this.closeListeners.clear();
    for (const listener of listeners) listener(error);
  }
}

/** How one side of a memory pair cuts what it writes before the other side sees it. */
export type Chunker = (data: Uint8Array) => Uint8Array[];

/** Deliver writes as written. */
export const wholeChunks: Chunker = (data) => [data];
/** Deliver one byte at a time. */
export const byteChunks: Chunker = (data) => Array.from(data, (b) => Uint8Array.of(b));
/** Split at pseudo-random points; `random` returns [0,1). */
export function randomChunks(random: () => number, maxChunk = 17): Chunker {
  return (data) => {
    const out: Uint8Array[] = [];
    let i = 0;
    while (i < data.length) {
      const n = 1 + Math.floor(random() * maxChunk);
      out.push(data.subarray(i, i + n));
      i += n;
    }
    return out;
  };
}

/**
 * When a write reaches the other side: `deliver` is called once the bytes have "crossed the
 * wire". The default delivers on the next microtask; a benchmark paces it at a baud rate.
 */
export type Delivery = (byteCount: number, deliver: () => void) => void;
const nextMicrotask: Delivery = (_n, deliver) => queueMicrotask(deliver);

class MemoryLink extends LinkBase {
  peer: MemoryLink | undefined;
  constructor(
    readonly mode: 'bytes' | 'reports',
    private readonly chunker: Chunker,
    reportSize?: number,
    private readonly delivery: Delivery = nextMicrotask,
  ) {
    super(reportSize);
  }
  protected async send(data: Uint8Array): Promise<void> {
    const peer = this.peer;
    const copy = Uint8Array.from(data);
    const chunks = this.mode === 'reports' ? [copy] : this.chunker(copy);
    // Deliver asynchronously, in order, as a real transport would.
    this.delivery(copy.length, () => {
      for (const chunk of chunks) peer?.receive(chunk);
    });
  }
  receive(chunk: Uint8Array): void {
    this.deliver(chunk);
  }
  protected async shutdown(): Promise<void> {
    const peer = this.peer;
    queueMicrotask(() => peer?.hangUp());
  }
  hangUp(): void {
    this.ended();
  }
}

export interface LinkPair {
  /** The side a driver uses. */
  host: Link;
  /** The side a simulator (the device) uses. */
  device: Link;
}

/**
 * Two linked in-memory Links: what one writes, the other receives. Closing either side ends both.
 * `deviceChunker` re-cuts what the device writes (whole, byte by byte, random) for conformance tests.
 */
export function createLinkPair(
  options: { mode?: 'bytes' | 'reports'; reportSize?: number; usb?: UsbIds; deviceChunker?: Chunker; hostChunker?: Chunker; hostDelivery?: Delivery; deviceDelivery?: Delivery } = {},
): LinkPair {
  const mode = options.mode ?? 'bytes';
  const host = new MemoryLink(mode, options.hostChunker ?? wholeChunks, options.reportSize, options.hostDelivery);
  const device = new MemoryLink(mode, options.deviceChunker ?? wholeChunks, options.reportSize, options.deviceDelivery);
  // Both ends see the device's ids: the host to pick its framing, the simulated device to play it.
  if (options.usb) host.usb = device.usb = { ...options.usb };
  host.peer = device;
  device.peer = host;
  return { host, device };
}
