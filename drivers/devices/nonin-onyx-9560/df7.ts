import type { DisplaySample } from './decode.ts';

/** Frames in a DF7 packet (PROTOCOL.md §6). */
export const FRAMES_PER_PACKET = 25;
const SYNC = 0x01;

/** What one DF7 frame completed: a packet's display sample, and/or a framing problem. */
export interface Df7Output {
  sample?: { value: DisplaySample; raw: Uint8Array };
  problem?: string;
}

/**
 * Assembles DF7 frames (checksums already verified by the framer) into packets: a packet starts
 * at a frame with SYNC set and has 25 frames; the FLOAT byte's meaning is the frame's index. Until
 * a SYNC frame is seen, and after a packet that came out short or long, frames are dropped
 * (resynchronised on SYNC, PROTOCOL.md §6). A complete packet gives its display values.
 */
export class Df7Packets {
  private floats: number[] = [];
  private statuses: number[] = [];
  private frames: Uint8Array[] = [];
  private synced = false;

  push(frame: Uint8Array): Df7Output {
    const status = frame[0] ?? 0;
    const out: Df7Output = {};
    if ((status & SYNC) !== 0) {
      if (this.synced && this.floats.length !== 0) out.problem = `DF7 packet of ${this.floats.length} frames instead of ${FRAMES_PER_PACKET}; dropped`;
      this.synced = true;
      this.floats = [];
      this.statuses = [];
      this.frames = [];
    } else if (!this.synced) return out;
    this.floats.push(frame[3] ?? 0);
    this.statuses.push(status);
    this.frames.push(frame);
    if (this.floats.length < FRAMES_PER_PACKET) return out;
    const f = (n: number): number => this.floats[n - 1] ?? 0;
    // Display values (PROTOCOL.md §6 table): HR-D frames 20–21, SpO2-D frame 9, STAT2 frame 8.
    const any = (bit: number): boolean => this.statuses.some((s) => (s & bit) !== 0);
    const value: DisplaySample = {
      hr: ((f(20) & 0x03) << 7) | (f(21) & 0x7f),
      spo2: f(9) & 0x7f,
      sensorAlarm: any(0x08),
      outOfTrack: any(0x10),
      artifact: any(0x20),
      // Red perfusion is bits 2..1 = 10 (PROTOCOL.md §6).
      lowPerfusion: this.statuses.some((s) => (s & 0x06) === 0x04),
      lowBattery: (f(8) & 0x01) !== 0,
    };
    const raw = new Uint8Array(this.frames.reduce((n, b) => n + b.length, 0));
    let o = 0;
    for (const b of this.frames) {
      raw.set(b, o);
      o += b.length;
    }
    // The next frame must carry SYNC; a 26th frame without it means the count was lost.
    this.floats = [];
    this.statuses = [];
    this.frames = [];
    this.synced = false;
    out.sample = { value, raw };
    return out;
  }
}
