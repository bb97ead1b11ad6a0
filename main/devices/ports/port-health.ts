import type { Port, PortSettings } from '../../../shared/api/ports-model.ts';
import type { HubError } from '../../../shared/errors.ts';
import { transportFor, type DriverManifest, type SessionEvent, type SessionResult } from '../../../drivers/kit/index.ts';

/**
 * A connected device that has sent nothing for this long gets the cable/power hint, in ms.
 * Monitors send every second and meters answer within a second or two (their manifests), so ten
 * seconds of silence is never normal.
 */
export const NO_DATA_AFTER_MS = 10_000;

export const NO_DATA_HINT = "No data at all: check power, the cable (a charge-only USB cable carries no data) and the device's output setting.";

/** Problem codes that mean bytes came but could not be read as the protocol's frames. */
const UNREADABLE = new Set(['PROTOCOL_GARBAGE', 'PROTOCOL_CHECKSUM', 'PROTOCOL_TRUNCATED', 'PROTOCOL_UNEXPECTED']);
const TIMEOUTS = new Set(['TRANSPORT_TIMEOUT', 'DEVICE_NO_RESPONSE']);

/** `9600 8N1`, with the flow control when there is one: how settings are written on a device's label. */
export function settingsText(s: PortSettings): string {
  const flow = s.flowControl === 'none' ? '' : s.flowControl === 'xonxoff' ? ' XON/XOFF' : ' RTS/CTS';
  return `${s.baudRate} ${s.dataBits}${s.parity[0]?.toUpperCase() ?? 'N'}${s.stopBits}${flow}`;
}

/**
 * The health of one port across its sessions (docs/architecture.md §6): counters for the biomed screen, and
 * plain-language hints derived from what was seen on the wire — the questions an engineer asks
 * first (is anything arriving at all? can it be read?).
 */
export class PortHealth {
  lastSeen?: string;
  readings = 0;
  checksumErrors = 0;
  timeouts = 0;
  sessions = 0;
  lastError?: string;
  /** Of the current or last session. */
  private bytesIn = 0;
  private decoded = false;
  private unreadable = 0;
  private startedAt?: number;
  private running = false;
  private lastFailed = false;
  private progress?: { done: number; total?: number };
  private sessionReadings = 0;
  private interruption?: string;

  beginSession(now: number): void {
    this.sessions++;
    this.startedAt = now;
    this.running = true;
    this.bytesIn = 0;
    this.decoded = false;
    this.unreadable = 0;
    this.progress = undefined;
    this.sessionReadings = 0;
  }

  /** Bytes (or HID reports) arrived from the device. */
  bytes(count: number, now: number): void {
    this.bytesIn += count;
    this.lastSeen = new Date(now).toISOString();
  }

  event(event: SessionEvent): void {
    switch (event.type) {
      case 'reading':
        this.readings++;
        this.sessionReadings++;
        this.decoded = true;
        return;
      case 'live':
      case 'device-clock':
        this.decoded = true;
        return;
      case 'progress':
        this.decoded = true;
        this.progress = { done: event.done, ...(event.total === undefined ? {} : { total: event.total }) };
        return;
      case 'identity':
        // Some drivers identify without a byte (the Masimo says nothing of itself); a serial
        // number can only have come from the device.
        if (event.device.serial) this.decoded = true;
        return;
      case 'problem':
        if (event.code === 'PROTOCOL_CHECKSUM') this.checksumErrors++;
        if (TIMEOUTS.has(event.code)) this.timeouts++;
        if (UNREADABLE.has(event.code)) this.unreadable++;
        return;
      default:
        return;
    }
  }

  /** The session ended; `download`: the driver reads a meter's memory. */
  endSession(result: Pick<SessionResult, 'end' | 'error'>, download: boolean): void {
    this.running = false;
    const error = result.error;
    this.lastFailed = result.end === 'failed';
    if (error && TIMEOUTS.has(error.code)) this.timeouts++;
    if (error) this.lastError = error.message;
    if (download && result.end === 'completed' && !error) this.interruption = undefined;
    // A file or dump refused as a whole (it could not be read, nothing stored) is no interruption:
    // reading it again gives the same bytes, so its own reason is what the person needs.
    else if (download && error && this.progress && !(UNREADABLE.has(error.code) && this.sessionReadings === 0)) this.interruption = interruptionText(this.progress, this.sessionReadings);
    if (this.interruption) this.lastError = this.interruption;
  }

  /** A failure before any session (the port would not open). */
  failed(error: HubError): void {
    this.lastError = error.message;
    this.lastFailed = true;
  }

  /** The hints for what was seen, most telling first, then the driver's own. */
  hints(manifest: DriverManifest | undefined, settings: PortSettings | undefined, now: number): string[] {
    const hints: string[] = [];
    if (this.interruption) hints.push(this.interruption);
    const ranLong = this.startedAt !== undefined && (!this.running || now - this.startedAt >= NO_DATA_AFTER_MS);
    if (this.bytesIn === 0 && this.startedAt !== undefined && ranLong && !this.decoded) hints.push(NO_DATA_HINT);
    if (this.bytesIn > 0 && !this.decoded && (this.unreadable > 0 || ranLong)) hints.push(unreadableHint(manifest, settings));
    if ((hints.length > 0 || this.lastFailed) && manifest) hints.push(...manifest.hints);
    return hints;
  }

  view(manifest: DriverManifest | undefined, settings: PortSettings | undefined, now: number): Port['health'] {
    return {
      ...(this.lastSeen ? { lastSeen: this.lastSeen } : {}),
      readings: this.readings,
      checksumErrors: this.checksumErrors,
      timeouts: this.timeouts,
      sessions: this.sessions,
      ...(this.lastError ? { lastError: this.lastError } : {}),
      hints: this.hints(manifest, settings, now),
    };
  }
}

function unreadableHint(manifest: DriverManifest | undefined, settings: PortSettings | undefined): string {
  const expected = manifest ? transportFor(manifest, 'serial')?.serial : undefined;
  if (!expected) return 'Data arrives but cannot be read: is this the right driver for the device?';
  const set = settings && settingsText(settings) !== settingsText(expected) ? ` (this port is set to ${settingsText(settings)})` : '';
  return `Data arrives but cannot be read: wrong baud rate or line settings? The driver expects ${settingsText(expected)}${set}.`;
}

function interruptionText(progress: { done: number; total?: number }, readings: number): string {
  const done = Math.max(progress.done, readings);
  const of = progress.total === undefined ? `${done} records` : `${done} of ${progress.total} records`;
  return `Download interrupted after ${of}: reconnect the meter to finish; readings already imported will not be imported again.`;
}
