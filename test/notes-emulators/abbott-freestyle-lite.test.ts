import { describe, expect, it, onTestFinished } from 'vitest';
import { ndjson, runCli, type CliRun } from '../helpers/cli.ts';
import { cliScope } from '../helpers/cli-scope.ts';
import { expectNothingNew } from '../helpers/meter-pty.ts';
import { NOTES_LITE_DUMP, startLite, type LiteEmptyForm, type LiteOptions } from './abbott-freestyle-lite.ts';
import { defineDumpChecks, expectMeterTimesKept, expectReadingsOf } from './freestyle-expectations.ts';
import { checksumLine, dumpText, meterTimeOf, type MeterTime, type NotesRecord } from './freestyle-serial-notes.ts';

/**
 * The FreeStyle Lite driver against an emulator built from the glucose-meters-2 protocol notes
 * §3.1–§3.3 (not from the hub's simulator): the emulator on one end of a socat pty pair through
 * the real serialport package, the real `pochub read` on the other.
 */
const scope = cliScope('pochub-notes-lite-');
const DRIVER = 'abbott-freestyle-lite';

async function meterOnPty(options: LiteOptions): Promise<{ read: (extra?: string[]) => Promise<CliRun>; emulator: Awaited<ReturnType<typeof startLite>> }> {
  const pty = await scope.ptyPair();
  const data = scope.tempDir();
  const emulator = await startLite(pty.a, options);
  // Close the emulator's end before the scope's clean-up kills socat under it.
  onTestFinished(() => emulator.close());
  return { emulator, read: (extra = []) => runCli(['read', '--driver', DRIVER, '--port', pty.b, '--json', '--data', data, '--timeout', '120', ...extra]) };
}

const at = (year: number, month: number, day: number, hour: number, minute: number): MeterTime => ({ year, month, day, hour, minute });

/** The notes' three example records, newest first. */
const NOTES_RECORDS: NotesRecord[] = [
  { value: 104, at: at(2024, 3, 5, 7, 42), type: '00', status: 0x00 },
  { value: 'HI', at: at(2024, 3, 4, 21, 5), type: '00', status: 0x00 },
  { value: 128, at: at(2024, 3, 4, 8, 10), type: '00', status: 0x01 },
];

describe('FreeStyle Lite against the notes emulator', () => {
  it("the emulator's dump text and checksum reproduce the notes' example byte for byte", () => {
    const header = { serial: 'DBMN169-C4824', version: '1.43     -P', clock: { ...at(2024, 3, 5, 14, 30), second: 7 } };
    expect(dumpText(header, NOTES_RECORDS, true)).toBe(NOTES_LITE_DUMP);
    expect(checksumLine(NOTES_LITE_DUMP.slice(0, NOTES_LITE_DUMP.indexOf('0x1DB6')))).toBe('0x1DB6  END\r\n');
  });

  it("reads the notes' constructed dump: 104, HI as >500 mg/dL, control 128 kept apart; again: 0 new", { timeout: 120_000 }, async () => {
    const { read, emulator } = await meterOnPty({ literal: NOTES_LITE_DUMP });
    const first = await read();
    expect(first.code, first.stderr).toBe(0);
    const readings = ndjson(first.stdout);
    expectReadingsOf(readings, NOTES_RECORDS);
    for (const r of readings) expect(r['device']).toMatchObject({ manufacturer: 'Abbott', serial: 'DBMN169-C4824', firmware: '1.43     -P' });
    // §3.2: the host asks with `$mem` CR LF; the dump's clock is from 2024, so the hub warns.
    expect(emulator.meter.received).toContain('24 6D 65 6D 0D 0A');
    // Only what the notes list for the Lite was sent.
    expect(emulator.meter.commands.every((c) => c === 'mem')).toBe(true);
    expect(first.stderr).toContain('warning: the device clock reads 2024-03-05 14:30:07');
    expectNothingNew(await read(), NOTES_RECORDS.length);
  });

  it('reads a 150-record memory with LO, HI, zero-padded values, June/July month fields, control and lost time', { timeout: 120_000 }, async () => {
    const now = Date.now();
    const records: NotesRecord[] = [];
    // Newest first, one per 7 h 13 min going back ~45 days: crosses month fields of both widths
    // whenever the test runs, and keeps every record in the past of the meter's clock.
    const special: (NotesRecord['value'] | undefined)[] = ['LO', 'HI', 45, 7, 500, 20];
    for (let i = 0; i < 150; i++) {
      const t = meterTimeOf(now - (i + 1) * (7 * 3_600_000 + 13 * 60_000));
      const value = special[i] ?? 40 + ((i * 37) % 400);
      records.push({ value, at: { ...t, second: 0 }, type: '00', status: i % 10 === 3 ? 0x01 : i % 17 === 5 ? 0x02 : i === 42 ? 0x03 : 0x00 });
    }
    // The month fields every test run must see, whatever today is: a June and a July record too.
    const year = meterTimeOf(now).year - 1;
    records.push({ value: 99, at: at(year, 7, 31, 23, 59), type: '00', status: 0 }, { value: 101, at: at(year, 6, 1, 0, 0), type: '00', status: 0 });
    const { read } = await meterOnPty({ records, serial: 'DBMN170-C4825', version: '0.31-P' });
    const first = await read();
    expect(first.code, first.stderr).toBe(0);
    // The meter clock is this workstation's: no skew, no warning.
    expect(first.stderr).not.toContain('warning: the device clock');
    const readings = ndjson(first.stdout);
    expectReadingsOf(readings, records);
    expectMeterTimesKept(readings);
    expect(readings.filter((r) => r['kind'] === 'control')).toHaveLength(records.filter((r) => r.status & 1).length);
    expectNothingNew(await read(), records.length);
  });

  it('skips stray 0x03 bytes before the dump (§3.3)', { timeout: 120_000 }, async () => {
    const records: NotesRecord[] = [{ value: 88, at: meterTimeOf(Date.now() - 3_600_000), type: '00', status: 0 }];
    records[0] = { ...records[0]!, at: { ...records[0]!.at, second: 0 } };
    const { read } = await meterOnPty({ records, leading03: 3 });
    const first = await read();
    expect(first.code, first.stderr).toBe(0);
    expectReadingsOf(ndjson(first.stdout), records);
  });

  /** `count` glucose records, newest first, one every 3 h 7 min back from now, every 7th a control. */
  const memory = (count: number): NotesRecord[] =>
    Array.from({ length: count }, (_, i) => ({ value: 40 + ((i * 31) % 420), at: { ...meterTimeOf(Date.now() - (i + 1) * (3 * 3_600_000 + 7 * 60_000)), second: 0 }, type: '00', status: i % 7 === 6 ? 0x01 : 0 }));

  defineDumpChecks({ meterOnPty, memory, glucoseType: '00', command: 'mem', bigCount: 400, sections: '§3.1, §3.3: one burst' });

  const emptyForms: LiteEmptyForm[] = (['header', 'empty line', 'nothing'] as const).flatMap((before) => [
    { lines: 'Log Empty END' as const, before },
    { lines: 'Log Empty\r\nEND' as const, before },
  ]);
  it.each(emptyForms)('an empty meter (%j) gives no readings and no error (§3.3: both forms accepted)', { timeout: 120_000 }, async (empty) => {
    const { read, emulator } = await meterOnPty({ empty });
    const run = await read();
    expect(run.code, run.stderr).toBe(3);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain('no readings arrived');
    expect(run.stderr).not.toMatch(/^error/m);
    // An empty memory is no fault: nothing to warn about, no hint that the data was unreadable.
    expect(run.stderr).not.toContain('warning:');
    expect(run.stderr).not.toContain('could not be read');
    // One `$mem` is enough: an empty memory is an answer, not a failure to ask again.
    expect(emulator.meter.commands.filter((c) => c === 'mem')).toHaveLength(1);
  });

  it('an empty meter answering "Log Empty" and "END" on two lines can have its clock set, with nothing left over', { timeout: 120_000 }, async () => {
    const { read, emulator } = await meterOnPty({ empty: { lines: 'Log Empty\r\nEND', before: 'header' }, clock: meterTimeOf(Date.now() - 2 * 3_600_000) });
    const run = await read(['--set-clock']);
    expect(run.code, run.stderr).toBe(3);
    expect(run.stderr).toContain("the device clock was set to this workstation's time");
    expect(emulator.meter.commands.filter((c) => c.startsWith('tim'))).toHaveLength(1);
    // The `END` line of the empty answer is part of it, not a stray line to warn about.
    expect(run.stderr).not.toContain('nobody asked for');
  });

  it.each(['fail', 'silent'] as const)('a Lite that answers $tim with %s keeps the readings and says the clock was not set (§3.2: $tim on the Lite is from one source)', { timeout: 120_000 }, async (tim) => {
    const records: NotesRecord[] = [{ value: 131, at: { ...meterTimeOf(Date.now() - 5 * 3_600_000), second: 0 }, type: '00', status: 0 }];
    const { read } = await meterOnPty({ records, tim, clock: meterTimeOf(Date.now() - 2 * 3_600_000) });
    const run = await read(['--set-clock']);
    expect(run.code, run.stderr).not.toBe(0);
    expectReadingsOf(ndjson(run.stdout), records);
    expect(run.stderr).toContain('1 reading(s) received before that are stored');
    expect(run.stderr).toMatch(tim === 'fail' ? /refused \$tim/ : /no answer to \$tim/);
    expect(run.stderr).not.toContain("the device clock was set");
    expectNothingNew(await read(), records.length);
  });

});
