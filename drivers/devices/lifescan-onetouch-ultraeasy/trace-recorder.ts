import type { Clock } from '../../kit/clock.ts';
import type { Link } from '../../kit/link.ts';
import { toHex } from '../../kit/bytes.ts';
import { TRACE_MAGIC, type TraceEvent } from '../../kit/trace.ts';

/** A host link that records its traffic, for fixtures made from a simulator session. */
export interface RecordingLink {
  /** Give this to the driver: it is the host link, with every write and every chunk recorded. */
  link: Link;
  /** `>` what the host wrote, `<` what it received, timed in seconds since the recording began. */
  events: Omit<TraceEvent, 'line'>[];
}

/**
 * Tap a host link (TRACE-FORMAT.md §1): each write becomes a `>` event, each received chunk a
 * `<` event, timed by `clock` from the moment of the call. Test and fixture tooling only.
 */
export function recordLink(host: Link, clock: Clock): RecordingLink {
  const start = clock.now();
  const events: Omit<TraceEvent, 'line'>[] = [];
  const at = (): number => Math.round(clock.now() - start) / 1000;
  host.onData((chunk) => events.push({ time: at(), direction: '<', bytes: Uint8Array.from(chunk) }));
  const link: Link = {
    get mode() {
      return host.mode;
    },
    get reportSize() {
      return host.reportSize;
    },
    get closed() {
      return host.closed;
    },
    async write(data) {
      if (!host.closed) events.push({ time: at(), direction: '>', bytes: Uint8Array.from(data) });
      await host.write(data);
    },
    onData: (listener) => host.onData(listener),
    onClose: (listener) => host.onClose(listener),
    close: () => host.close(),
  };
  return { link, events };
}

/**
 * A version-1 trace of a recording, with the header fields given (driver, transport, note,
 * recorded). Always hex: the kit's formatter would print a mostly-ASCII packet (the serial
 * number) as a string, which hides the binary framing this protocol is about.
 */
export function recordingToTrace(header: Record<string, string>, events: readonly Omit<TraceEvent, 'line'>[]): string {
  const head = Object.entries(header).map(([k, v]) => `# ${k}: ${v.replace(/[\r\n]+/g, ' ')}`);
  const body = events.map((e) => `${(e.time ?? 0).toFixed(3)} ${e.direction} ${toHex(e.bytes)}`);
  return [TRACE_MAGIC, ...head, ...body].join('\n') + '\n';
}
