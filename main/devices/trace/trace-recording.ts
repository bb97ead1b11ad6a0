import { HubError } from '../../../shared/errors.ts';
import { findDriver, type TraceAnnotator, type TraceDirection } from '../../../drivers/index.ts';
import { formatTrace, transportFor, type TraceEvent } from '../../../drivers/kit/index.ts';

interface RecordedChunk {
  /** Seconds since the recording started. */
  time: number;
  direction: TraceDirection;
  bytes: Uint8Array;
  mode: 'bytes' | 'reports';
}

/**
 * One port's recording in progress. Chunks are kept in memory and written out as a trace file
 * (docs/trace-format.md §4.2) when the recording stops, because masking must see whole frames, which
 * may span chunks, before anything leaves the hub.
 */
export class TraceRecording {
  private readonly chunks: RecordedChunk[] = [];
  private readonly annotator: TraceAnnotator | undefined;

  constructor(
    readonly driverId: string,
    private readonly maskPatientIds: boolean,
    private readonly startedAt: number,
  ) {
    this.annotator = findDriver(driverId)?.traceAnnotator;
    if (maskPatientIds && !this.annotator) {
      throw new HubError('INPUT_INVALID', `driver ${driverId} has no masking rules: record without masking, or not at all`);
    }
  }

  add(at: number, direction: TraceDirection, bytes: Uint8Array, mode: 'bytes' | 'reports'): void {
    this.chunks.push({ time: Math.max(0, at - this.startedAt) / 1000, direction, bytes, mode });
  }

  /** The trace file: its name (`<driver>-<YYYYMMDD-HHMMSS>.trace`, UTC), text and event count. */
  finish(portId: string): { fileName: string; trace: string; frames: number } {
    const chunks = this.maskPatientIds ? this.masked() : this.chunks;
    const header: Record<string, string> = {
      driver: this.driverId,
      transport: transportOf(this.driverId, this.chunks[0]?.mode),
      recorded: new Date(this.startedAt).toISOString(),
      note: `recorded by the POC Hub biomed console on ${portId}`,
      masked: this.maskPatientIds ? (this.annotator?.masked ?? 'nothing') : 'no (patient identifiers may be present)',
    };
    const events: Omit<TraceEvent, 'line'>[] = chunks.map((c) => ({
      time: c.time,
      direction: c.direction === 'in' ? '<' : '>',
      bytes: c.mode === 'reports' ? trimPadding(c.bytes) : c.bytes,
    }));
    return { fileName: `${this.driverId}-${stamp(this.startedAt)}.trace`, trace: formatTrace({ header, events }), frames: events.length };
  }

  /** The chunks with patient identifiers overwritten by the driver's rules, same lengths. */
  private masked(): RecordedChunk[] {
    const out = this.chunks.map((c) => ({ ...c }));
    for (const direction of ['in', 'out'] as const) {
      const mine = out.filter((c) => c.direction === direction);
      const reports = mine.filter((c) => c.mode === 'reports');
      const bytes = mine.filter((c) => c.mode === 'bytes');
      if (reports.length > 0) {
        const masked = this.annotator?.maskReports?.(direction, reports.map((c) => c.bytes));
        reports.forEach((c, i) => (c.bytes = masked?.[i] ?? c.bytes));
      }
      if (bytes.length > 0) {
        const stream = concat(bytes.map((c) => c.bytes));
        const masked = this.annotator?.maskStream?.(direction, stream) ?? stream;
        let at = 0;
        for (const c of bytes) {
          c.bytes = masked.slice(at, at + c.bytes.length);
          at += c.bytes.length;
        }
      }
    }
    return out;
  }
}

function concat(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** docs/trace-format.md §1.2: trailing zero padding of a HID report may be left out (replay restores it). */
function trimPadding(report: Uint8Array): Uint8Array {
  let end = report.length;
  while (end > 1 && report[end - 1] === 0) end--;
  return report.subarray(0, end);
}

/** The transport header: replay needs `hid` to treat events as reports. A driver with several links (manifest `otherTransports`) is recorded as the link in use: reports are HID, bytes its serial link. */
function transportOf(driverId: string, mode: 'bytes' | 'reports' | undefined): string {
  const m = findDriver(driverId)?.manifest;
  if (mode === 'reports' || (mode === undefined && m?.transport.type === 'hid')) return 'hid';
  if (m?.transport.type === 'usb') return 'usb';
  const serial = m ? transportFor(m, 'serial') : undefined;
  if (serial) {
    const s = serial.serial;
    return `serial ${s.baudRate} ${s.dataBits}${s.parity.charAt(0).toUpperCase()}${s.stopBits}`;
  }
  return 'serial';
}

function stamp(ms: number): string {
  const iso = new Date(ms).toISOString();
  return `${iso.slice(0, 10).replace(/-/g, '')}-${iso.slice(11, 19).replace(/:/g, '')}`;
}
