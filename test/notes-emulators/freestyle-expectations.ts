/**
 * What the hub must make of a FreeStyle record, worked out from the glucose-meters-2 protocol
 * notes §3.3–§3.4 (not from the driver), in the shape `pochub read --json` prints:
 *   - glucose (`00` on the Lite, `G` on the Optium) in mg/dL, LOINC 41653-7 (the handbook's
 *     code for a meter's mg/dL capillary glucose);
 *   - `HI`/`LO` glucose beyond the 20–500 mg/dL range (§3.3, Tidepool's reading of the spec);
 *   - `K` β-ketone: raw ≈ mmol/L × 18, shown with one decimal (raw 003 ↔ 0.2 mmol/L); `HI` above
 *     8.0 mmol/L (§3.4, glucometer-protocols; Tidepool's 10.0 is the unverified other reading);
 *   - status bit 0 = control solution, kept apart from patient results; bit 1 = lost time.
 */
import { expect, it } from 'vitest';
import { ndjson, type CliRun } from '../helpers/cli.ts';
import { expectNothingNew } from '../helpers/meter-pty.ts';
import { hexBytes, isoLocal, meterTimeOf, msOf, type MeterTime, type NotesRecord } from './freestyle-serial-notes.ts';

export const GLUCOSE_LOINC = '41653-7';
/** The hub catalog's β-hydroxybutyrate test-strip code (the notes name no LOINC code). */
export const KETONE_LOINC = '66441-7';

/** The reading fields a record fixes, as a `toMatchObject` pattern. */
export function expectedReading(r: NotesRecord): Record<string, unknown> {
  const control = (r.status & 0x01) !== 0;
  const ketone = r.type === 'K';
  let value: Record<string, unknown>;
  if (ketone) {
    // One decimal, as the meter displays ketone (0.2, 8.0).
    if (r.value === 'HI') value = { value: 8, unit: 'mmol/L', comparator: '>', decimals: 1 };
    else if (typeof r.value === 'number') value = { value: Math.round((r.value / 18) * 10) / 10, unit: 'mmol/L', decimals: 1 };
    else throw new Error('the notes give no meaning for a ketone LO');
  } else if (r.value === 'HI') value = { value: 500, unit: 'mg/dL', comparator: '>' };
  else if (r.value === 'LO') value = { value: 20, unit: 'mg/dL', comparator: '<' };
  else value = { value: r.value, unit: 'mg/dL' };
  return {
    kind: control ? 'control' : 'patient',
    deviceTime: isoLocal(r.at, false),
    observations: [{ code: ketone ? KETONE_LOINC : GLUCOSE_LOINC, value: { kind: 'quantity', ...value } }],
  };
}

/**
 * Every record became exactly one reading with the notes' value, unit, LOINC, meter time and
 * control/patient kind; control-solution and lost-time flags as the status byte says. The
 * records must have distinct minutes: readings are matched to them by meter time.
 */
export function expectReadingsOf(readings: Record<string, unknown>[], records: readonly NotesRecord[]): void {
  const times = records.map((r) => isoLocal(r.at, false));
  expect(new Set(times).size, 'test records need distinct minutes').toBe(records.length);
  expect(readings).toHaveLength(records.length);
  records.forEach((r, i) => {
    const reading = readings.find((g) => g['deviceTime'] === times[i]);
    expect(reading, `a reading at ${times[i]}`).toBeDefined();
    expect(reading, `record ${JSON.stringify(r)}`).toMatchObject(expectedReading(r));
    const flags = reading?.['flags'] as string[];
    expect(flags.includes('control-solution'), `control flag of ${JSON.stringify(r)}`).toBe((r.status & 0x01) !== 0);
    expect(flags.includes('meter-clock-lost'), `lost-time flag of ${JSON.stringify(r)}`).toBe((r.status & 0x02) !== 0);
    if (r.value === 'HI') expect(flags).toContain('out-of-range:high');
    if (r.value === 'LO') expect(flags).toContain('out-of-range:low');
  });
}

/** A meter whose clock agrees with the workstation: every time is the meter's, uncorrected. */
export function expectMeterTimesKept(readings: Record<string, unknown>[]): void {
  for (const r of readings) {
    expect(r['clock']).toMatchObject({ source: 'device' });
    expect(String(r['effectiveTime'])).toBe(`${String(r['deviceTime'])}+00:00`);
    expect(r['flags']).not.toContain('clock-skew');
  }
}

/** A FreeStyle notes emulator on a pty, and how `pochub read` downloads it. */
export interface FreestyleOnPty {
  read: (extra?: string[]) => Promise<CliRun>;
  /** What the meter was sent: each command, and every byte as hex. */
  emulator: { meter: { commands: readonly string[]; received: readonly string[] } };
}

/**
 * The checks both serial FreeStyle families share (§3.1–§3.4): a large memory at wire speed, a
 * dump that fails its checksum once is asked for again (`command` counted twice), one that never
 * passes imports nothing with a clear error, and `$tim` sent only with --set-clock.
 */
export function defineDumpChecks(opts: {
  meterOnPty: (o: { records: NotesRecord[]; paced?: boolean; corruptDumps?: number; clock?: MeterTime }) => Promise<FreestyleOnPty>;
  memory: (count: number) => NotesRecord[];
  command: string;
  /** The record type of a glucose result: `00` on the Lite, `G` on the Optium. */
  glucoseType: NotesRecord['type'];
  bigCount: number;
  sections: string;
}): void {
  const { meterOnPty, memory, command, bigCount, sections } = opts;
  const HOUR = 3_600_000;

  it('sets the clock with $tim,MM,DD,YY,HH,mm (§3.2) only when asked, then reads without a warning', { timeout: 120_000 }, async () => {
    const records: NotesRecord[] = [{ value: 140, at: { ...meterTimeOf(Date.now() - 5 * HOUR), second: 0 }, type: opts.glucoseType, status: 0 }];
    const { read, emulator } = await meterOnPty({ records, clock: meterTimeOf(Date.now() - 2 * HOUR) });
    const first = await read();
    expect(first.code, first.stderr).toBe(0);
    expect(first.stderr).toMatch(/warning: the device clock reads .*, 2 h behind/);
    expect(emulator.meter.commands.some((c) => c.startsWith('tim'))).toBe(false);

    const before = Date.now();
    const second = await read(['--set-clock']);
    expect(second.stderr).toContain("the device clock was set to this workstation's time");
    const tim = emulator.meter.commands.filter((c) => c.startsWith('tim'));
    expect(tim).toHaveLength(1);
    expect(tim[0]).toMatch(/^tim,\d\d,\d\d,\d\d,\d\d,\d\d$/);
    expect(emulator.meter.received).toContain(hexBytes(`$${tim[0] ?? ''}\r\n`));
    // The meter keeps minutes only: the time set is this workstation's, to the nearest minute.
    const [mm, dd, yy, hh, mi] = (tim[0] ?? '').split(',').slice(1).map(Number) as [number, number, number, number, number];
    const set = msOf({ year: 2000 + yy, month: mm, day: dd, hour: hh, minute: mi });
    expect(set).toBeGreaterThanOrEqual(before - 60_000);
    expect(set).toBeLessThanOrEqual(Date.now() + 60_000);

    const third = await read();
    expect(third.stderr).not.toContain('warning: the device clock');
  });
  it(`reads a ${bigCount}-record memory sent at 19200-baud wire speed (${sections})`, { timeout: 120_000 }, async () => {
    const records = memory(bigCount);
    const { read } = await meterOnPty({ records, paced: true });
    const first = await read();
    expect(first.code, first.stderr).toBe(0);
    expectReadingsOf(ndjson(first.stdout), records);
  });

  it('a dump whose checksum does not match is asked for again; the good copy gives each reading once', { timeout: 120_000 }, async () => {
    const records = memory(12);
    const { read, emulator } = await meterOnPty({ records, corruptDumps: 1 });
    const first = await read();
    expect(first.code, first.stderr).toBe(0);
    expectReadingsOf(ndjson(first.stdout), records);
    expect(emulator.meter.commands.filter((c) => c === command)).toHaveLength(2);
    expectNothingNew(await read(), records.length);
  });

  it('a meter whose dumps never pass the checksum gives a clear error and stores nothing', { timeout: 120_000 }, async () => {
    const { read } = await meterOnPty({ records: memory(5), corruptDumps: 99 });
    const run = await read();
    expect(run.code, run.stderr).not.toBe(0);
    expect(run.code).not.toBe(3);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(/checksum/i);
    expect(run.stderr).toContain('Nothing was imported');
  });
}
