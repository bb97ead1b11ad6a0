import { concatBytes, type Trace, type TraceEvent } from '../../drivers/kit/index.ts';

/** A small seeded PRNG (mulberry32): a case is replayed exactly from its seed. */
export class Rng {
  private state: number;
  constructor(seed: number) {
    this.state = seed >>> 0;
  }
  /** [0, 1). */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  /** An integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.next() * n);
  }
  pick<T>(items: readonly T[]): T {
    const item = items[this.int(items.length)];
    if (item === undefined) throw new Error('pick from an empty list');
    return item;
  }
}

/** The seed of case `index` of a run seeded `seed` for the driver at `driverIndex`: cases are independent. */
export function caseSeed(seed: number, driverIndex: number, index: number): number {
  let h = (seed ^ Math.imul(driverIndex + 1, 0x9e3779b1)) >>> 0;
  h = Math.imul(h ^ index, 0x85ebca6b) >>> 0;
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35) >>> 0;
  return (h ^ (h >>> 16)) >>> 0;
}

/**
 * Bytes protocols give meaning to: framing and control characters of the six protocols (STX, ETX,
 * EOT, ENQ, ACK, NAK, ETB, CR, LF, field separators), digits, and the edges of a byte.
 */
const INTERESTING = [0x00, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x0a, 0x0d, 0x10, 0x11, 0x13, 0x15, 0x17, 0x1b, 0x20, 0x22, 0x24, 0x2c, 0x2d, 0x2e, 0x2f, 0x30, 0x39, 0x3a, 0x3f, 0x5c, 0x5e, 0x7c, 0x7f, 0x80, 0xfe, 0xff];

/** In a window, a device chunk longer than this is cut to this many bytes (decode cases stay cheap). */
const WINDOW_CHUNK_BYTES = 384;

/** The names of the mutations, in the order `mutateTrace` draws them from. */
export const MUTATIONS = ['bit-flip', 'byte-set', 'insert', 'delete', 'truncate', 'repeat', 'splice', 'rechunk', 'drop-event', 'flood', 'time-jump'] as const;
export type Mutation = (typeof MUTATIONS)[number];

function randomByte(rng: Rng): number {
  return rng.next() < 0.5 ? rng.pick(INTERESTING) : rng.int(256);
}

/** Indexes of device-to-host events: only what the device says is mutated; host writes must still match. */
function deviceEvents(events: readonly TraceEvent[]): number[] {
  const out: number[] = [];
  events.forEach((e, i) => {
    if (e.direction === '<' && e.bytes.length > 0) out.push(i);
  });
  return out;
}

function withBytes(event: TraceEvent, bytes: Uint8Array): TraceEvent {
  return { ...event, bytes };
}

/** Replace the bytes of one random device event by `edit(copy of its bytes)`; no device event: unchanged. */
function editOne(events: TraceEvent[], rng: Rng, edit: (bytes: Uint8Array) => Uint8Array): void {
  const candidates = deviceEvents(events);
  if (candidates.length === 0) return;
  const at = rng.pick(candidates);
  const event = events[at];
  if (event) events[at] = withBytes(event, edit(Uint8Array.from(event.bytes)));
}

function mutateOnce(events: TraceEvent[], corpus: readonly Trace[], rng: Rng, mutation: Mutation, spliceLimit: number): TraceEvent[] {
  switch (mutation) {
    case 'bit-flip':
      editOne(events, rng, (b) => {
        for (let n = 1 + rng.int(4); n > 0; n--) {
          const i = rng.int(b.length);
          b[i] = (b[i] ?? 0) ^ (1 << rng.int(8));
        }
        return b;
      });
      return events;
    case 'byte-set':
      editOne(events, rng, (b) => {
        b[rng.int(b.length)] = randomByte(rng);
        return b;
      });
      return events;
    case 'insert':
      editOne(events, rng, (b) => {
        const at = rng.int(b.length + 1);
        const extra = Uint8Array.from({ length: 1 + rng.int(16) }, () => randomByte(rng));
        return concatBytes([b.subarray(0, at), extra, b.subarray(at)]);
      });
      return events;
    case 'delete':
      editOne(events, rng, (b) => {
        const at = rng.int(b.length);
        return concatBytes([b.subarray(0, at), b.subarray(at + 1 + rng.int(Math.min(32, b.length - at)))]);
      });
      return events;
    case 'truncate': {
      // The device stops mid-stream: everything after a point is gone, the last chunk cut short.
      if (events.length === 0) return events;
      const at = rng.int(events.length);
      const kept = events.slice(0, at + 1);
      const last = kept[at];
      if (last?.direction === '<') kept[at] = withBytes(last, last.bytes.slice(0, rng.int(last.bytes.length)));
      return kept;
    }
    case 'repeat': {
      // A run of events (or the bytes of one) sent again, as a device repeating itself.
      if (events.length === 0) return events;
      if (rng.next() < 0.5) {
        editOne(events, rng, (b) => {
          const from = rng.int(b.length);
          const part = b.subarray(from, from + 1 + rng.int(b.length - from));
          return concatBytes([b.subarray(0, from), part, part, b.subarray(from + part.length)]);
        });
        return events;
      }
      const from = rng.int(events.length);
      const to = Math.min(events.length, from + 1 + rng.int(8));
      const times = 1 + rng.int(3);
      const run = events.slice(from, to);
      return [...events.slice(0, to), ...Array.from({ length: times }, () => run).flat(), ...events.slice(to)];
    }
    case 'splice': {
      // The start of this trace, then the rest of another fixture of the same driver.
      const other = rng.pick(corpus).events;
      const cut = rng.int(events.length + 1);
      const from = rng.int(other.length + 1);
      const head = events.slice(0, cut);
      const tail = other.slice(from, from + spliceLimit);
      const last = head[head.length - 1];
      const first = tail[0];
      if (last?.direction === '<' && first?.direction === '<' && rng.next() < 0.5) {
        // Splice inside the bytes too: a frame that starts as one message and ends as another.
        const joined = concatBytes([last.bytes.subarray(0, rng.int(last.bytes.length + 1)), first.bytes.subarray(rng.int(first.bytes.length + 1))]);
        return [...head.slice(0, -1), withBytes(last, joined), ...tail.slice(1)];
      }
      return [...head, ...tail];
    }
    case 'rechunk': {
      // A run of consecutive device events joined and cut again at random points (bytes links:
      // same stream, new boundaries; HID: reports split or merged).
      const candidates = deviceEvents(events);
      if (candidates.length === 0) return events;
      const start = rng.pick(candidates);
      let end = start;
      while (end + 1 < events.length && events[end + 1]?.direction === '<' && end - start < 16) end++;
      const first = events[start];
      if (!first) return events;
      const stream = concatBytes(events.slice(start, end + 1).map((e) => e.bytes));
      const pieces: TraceEvent[] = [];
      for (let at = 0; at < stream.length; ) {
        const n = 1 + rng.int(Math.max(1, Math.min(stream.length - at, 1 + rng.int(96))));
        pieces.push(withBytes(first, stream.slice(at, at + n)));
        at += n;
      }
      return [...events.slice(0, start), ...pieces, ...events.slice(end + 1)];
    }
    case 'flood':
      // A part of a chunk sent over and over (a stuck device, a frame without its end): length limits.
      editOne(events, rng, (b) => {
        const from = rng.int(b.length);
        const part = b.subarray(from, from + 1 + rng.int(Math.min(64, b.length - from)));
        const times = 8 + rng.int(600 / part.length + 8);
        return concatBytes([b.subarray(0, from), ...Array.from({ length: times }, () => part), b.subarray(from)]);
      });
      return events;
    case 'time-jump': {
      // The trace clock leaps forward from one event on (a paused recording, a device left on for
      // days): deadlines, stability windows and clock checks meet large gaps.
      if (events.length === 0) return events;
      const at = rng.int(events.length);
      const leap = rng.pick([0.5, 3, 61, 3_600, 86_400 * 400]) * (0.5 + rng.next());
      return events.map((e, i) => (i < at || e.time === undefined ? e : { ...e, time: Math.round((e.time + leap) * 1000) / 1000 }));
    }
    case 'drop-event': {
      if (events.length === 0) return events;
      const at = rng.int(events.length);
      return [...events.slice(0, at), ...events.slice(at + 1)];
    }
  }
}

/**
 * One fuzz case: the base trace (or, with `window`, a run of at most that many of its events,
 * and splices of at most that many: decode cases stay small and fast) with 1–4 mutations drawn at random. Host-to-device events are
 * only moved or dropped, never edited, so a replay can still match what the driver writes.
 * HID reports are kept within the report size (a real HID read never returns more); events left
 * empty are dropped (a trace cannot hold them).
 */
export function mutateTrace(base: Trace, corpus: readonly Trace[], rng: Rng, opts: { reportSize?: number; window?: number } = {}): { trace: Trace; mutations: Mutation[] } {
  const { reportSize, window } = opts;
  let events: TraceEvent[];
  if (window === undefined) events = [...base.events];
  else {
    const start = rng.int(base.events.length);
    events = base.events.slice(start, start + 1 + rng.int(window)).map((e) => {
      if (e.direction !== '<' || e.bytes.length <= WINDOW_CHUNK_BYTES) return e;
      // A long chunk (a whole memory dump) is cut to a piece: from its start half the time.
      const from = rng.next() < 0.5 ? 0 : rng.int(e.bytes.length - WINDOW_CHUNK_BYTES);
      return withBytes(e, e.bytes.subarray(from, from + WINDOW_CHUNK_BYTES));
    });
  }
  const mutations: Mutation[] = [];
  for (let n = 1 + rng.int(4); n > 0; n--) {
    const mutation = rng.pick(MUTATIONS);
    mutations.push(mutation);
    events = mutateOnce(events, corpus, rng, mutation, window ?? Number.POSITIVE_INFINITY);
  }
  const cleaned: TraceEvent[] = [];
  for (const event of events) {
    const bytes = reportSize !== undefined && event.direction === '<' && event.bytes.length > reportSize ? event.bytes.subarray(0, reportSize) : event.bytes;
    if (bytes.length > 0) cleaned.push(bytes === event.bytes ? event : withBytes(event, bytes));
  }
  return { trace: { header: base.header, events: cleaned }, mutations };
}

/** What the link hands the driver for a trace's device events: HID reports padded to the report size. */
export function deviceChunks(trace: Trace, reportSize?: number): Uint8Array[] {
  const out: Uint8Array[] = [];
  for (const event of trace.events) {
    if (event.direction !== '<') continue;
    if (reportSize === undefined || event.bytes.length >= reportSize) out.push(event.bytes);
    else {
      const report = new Uint8Array(reportSize);
      report.set(event.bytes);
      out.push(report);
    }
  }
  return out;
}
