import { describe, expect, it, onTestFinished } from 'vitest';
import { ndjson, runCli, type CliRun } from '../helpers/cli.ts';
import { cliScope } from '../helpers/cli-scope.ts';
import { expectNothingNew } from '../helpers/meter-pty.ts';
import { NOTES_OPTIUM_DUMP, startOptium, type OptiumEmulator, type OptiumOptions } from './abbott-freestyle-optium.ts';
import { defineDumpChecks, expectMeterTimesKept, expectReadingsOf } from './freestyle-expectations.ts';
import { checksumLine, dumpText, meterTimeOf, type MeterTime, type NotesRecord } from './freestyle-serial-notes.ts';

/**
 * The FreeStyle Optium / Precision Xtra driver against an emulator built from the
 * glucose-meters-2 protocol notes §3.1, §3.2 and §3.4 (not from the hub's simulator): the
 * emulator on one end of a socat pty pair through the real serialport package, the real
 * `pochub read` on the other.
 */
const scope = cliScope('pochub-notes-optium-');
const DRIVER = 'abbott-freestyle-optium';

async function meterOnPty(options: OptiumOptions): Promise<{ read: (extra?: string[]) => Promise<CliRun>; emulator: OptiumEmulator }> {
  const pty = await scope.ptyPair();
  const data = scope.tempDir();
  const emulator = await startOptium(pty.a, options);
  // Close the emulator's end before the scope's clean-up kills socat under it.
  onTestFinished(() => emulator.close());
  return { emulator, read: (extra = []) => runCli(['read', '--driver', DRIVER, '--port', pty.b, '--json', '--data', data, '--timeout', '120', ...extra]) };
}

const at = (year: number, month: number, day: number, hour: number, minute: number): MeterTime => ({ year, month, day, hour, minute });
const ago = (ms: number): MeterTime => ({ ...meterTimeOf(Date.now() - ms), second: 0 });
const HOUR = 3_600_000;

/** The notes' three example records, newest first. */
const NOTES_RECORDS: NotesRecord[] = [
  { value: 104, at: at(2024, 3, 5, 7, 42), type: 'G', status: 0x00 },
  { value: 3, at: at(2024, 3, 4, 22, 0), type: 'K', status: 0x00 },
  { value: 'HI', at: at(2024, 3, 4, 21, 5), type: 'G', status: 0x00 },
];

describe('FreeStyle Optium against the notes emulator', () => {
  it("the emulator's dump text and checksum reproduce the notes' example byte for byte", () => {
    const header = { serial: 'MAGD123-A4567', version: '1.00', clock: { ...at(2024, 3, 5, 14, 30), second: 7 } };
    expect(dumpText(header, NOTES_RECORDS, false)).toBe(NOTES_OPTIUM_DUMP);
    expect(checksumLine(NOTES_OPTIUM_DUMP.slice(0, NOTES_OPTIUM_DUMP.indexOf('0x1C23')))).toBe('0x1C23  END\r\n');
  });

  it("reads the notes' constructed dump: glucose 104, ketone 003 as 0.2 mmol/L, HI as >500 mg/dL; again: 0 new", { timeout: 120_000 }, async () => {
    const { read, emulator } = await meterOnPty({ literal: NOTES_OPTIUM_DUMP, clock: { ...at(2024, 3, 5, 14, 30), second: 7 } });
    const first = await read();
    expect(first.code, first.stderr).toBe(0);
    const readings = ndjson(first.stdout);
    expectReadingsOf(readings, NOTES_RECORDS);
    for (const r of readings) expect(r['device']).toMatchObject({ manufacturer: 'Abbott', serial: 'MAGD123-A4567', firmware: '1.00' });
    // §3.4: identity and clock from `$colq`, then the memory from `$xmem`.
    expect(emulator.meter.received.slice(0, 2)).toEqual(['24 63 6F 6C 71 0D 0A', '24 78 6D 65 6D 0D 0A']);
    // Only the notes' read commands were sent (never `$coly`, which powers the meter off).
    expect(emulator.meter.commands.every((c) => c === 'colq' || c === 'xmem')).toBe(true);
    expect(first.stderr).toContain('warning: the device clock reads 2024-03-05 14:30');
    expectNothingNew(await read(), NOTES_RECORDS.length);
  });

  it('reads a 120-record memory of G and K records: HI/LO glucose, HI ketone, control and lost time, mmol/L meter', { timeout: 120_000 }, async () => {
    const specials: Omit<NotesRecord, 'at'>[] = [
      { value: 'LO', type: 'G', status: 0 },
      { value: 'HI', type: 'G', status: 0 },
      { value: 'HI', type: 'K', status: 0 },
      { value: 0, type: 'K', status: 0 },
      { value: 144, type: 'K', status: 0 },
      { value: 9, type: 'K', status: 0x01 },
      { value: 55, type: 'G', status: 0x02 },
      { value: 210, type: 'G', status: 0x03 },
    ];
    const records: NotesRecord[] = [];
    for (let i = 0; i < 120; i++) {
      const special = specials[i];
      const at = ago((i + 1) * (5 * HOUR + 11 * 60_000));
      records.push(special ? { ...special, at } : { value: i % 4 === 0 ? (i * 7) % 60 : 30 + ((i * 53) % 450), at, type: i % 4 === 0 ? 'K' : 'G', status: i % 9 === 4 ? 0x01 : 0 });
    }
    // A June and a July record whatever today is: the dump's 4-letter month fields (§3.3).
    const year = meterTimeOf(Date.now()).year - 1;
    records.push({ value: 77, at: at(year, 6, 30, 12, 0), type: 'G', status: 0 }, { value: 12, at: at(year, 7, 1, 6, 5), type: 'K', status: 0 });
    const { read } = await meterOnPty({ records, unit: 'MMOL', serial: 'MAGD124-A4568', version: '1.02' });
    const first = await read();
    expect(first.code, first.stderr).toBe(0);
    expect(first.stderr).not.toContain('warning: the device clock');
    const readings = ndjson(first.stdout);
    expectReadingsOf(readings, records);
    expectMeterTimesKept(readings);
    expectNothingNew(await read(), records.length);
  });

  it.each<[string, OptiumOptions]>([
    ['ignores the first command', { ignoreFirst: true }],
    ['echoes the first command instead of answering', { echoFirst: true }],
  ])('still reads a meter that %s (§3.1)', { timeout: 120_000 }, async (_, quirk) => {
    const records: NotesRecord[] = [
      { value: 131, at: ago(2 * HOUR), type: 'G', status: 0 },
      { value: 18, at: ago(3 * HOUR), type: 'K', status: 0 },
    ];
    const { read } = await meterOnPty({ records, ...quirk });
    const first = await read();
    expect(first.code, first.stderr).toBe(0);
    expectReadingsOf(ndjson(first.stdout), records);
  });

  /** `count` records, newest first, one every 2 h 41 min back from now: every 3rd a ketone, every 7th a control. */
  const memory = (count: number): NotesRecord[] =>
    Array.from({ length: count }, (_, i) => ({ value: i % 3 === 0 ? (i * 5) % 150 : 40 + ((i * 31) % 420), at: ago((i + 1) * (2 * HOUR + 41 * 60_000)), type: i % 3 === 0 ? 'K' : 'G', status: i % 7 === 6 ? 0x01 : 0 }));

  defineDumpChecks({ meterOnPty, memory, glucoseType: 'G', command: 'xmem', bigCount: 450, sections: '§3.1, §3.4' });

  it('an empty memory (count 000, §3.4 layout) gives no readings and no error', { timeout: 120_000 }, async () => {
    const { read, emulator } = await meterOnPty({ records: [] });
    const run = await read();
    expect(run.code, run.stderr).toBe(3);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain('no readings arrived');
    expect(run.stderr).not.toMatch(/^error/m);
    expect(emulator.meter.commands.filter((c) => c === 'xmem')).toHaveLength(1);
  });

});
