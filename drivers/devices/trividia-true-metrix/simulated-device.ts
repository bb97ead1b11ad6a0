import { hex } from './protocol.ts';

/**
 * What the simulated meters hold: `g5` record bodies in the layout of PROTOCOL.md §4, built from
 * the meter clock, newest first. Values are synthetic and deterministic.
 */

/** The meter's local date-time fields of an instant (the meter keeps local time). */
export function meterFields(epochMs: number): { year2: number; month: number; day: number; hour: number; minute: number; second: number } {
  const t = new Date(epochMs);
  return { year2: t.getFullYear() % 100, month: t.getMonth() + 1, day: t.getDate(), hour: t.getHours(), minute: t.getMinutes(), second: t.getSeconds() };
}

/** The `t` payload digits `ssmmHHDDMMYY` of an instant (PROTOCOL.md §3). */
export function clockDigits(epochMs: number): string {
  const f = meterFields(epochMs);
  const two = (n: number): string => String(n).padStart(2, '0');
  return `${two(f.second)}${two(f.minute)}${two(f.hour)}${two(f.day)}${two(f.month)}${two(f.year2)}`;
}

/** One record body: month, DDYY, HHMM, value (11 bits), character 10, control, tail (PROTOCOL.md §4). */
export function recordBody(epochMs: number, value: number, opts: { control?: boolean; char10?: string; tail?: string; highBit?: boolean } = {}): string {
  const f = meterFields(epochMs);
  const c7 = ((opts.highBit ? 8 : 0) | ((value >> 8) & 0x07)).toString(16).toUpperCase();
  return `${hex(f.month, 1)}${hex(f.day * 100 + f.year2, 3)}${hex(f.hour * 100 + f.minute, 3)}${c7}${hex(value & 0xff, 2)}${opts.char10 ?? '0'}${opts.control ? '1' : '0'}${opts.tail ?? ''}`;
}

/** Minutes between two records: 4 h 17 min. */
const SPACING_MS = (4 * 60 + 17) * 60_000;

/** `n` record bodies, newest first, the newest one spacing before `meterNowMs`: glucose, controls, HI, LO, odd characters. */
export function memoryRecords(n: number, meterNowMs: number): string[] {
  const out: string[] = [];
  for (let i = 0; i < n; i++) {
    const at = meterNowMs - (i + 1) * SPACING_MS;
    if (i % 11 === 5) out.push(recordBody(at, 100 + (i % 9), { control: true }));
    else if (i === 6) out.push(recordBody(at, 700)); // beyond 600: the meter showed HI
    else if (i === 9) out.push(recordBody(at, 12)); // below 20: the meter showed LO
    else if (i === 13) out.push(recordBody(at, 600));
    else if (i === 15) out.push(recordBody(at, 20, { char10: '3', tail: '00' }));
    else if (i === 17) out.push(recordBody(at, 145, { highBit: true }));
    else out.push(recordBody(at, 60 + ((i * 37) % 240)));
  }
  return out;
}
