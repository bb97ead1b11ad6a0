/**
 * Encoders of the oximeter's side (PROTOCOL.md §2–6), for the simulator and tests: the inverse
 * of decode.ts, written from the byte tables.
 */

/** One spot check as the device states it. */
export interface SpotCheck {
  /** Device local time. */
  time: Date;
  hr: number;
  spo2: number;
  highQuality?: boolean;
  noMeasurement?: boolean;
  fromMemory?: boolean;
  lowBattery?: boolean;
}

const toBcd = (n: number): number => ((Math.floor(n / 10) % 10) << 4) | n % 10;

/** A DF13 record (22 bytes) for `s`, times read with local getters. */
export function encodeSpotCheck(s: SpotCheck): Uint8Array {
  const t = s.time;
  const data = [
    toBcd(Math.floor(t.getFullYear() / 100)), toBcd(t.getFullYear() % 100), toBcd(t.getMonth() + 1), toBcd(t.getDate()),
    toBcd(t.getHours()), toBcd(t.getMinutes()), toBcd(t.getSeconds()), 0x00,
    (s.highQuality ? 0x02 : 0) | (s.noMeasurement ? 0x01 : 0), (s.fromMemory ? 0x10 : 0) | (s.lowBattery ? 0x01 : 0),
    (s.hr >> 8) & 0x01, s.hr & 0xff, 0x00, s.spo2 & 0x7f,
  ];
  const sum = data.reduce((a, b) => a + b, 0) & 0xff;
  return Uint8Array.of(0x00, 0x02, 0x00, 0x0d, 0x00, data.length, ...data, sum, 0x03);
}

/** The read-clock reply for device local time `t`. */
export function encodeClockReply(t: Date): Uint8Array {
  return Uint8Array.of(0x02, 0xf2, 0x06, t.getFullYear() % 100, t.getMonth() + 1, t.getDate(), t.getHours(), t.getMinutes(), t.getSeconds(), 0x03);
}

/** A DF8 frame; `sensorAlarm` also sets the missing-data codes unless values are given. */
export function encodeDf8(hr: number, spo2: number, opts: { sensorAlarm?: boolean; lowBattery?: boolean } = {}): Uint8Array {
  return Uint8Array.of(0x80 | ((hr >> 7) & 0x03), hr & 0x7f, spo2 & 0x7f, (opts.sensorAlarm ? 0x08 : 0) | (opts.lowBattery ? 0x01 : 0));
}

/** One DF7 packet (25 frames of 5 bytes) carrying `hr` and `spo2` as recording and display values. */
export function encodeDf7Packet(hr: number, spo2: number, tick: number, opts: { sensorAlarm?: boolean } = {}): Uint8Array {
  const float = new Array<number>(26).fill(0);
  float[1] = (hr >> 7) & 0x03;
  float[2] = hr & 0x7f;
  float[3] = spo2 & 0x7f;
  float[4] = 0x10;
  float[6] = (tick >> 7) & 0x7f;
  float[7] = tick & 0x7f;
  float[9] = spo2 & 0x7f;
  float[20] = (hr >> 7) & 0x03;
  float[21] = hr & 0x7f;
  const out = new Uint8Array(25 * 5);
  for (let n = 1; n <= 25; n++) {
    // Green perfusion (bits 2..1 = 01), sensor alarm bit 3, SYNC in frame 1.
    const status = 0x80 | 0x02 | (opts.sensorAlarm ? 0x08 : 0) | (n === 1 ? 0x01 : 0);
    const pleth = 0x8000 + Math.round(4000 * Math.sin((2 * Math.PI * n) / 25));
    const f = [status, pleth >> 8, pleth & 0xff, float[n] ?? 0];
    out.set([...f, f.reduce((a, b) => a + b, 0) & 0xff], (n - 1) * 5);
  }
  return out;
}
