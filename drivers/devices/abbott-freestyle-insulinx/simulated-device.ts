/**
 * What the simulated InsuLinx holds: `$result?` lines in the layout of PROTOCOL.md §3. Values are
 * synthetic and deterministic; times count back from the meter clock. Fields 8–13 and 15–16,
 * whose meaning is unknown, are sent as 0 as in the notes' example.
 */

/** The record lines of the notes' example (PROTOCOL.md §3), verbatim. */
export const NOTES_EXAMPLE_RECORDS = ['0,123,3,5,24,7,42,0,0,0,0,0,0,104,0,0', '0,122,3,4,24,21,5,0,0,0,0,0,0,165,0,0'] as const;

/** Minutes between two records: 4 h 17 min. */
const SPACING_MS = (4 * 60 + 17) * 60_000;
/** Id of the oldest record (ids count up; the newest is sent first). */
const FIRST_ID = 41;

/** The meter's local date-time fields of an instant (no leading zeros). */
export function meterFields(epochMs: number): { month: number; day: number; year2: number; hour: number; minute: number } {
  const t = new Date(epochMs); // the meter keeps local time, like the workstation
  return { month: t.getMonth() + 1, day: t.getDate(), year2: t.getFullYear() - 2000, hour: t.getHours(), minute: t.getMinutes() };
}

/**
 * `n` records, newest first: mostly glucose (type 0); every 7th is an insulin log entry (type 2,
 * an assumed type: the hub only needs to leave it out) and record 4 carries a value that is no number.
 */
export function insulinxRecords(n: number, meterNowMs: number): string[] {
  const lines: string[] = [];
  for (let i = 0; i < n; i++) {
    const id = FIRST_ID + n - 1 - i;
    const t = meterFields(meterNowMs - (i + 1) * SPACING_MS);
    const when = `${t.month},${t.day},${t.year2},${t.hour},${t.minute}`;
    if (i % 7 === 6) lines.push(`2,${id},${when},0,0,0,0,0,0,4,0,0`);
    else lines.push(`0,${id},${when},0,0,0,0,0,0,${i === 4 ? 'HI' : 55 + ((i * 53) % 300)},0,0`);
  }
  return lines;
}
