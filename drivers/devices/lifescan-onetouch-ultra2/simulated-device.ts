/**
 * What the simulated Ultra 2 holds and how it prints it (PROTOCOL.md §3–6). Every value
 * here is synthetic; only the layout is the meter's.
 */

/** Synthetic serial number (9 characters, ending in Y as an Ultra 2's does, PROTOCOL.md §3). */
export const SIM_SERIAL = 'SIM04711Y';
/** Software version as the glucometerutils docstring quotes it (PROTOCOL.md §3). */
export const SIM_VERSION = 'P02.00.00 30/08/06';

/** Beyond-range results as the simulator writes them; the meter's real encoding is unknown (PROTOCOL.md §6). */
export const HI_LO = {
  /** Tidepool's reading: a number beyond 20–600 mg/dL. */
  numeric: { hi: '  612 ', lo: '  012 ' },
  /** The other reading: a word in the value field. */
  words: { hi: '  HI  ', lo: '  LO  ' },
} as const;

const WEEKDAYS = ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'] as const;
const MINUTE_MS = 60_000;
const HOUR_MS = 60 * MINUTE_MS;
/** The newest record is this long before the meter clock at power-up. */
const NEWEST_AGE_MS = 10 * MINUTE_MS;
/** About four tests a day. */
const SPACING_MS = 6 * HOUR_MS;

const p2 = (n: number): string => String(n).padStart(2, '0');
const p3 = (n: number): string => String(n).padStart(3, '0');

/** One stored test: when (meter local time, as epoch ms) and fields 5–7 as printed. */
export interface SimRecord {
  atMs: number;
  result: string;
  meal: string;
  comment: string;
}

/** `"SAT","03/21/15","16:45:24   "` for a meter-local instant (PROTOCOL.md §3). */
export function meterWhen(ms: number): string {
  const t = new Date(ms);
  const date = `${p2(t.getMonth() + 1)}/${p2(t.getDate())}/${p2(t.getFullYear() % 100)}`;
  const time = `${p2(t.getHours())}:${p2(t.getMinutes())}:${p2(t.getSeconds())}   `;
  return `"${WEEKDAYS[t.getDay()] ?? 'SUN'}","${date}","${time}"`;
}

/** `F …` (DMF) or `T …` (DMT echo). */
export function clockText(tag: 'F' | 'T', ms: number): string {
  return `${tag} ${meterWhen(ms)}`;
}

/** PROTOCOL.md §6 header; the unit is always 6 characters. */
export function headerText(count: number, serial: string, unit: 'mg/dL' | 'mmol/L'): string {
  return `P ${p3(count)},"${serial}","${unit === 'mmol/L' ? 'MMOL/L' : 'MG/DL '}"`;
}

/** PROTOCOL.md §6 record line text (without its checksum). */
export function recordText(r: SimRecord): string {
  return `P ${meterWhen(r.atMs)},"${r.result}","${r.meal}","${r.comment}", 00`;
}

/** Field 5 for a blood result, a control-solution result, or one the meter marked with `?`. */
const blood = (mgdl: number): string => `  ${p3(mgdl)} `;
const control = (mgdl: number): string => `C ${p3(mgdl)} `;
const parity = (mgdl: number): string => `  ${p3(mgdl)}?`;

/** Indexes (0 = newest) of the special records every memory has. */
const SPECIAL = { control: [4, 30], hi: 9, lo: 14, parity: 20 } as const;

/**
 * `count` records, newest first, the newest shortly before `meterNowMs`: glucose between 70 and
 * 259 mg/dL, meal markers N/B/A in turn, comment codes 01–11 on every fourth record, and at the
 * SPECIAL indexes two control-solution results, one HI, one LO and one parity-flagged result.
 */
export function memoryRecords(meterNowMs: number, count: number, hiLo: { hi: string; lo: string } = HI_LO.numeric): SimRecord[] {
  const newest = Math.floor(meterNowMs / 1000) * 1000 - NEWEST_AGE_MS;
  const out: SimRecord[] = [];
  for (let i = 0; i < count; i++) {
    const atMs = newest - i * SPACING_MS - ((i * 17) % 60) * MINUTE_MS - ((i * 7) % 60) * 1000;
    const mgdl = 70 + ((i * 37) % 190);
    let result = blood(mgdl);
    if ((SPECIAL.control as readonly number[]).includes(i)) result = control(100 + ((i * 7) % 50));
    else if (i === SPECIAL.hi) result = hiLo.hi;
    else if (i === SPECIAL.lo) result = hiLo.lo;
    else if (i === SPECIAL.parity) result = parity(mgdl);
    const meal = ['N', 'B', 'A'][i % 3] ?? 'N';
    const comment = i % 4 === 1 ? p2(1 + (Math.floor(i / 4) % 11)) : '00';
    out.push({ atMs, result, meal, comment });
  }
  return out;
}

/**
 * The `qc-check` memory, newest first: a patient result before a control of 320 mg/dL, one
 * between it and a control of 280 mg/dL, and one after both (minutes before `meterNowMs`), so a
 * QC walk-through can fail the first control, see the result after it held, and pass the second.
 */
export function qcCheckRecords(meterNowMs: number): SimRecord[] {
  const at = (minutesAgo: number): number => Math.floor(meterNowMs / 1000) * 1000 - minutesAgo * MINUTE_MS;
  return [
    { atMs: at(5), result: blood(110), meal: 'N', comment: '00' },
    { atMs: at(10), result: control(280), meal: 'N', comment: '00' },
    { atMs: at(20), result: blood(120), meal: 'N', comment: '00' },
    { atMs: at(30), result: control(320), meal: 'N', comment: '00' },
    { atMs: at(60), result: blood(100), meal: 'N', comment: '00' },
  ];
}

/** Ages (minutes before the meter clock) of the `mixed-ages` memory: three recent, three older, one 15 days old. */
const MIXED_AGES_MIN = [10, 45, 100, 180, 26 * 60, 15 * 24 * 60] as const;

/**
 * A meter used by several patients over time, for the memory import: results measured 10, 45 and
 * 100 minutes ago (inside a 2-hour window), then 3 hours, 26 hours and 15 days ago. Newest first.
 */
export function mixedAgeRecords(meterNowMs: number): SimRecord[] {
  const now = Math.floor(meterNowMs / 1000) * 1000;
  return MIXED_AGES_MIN.map((age, i) => ({ atMs: now - age * MINUTE_MS, result: blood(90 + i * 23), meal: 'N', comment: '00' }));
}
