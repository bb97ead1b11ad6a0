/**
 * What the simulated meters hold: record lines in the layouts of PROTOCOL.md §5 (Neo `$result?`)
 * and §6 (Libre `$arresult?`). Values are synthetic and deterministic; times count back from
 * the meter clock, so a download made "now" is recent and the store can tell records apart.
 */

/** Local date-time fields of an instant, as the meter writes them (no leading zeros). */
interface MeterFields {
  month: number;
  day: number;
  year2: number;
  hour: number;
  minute: number;
  second: number;
}

/** The meter's local date-time fields of an instant. */
export function meterFields(epochMs: number): MeterFields {
  const t = new Date(epochMs); // the meter keeps local time, like the workstation
  return { month: t.getMonth() + 1, day: t.getDate(), year2: t.getFullYear() - 2000, hour: t.getHours(), minute: t.getMinutes(), second: t.getSeconds() };
}

/** Minutes between two records of the Neo memory: 5 h 13 min, so 60 records span ~13 days. */
const NEO_SPACING_MS = (5 * 60 + 13) * 60_000;
/** Id of the oldest record in memory (ids count up; the newest is sent first). */
const NEO_FIRST_ID = 301;
/** Control-solution checks repeat with this period (records) after the special ones below. */
const PATTERN_PERIOD = 20;

type NeoKind = 'glucose' | 'control' | 'hi' | 'lo' | 'ketone' | 'ketone-control' | 'ketone-hi' | 'insulin' | 'time-change' | 'basal';

/** Where the memory scenario puts the record kinds that must appear at least once. */
const NEO_SPECIAL: Readonly<Record<number, NeoKind>> = {
  2: 'ketone', 5: 'control', 7: 'hi', 9: 'insulin', 13: 'lo', 17: 'time-change', 22: 'ketone', 25: 'control',
  31: 'ketone-control', 38: 'ketone-hi', 41: 'basal', 47: 'ketone',
};

function neoKind(i: number): NeoKind {
  const special = NEO_SPECIAL[i];
  if (special) return special;
  if (i < 60) return 'glucose';
  const phase = i % PATTERN_PERIOD;
  return phase === 2 ? 'ketone' : phase === 5 ? 'control' : phase === 9 ? 'insulin' : 'glucose';
}

const KETONE_RAW = [5, 9, 14, 22, 31, 47] as const;

/** `n` Neo records, newest first, the newest 5 h 13 min before `meterNowMs`. */
export function neoRecords(n: number, meterNowMs: number): string[] {
  const lines: string[] = [];
  for (let i = 0; i < n; i++) {
    const id = NEO_FIRST_ID + n - 1 - i;
    const at = meterNowMs - (i + 1) * NEO_SPACING_MS;
    const t = meterFields(at);
    const when = `${t.month},${t.day},${t.year2},${t.hour},${t.minute}`;
    const glucose = (value: string | number, patient: 0 | 1): string => `7,${id},${when},0,${value},0,${patient},0,0,0,0,0,0,0,0`;
    const ketone = (value: string | number, patient: 0 | 1): string => `9,${id},${when},0,${value},${patient}`;
    switch (neoKind(i)) {
      case 'glucose':
        lines.push(glucose(60 + ((i * 47) % 190), 1));
        break;
      case 'control':
        lines.push(glucose(105 + (i % 7), 0));
        break;
      case 'hi':
        lines.push(glucose('HI', 1));
        break;
      case 'lo':
        lines.push(glucose('LO', 1));
        break;
      case 'ketone':
        lines.push(ketone(KETONE_RAW[i % KETONE_RAW.length] ?? 9, 1));
        break;
      case 'ketone-control':
        lines.push(ketone(27, 0));
        break;
      case 'ketone-hi':
        lines.push(ketone('HI', 1));
        break;
      case 'insulin':
        lines.push(`10,${id},${when},0,1,4,0,0,0`);
        break;
      case 'time-change': {
        const old = meterFields(at - 60 * 60_000);
        lines.push(`6,${id},${when},1,${old.month},${old.day},${old.year2},${old.hour},${old.minute}`);
        break;
      }
      case 'basal':
        lines.push(`11,${id},${when},0,0,0`);
        break;
    }
  }
  return lines;
}

/** Minutes between two Libre user records: 3 h 7 min. */
const LIBRE_SPACING_MS = (3 * 60 + 7) * 60_000;
/** Libre error bitfield flag: the reading is invalid (PROTOCOL.md §6). */
const LIBRE_ERROR_INVALID = 0x8000;

interface LibreSpec {
  readingType: number;
  value: number;
  trend?: number;
  sport?: boolean;
  medication?: boolean;
  food?: number;
  longDose?: number;
  rapidDose?: number;
  comments?: number;
  errors?: number;
}

/** The six custom comments every Libre record repeats (PROTOCOL.md §6); one holds a comma. */
const LIBRE_COMMENTS = ['Walk, 30 min', 'Sick', '', '', '', ''];

function libreReading(id: number, t: MeterFields, s: LibreSpec): string {
  const time = `${t.month},${t.day},${t.year2},${t.hour},${t.minute},${t.second}`;
  const flag = (on: unknown): number => (on ? 1 : 0);
  const fields = [
    id, 2, time, 1, s.readingType, 0, 0, s.value, flag(s.readingType === 2), s.trend ?? 0,
    flag(s.sport), flag(s.medication), flag(s.rapidDose !== undefined), flag(s.longDose !== undefined), s.comments ?? 0,
    0, 0, 0, s.longDose ?? 0, 0, flag(s.food !== undefined), s.food ?? 0, 0, s.errors ?? 0,
    ...LIBRE_COMMENTS.map((c) => `"${c}"`),
  ];
  if (s.rapidDose !== undefined) fields.push(7, time, 1, s.rapidDose);
  return fields.join(',');
}

/** A Libre reader's `$arresult?` memory, newest first: scans, strips, a clock change, an error. */
export function libreRecords(meterNowMs: number): string[] {
  const specs: (LibreSpec | 'time-change')[] = [
    { readingType: 2, value: 142, trend: 3 },
    { readingType: 0, value: 98, food: 45 },
    { readingType: 2, value: 188, trend: 4, comments: 0b11 },
    { readingType: 1, value: 11 },
    'time-change',
    { readingType: 2, value: 76, trend: 1, sport: true },
    { readingType: 0, value: 233, rapidDose: 8, longDose: 20 },
    { readingType: 0, value: 0, errors: LIBRE_ERROR_INVALID },
    { readingType: 0, value: 61, medication: true },
    { readingType: 2, value: 104, trend: 0 },
  ];
  return specs.map((spec, i) => {
    const id = 1200 + specs.length - i;
    const at = meterNowMs - (i + 1) * LIBRE_SPACING_MS;
    const t = meterFields(at);
    if (spec !== 'time-change') return libreReading(id, t, spec);
    const old = meterFields(at - 2 * 60 * 60_000);
    const stamp = (f: MeterFields): string => `${f.month},${f.day},${f.year2},${f.hour},${f.minute},${f.second}`;
    return `${id},5,${stamp(t)},0,${stamp(old)},0,0,0,0,0`;
  });
}
