import { type Cms50Frame, PACKET_REAL_TIME, restoreData } from './protocol.ts';

/** One real-time sample in Contec's own terms (PROTOCOL.md §3.4, §4); meaning is normalize.ts. */
export interface Cms50Sample {
  format: Cms50Frame['format'];
  /** Signal strength 0–15. */
  strength: number;
  /** Pleth waveform value 0–127. */
  pleth: number;
  /** Bar graph 0–15. */
  bar: number;
  /** Pulse rate as sent: 0xFF (V7.0) is "invalid". */
  pulse: number;
  /** SpO2 as sent: 0x7F (V7.0) is "invalid". */
  spo2: number;
  /** PI × 100 (V7.0 only); 0xFFFF is "invalid". */
  pi?: number;
  /** Status bits, by name (PROTOCOL.md §3.4, §4). */
  probeError: boolean;
  searching: boolean;
  fingerOut: boolean;
  spo2Low: boolean;
  beep: boolean;
  piInvalid: boolean;
  /** The frame's bytes as received. */
  raw: Uint8Array;
}

export type DecodeResult = { ok: true; sample: Cms50Sample } | { ok: false; ignored: true; type: number } | { ok: false; ignored: false; code: 'PROTOCOL_GARBAGE'; message: string };

/**
 * One frame → a sample. V7.0 packets of other types than real-time (device id, storage,
 * feedback…) are `ignored`: this driver does not use them. Never throws.
 */
export function decodeFrame(frame: Cms50Frame): DecodeResult {
  const b = frame.bytes;
  if (frame.format === 'v7') {
    if (b[0] !== PACKET_REAL_TIME) return { ok: false, ignored: true, type: b[0] ?? -1 };
    if (b.length !== 9) return { ok: false, ignored: false, code: 'PROTOCOL_GARBAGE', message: `real-time packet of ${b.length} bytes, not 9` };
    const [d0, d1, d2, d3, d4, d5, d6] = Array.from(restoreData(b)) as [number, number, number, number, number, number, number];
    return {
      ok: true,
      sample: {
        format: 'v7', strength: d0 & 0x0f, pleth: d1 & 0x7f, bar: d2 & 0x0f, pulse: d3, spo2: d4, pi: d5 | (d6 << 8),
        probeError: (d0 & 0x80) !== 0, searching: (d0 & 0x10) !== 0, fingerOut: false, spo2Low: (d0 & 0x20) !== 0, beep: (d0 & 0x40) !== 0, piInvalid: (d2 & 0x10) !== 0,
        raw: b,
      },
    };
  }
  if (b.length !== 5) return { ok: false, ignored: false, code: 'PROTOCOL_GARBAGE', message: `older-firmware frame of ${b.length} bytes, not 5` };
  const [b0, b1, b2, b3, b4] = Array.from(b) as [number, number, number, number, number];
  return {
    ok: true,
    sample: {
      format: 'legacy', strength: b0 & 0x0f, pleth: b1, bar: b2 & 0x0f, pulse: (b3 & 0x7f) | ((b2 & 0x40) << 1), spo2: b4,
      probeError: (b2 & 0x10) !== 0, searching: (b2 & 0x20) !== 0, fingerOut: (b0 & 0x10) !== 0, spo2Low: (b0 & 0x20) !== 0, beep: (b0 & 0x40) !== 0, piInvalid: true,
      raw: b,
    },
  };
}
