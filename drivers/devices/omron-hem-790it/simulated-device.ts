/**
 * The simulated monitor's memory: 13-byte GME data (the checksum is added when sent), newest
 * first as the monitor indexes it (PROTOCOL.md §5), made from the simulator clock, in local time.
 */

/** The example reading of the protocol notes: 2007-01-03 00:06:51, 112/75, pulse 71 (PROTOCOL.md §5). */
export const NOTES_EXAMPLE = [0x07, 0x01, 0x03, 0x00, 0x06, 0x33, 0x00, 0x00, 0x70, 0x4b, 0x47, 0x00, 0x00] as const;

/** Values cycled through the simulated memory: SYS, DIA, pulse, flags word. */
const VALUES: readonly [number, number, number, number][] = [
  [118, 76, 68, 0x0000],
  [132, 85, 74, 0x0000],
  [141, 92, 88, 0x0001], // irregular heartbeat
  [125, 80, 71, 0x0002], // movement
  [122, 79, 70, 0x0010], // TruRead 1 of 3
  [120, 78, 69, 0x0020], // TruRead 2 of 3
  [119, 77, 69, 0x0030], // TruRead 3 of 3
  [256, 104, 96, 0x0000], // SYS over 255: its high byte is used
];
/** Half a day between simulated measurements (morning and evening at home). */
const STEP_MS = 12 * 60 * 60 * 1000;

/** One stored measurement's 13 data bytes for a local time and values. */
export function measurementBytes(at: Date, sys: number, dia: number, pulse: number, flags: number, unit = 0): number[] {
  return [at.getFullYear() % 100, at.getMonth() + 1, at.getDate(), at.getHours(), at.getMinutes(), at.getSeconds(), unit, (sys >> 8) & 0xff, sys & 0xff, dia, pulse, (flags >> 8) & 0xff, flags & 0xff];
}

/** `count` measurements, newest first, the newest an hour before `nowMs`. */
export function memoryOf(count: number, nowMs: number): number[][] {
  const out: number[][] = [];
  for (let i = 0; i < count; i++) {
    const [sys, dia, pulse, flags] = VALUES[i % VALUES.length] ?? [120, 80, 70, 0];
    // Whole seconds, and a different minute each time, as a person presses the button.
    const at = new Date(Math.floor((nowMs - 3_600_000 - i * STEP_MS - (i % 7) * 61_000) / 1000) * 1000);
    out.push(measurementBytes(at, sys, dia, pulse, flags));
  }
  return out;
}
