import { HubError } from '../../../shared/errors.ts';
import type { TraceEntry } from '../../../shared/api/ports-model.ts';
import { findDriver, type TraceFramer } from '../../../drivers/index.ts';
import { TappedLink, type Link, type TapDirection } from '../../../drivers/kit/index.ts';
import type { TraceService } from '../biomed-interfaces.ts';
import { replayTrace } from './replay-trace.ts';
import { TraceRecording } from './trace-recording.ts';
import { TraceRing } from './trace-ring.ts';
import { traceHex, traceText } from './trace-text.ts';

interface TraceServiceOptions {
  /** Wall-clock time in epoch ms (tests and replays pass their own). */
  clock?: () => number;
  /** Entries kept per port. Default 5000 (the most the API hands out at once). */
  ringSize?: number;
  /** Listeners hear of new entries at most this often, in ms. Default 100. */
  batchMs?: number;
}

interface PortTrace {
  ring: TraceRing;
  /** The framers of the port's current session, one per direction; none without a driver hook. */
  framers?: Record<TapDirection, TraceFramer>;
  recording?: TraceRecording;
}

/**
 * The live protocol trace of the biomed console (docs/architecture.md §6). Every link the port manager opens is
 * tapped: each chunk becomes an entry without `frame` (the bytes as they crossed the wire), and
 * what the driver's framing makes of them becomes entries with `frame` (a frame reassembled
 * across chunks, a control byte, a HID report, noise), so the view can show either.
 */
export function createTraceService(opts: TraceServiceOptions = {}): TraceService {
  const clock = opts.clock ?? Date.now;
  const ringSize = opts.ringSize ?? 5000;
  const batchMs = opts.batchMs ?? 100;
  const ports = new Map<string, PortTrace>();
  const listeners = new Set<(portId: string, entries: TraceEntry[]) => void>();
  let pending = new Map<string, TraceEntry[]>();
  let batchTimer: ReturnType<typeof setTimeout> | undefined;

  const portOf = (portId: string): PortTrace => {
    let port = ports.get(portId);
    if (!port) {
      port = { ring: new TraceRing(ringSize) };
      ports.set(portId, port);
    }
    return port;
  };

  // One timer at most, and only while entries wait for listeners: nothing runs when idle.
  const flush = (): void => {
    batchTimer = undefined;
    const batch = pending;
    pending = new Map();
    for (const [portId, entries] of batch) for (const listener of [...listeners]) listener(portId, entries);
  };

  const add = (portId: string, port: PortTrace, at: string, direction: TapDirection, bytes: Uint8Array, frame?: TraceEntry['frame']): void => {
    const entry: TraceEntry = { portId, seq: port.ring.nextSeq(), at, direction, hex: traceHex(bytes), text: traceText(bytes), ...(frame ? { frame } : {}) };
    port.ring.push(entry);
    if (listeners.size === 0) return;
    const list = pending.get(portId) ?? [];
    list.push(entry);
    pending.set(portId, list);
    batchTimer ??= setTimeout(flush, batchMs);
  };

  const observe = (portId: string, mode: Link['mode'], direction: TapDirection, bytes: Uint8Array, now: number): void => {
    const port = portOf(portId);
    const at = new Date(now).toISOString();
    port.recording?.add(now, direction, bytes, mode);
    add(portId, port, at, direction, bytes);
    for (const token of port.framers?.[direction].push(bytes) ?? []) add(portId, port, at, direction, token.bytes, token.frame);
  };

  return {
    tap(portId, driverId, link) {
      const port = portOf(portId);
      const annotator = findDriver(driverId)?.traceAnnotator;
      // A new session starts with fresh framers: half a frame from the last one is not this one's.
      port.framers = annotator ? { in: annotator.framer('in', link), out: annotator.framer('out', link) } : undefined;
      return new TappedLink(link, (chunk) => observe(portId, link.mode, chunk.direction, chunk.bytes, chunk.at), { now: clock });
    },
    isRecording: (portId) => ports.get(portId)?.recording !== undefined,
    entries: (portId, afterSeq, limit) => ports.get(portId)?.ring.after(afterSeq, limit) ?? [],
    startRecording(portId, driverId, maskPatientIds) {
      const port = portOf(portId);
      if (port.recording) throw new HubError('CONFLICT', `port ${portId} is already being recorded`);
      port.recording = new TraceRecording(driverId, maskPatientIds, clock());
    },
    stopRecording(portId) {
      const port = ports.get(portId);
      const recording = port?.recording;
      if (!port || !recording) throw new HubError('NOT_FOUND', `port ${portId} is not being recorded`);
      port.recording = undefined;
      return recording.finish(portId);
    },
    replay: (driverId, traceText) => replayTrace(driverId, traceText),
    onEntries(listener) {
      listeners.add(listener);
      return () => {
        listeners.delete(listener);
        if (listeners.size === 0 && batchTimer) {
          clearTimeout(batchTimer);
          batchTimer = undefined;
          pending = new Map();
        }
      };
    },
  };
}
