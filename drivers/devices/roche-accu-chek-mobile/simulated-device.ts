/**
 * The simulated meter's report file in the layout of PROTOCOL.md §2: synthetic, deterministic
 * rows counting back from the meter clock, the `Control test` header with its 197 spaces.
 */

export const SERIAL = 'UI12345678';
/** The column headers as the meter writes them (order illustrative, PROTOCOL.md §2). */
export const HEADER = ['Date', 'Time', 'Result', 'Unit', 'Temperature warning', 'Out of target range', 'Other', 'Before meal', 'After meal', `Control test${' '.repeat(197)}`];

const pad = (n: number): string => String(n).padStart(2, '0');
const dateOf = (t: Date): string => `${pad(t.getDate())}.${pad(t.getMonth() + 1)}.${t.getFullYear()}`;
const timeOf = (t: Date): string => `${pad(t.getHours())}:${pad(t.getMinutes())}`;

export interface RowSpec {
  result: string;
  unit?: 'mmol/l' | 'mg/dl';
  marks?: Partial<Record<'temperature' | 'target' | 'other' | 'before' | 'after' | 'control', boolean>>;
}

/** A whole report file (CRLF, `;`), made at `meterNowMs`, rows newest first, 5 h 11 min apart. */
export function reportText(meterNowMs: number, rows: readonly RowSpec[]): string {
  const now = new Date(meterNowMs); // the meter keeps local time, like the workstation
  const lines = ['Accu-Chek Mobile report', `${SERIAL};${dateOf(now)};${timeOf(now)};;;;;;;`, HEADER.join(';')];
  rows.forEach((r, i) => {
    const t = new Date(meterNowMs - (i + 1) * (5 * 60 + 11) * 60_000);
    const m = r.marks ?? {};
    const x = (on: boolean | undefined): string => (on ? 'X' : '');
    lines.push([dateOf(t), timeOf(t), r.result, r.result === '' ? '' : (r.unit ?? 'mmol/l'), x(m.temperature), x(m.target), x(m.other), x(m.before), x(m.after), x(m.control)].join(';'));
  });
  return `${lines.join('\r\n')}\r\n`;
}

/** The memory scenario: mmol/L results, markers, a control test and a non-glucose row. */
export const MEMORY_ROWS: readonly RowSpec[] = [
  { result: '5.8', marks: { before: true } },
  { result: '7.4', marks: { after: true } },
  { result: '6.0', marks: { control: true } },
  { result: '' },
  { result: '12.1', marks: { target: true, after: true } },
  { result: '4.2', marks: { temperature: true } },
  { result: '9.9', marks: { other: true } },
  { result: '5.1' },
];

/** The mg/dL scenario. */
export const MGDL_ROWS: readonly RowSpec[] = [
  { result: '104', unit: 'mg/dl', marks: { before: true } },
  { result: '165', unit: 'mg/dl' },
  { result: '98', unit: 'mg/dl', marks: { control: true } },
];
