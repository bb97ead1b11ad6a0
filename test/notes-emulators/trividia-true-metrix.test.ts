import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Reading } from '../../shared/reading.ts';
import { trividiaTrueMetrixDriver as driver } from '../../drivers/devices/trividia-true-metrix/index.ts';
import { tempDir } from '../helpers/store-fixtures.ts';
import { type HidDownload, hidDownload, ingestDownload } from '../helpers/hid-download.ts';
import { notesHidProbe } from './hid-probe.ts';
import { frame, recordBody, resultsStream, trueMetrixNotesMeter, type MetrixMeterLog, type MetrixMeterOptions } from './trividia-true-metrix.ts';

/**
 * trividia-true-metrix against a meter built from the glucose-meters-2 protocol notes §4, through
 * the real HID transport: the notes' constructed exchange byte for byte, and the record variants
 * the notes describe (control, HI/LO, the hex nibble 7, unknown characters kept), with every
 * expected value worked out by hand from the notes' record table.
 */
const NOTES_NOW = Date.UTC(2024, 2, 5, 14, 30, 0);
const NOTES_CLOCK = '003014050324';
const NOTES_BODIES = ['320C2E606800', '320B1AE07800'];

const read = async (opts: Partial<MetrixMeterOptions> = {}, now = NOTES_NOW): Promise<{ run: HidDownload; log: MetrixMeterLog }> => {
  let log: MetrixMeterLog | undefined;
  const run = await hidDownload(driver, now, { device: (fake) => (log = trueMetrixNotesMeter(fake, { clock: NOTES_CLOCK, bodies: NOTES_BODIES, ...opts })) });
  if (!log) throw new Error('the emulator was not plugged in');
  return { run, log };
};

const summary = (r: Reading): unknown => ({ deviceTime: r.deviceTime, kind: r.kind, value: r.observations[0]?.value, flags: [...r.flags].sort() });
const mgdl = (value: number, comparator?: '<' | '>'): unknown => ({ kind: 'quantity', value, unit: 'mg/dL', ...(comparator ? { comparator } : {}) });

/** The notes' example records: 2024-03-05 07:42 104 mg/dL and (0x20B = 523, 0x1AE = 430) 2023-03-05 04:30 120 mg/dL. */
const NOTES_EXPECTED = [
  { deviceTime: '2024-03-05T07:42:00', kind: 'patient', value: mgdl(104), flags: [] },
  { deviceTime: '2023-03-05T04:30:00', kind: 'patient', value: mgdl(120), flags: [] },
];

/**
 * Records for the variants of §4.4, each with the reading the notes make of it. The bodies were
 * worked out apart from the emulator (python3, from the §4.4 table), e.g. 2-29-24 12:00 650 mg/dL:
 * month '2', 2924 = 0xB6C, 1200 = 0x4B0, 650 = 0x28A, then '0' '0'.
 */
const VARIANTS = [
  { record: { month: 3, day: 4, yy: 24, hour: 21, minute: 5, value: 130, control: '1' }, body: '31A883908201', expect: { deviceTime: '2024-03-04T21:05:00', kind: 'control', value: mgdl(130), flags: ['control-solution'] } },
  { record: { month: 2, day: 29, yy: 24, hour: 12, minute: 0, value: 650 }, body: '2B6C4B028A00', expect: { deviceTime: '2024-02-29T12:00:00', kind: 'patient', value: mgdl(600, '>'), flags: ['out-of-range:high'] } },
  { record: { month: 1, day: 2, yy: 24, hour: 6, minute: 15, value: 15 }, body: '10E026700F00', expect: { deviceTime: '2024-01-02T06:15:00', kind: 'patient', value: mgdl(20, '<'), flags: ['out-of-range:low'] } },
  // Character 7 = 'A': the unknown upper bit set over value bits 10..8 = 2 → 0x258 = 600 (plain, not HI).
  { record: { month: 12, day: 31, yy: 23, hour: 23, minute: 59, value: 600, char7High: true }, body: 'CC33937A5800', expect: { deviceTime: '2023-12-31T23:59:00', kind: 'patient', value: mgdl(600), flags: [] } },
  // Character 7 = '9': upper bit set, value 0x12C = 300; unknown character 10 and a tail kept.
  { record: { month: 11, day: 1, yy: 23, hour: 0, minute: 1, value: 300, char7High: true, char10: '3', tail: '7A' }, body: 'B07B00192C307A', expect: { deviceTime: '2023-11-01T00:01:00', kind: 'patient', value: mgdl(300), flags: [] } },
  { record: { month: 10, day: 10, yy: 23, hour: 9, minute: 9, value: 20 }, body: 'A3FF38D01400', expect: { deviceTime: '2023-10-10T09:09:00', kind: 'patient', value: mgdl(20), flags: [] } },
];
const VARIANT_BODIES = VARIANTS.map((v) => v.body);
const VARIANT_EXPECTED = VARIANTS.map((v) => v.expect);

/** The host behaved as the notes say: every report a valid §4.2 command, the §4.3 commands all sent. */
function expectCleanHost(run: HidDownload, log: MetrixMeterLog): void {
  expect(log.violations).toEqual([]);
  for (const c of ['(I)9A', '(Z1)DC', '(T)A5', '(G)98']) expect(log.commands).toContain(c);
  for (const report of run.fake.written) expect(report[0]).toBe(0x00);
}

describe('trividia-true-metrix against the notes’ meter (§4)', () => {
  let tmp: { dir: string; cleanup(): void };
  beforeEach(() => {
    tmp = tempDir();
  });
  afterEach(() => tmp.cleanup());

  it('the emulator reproduces the notes’ constants and example stream (its own sums, from §4.2)', () => {
    expect(['^', 'I', 'Z1', 'V', 'T', 'G', '*', '_'].map(frame)).toEqual(['(^)AF', '(I)9A', '(Z1)DC', '(V)A7', '(T)A5', '(G)98', '(*)7B', '(_)B0']);
    expect(frame('iMR2') + frame('z1ABC12345')).toBe('(iMR2)8B(z1ABC12345)C1');
    expect(frame(`t${NOTES_CLOCK}`)).toBe('(t003014050324)1B');
    expect(recordBody({ month: 3, day: 5, yy: 24, hour: 7, minute: 42, value: 104 })).toBe('320C2E606800');
    expect(recordBody({ month: 3, day: 5, yy: 23, hour: 4, minute: 30, value: 120 })).toBe('320B1AE07800');
    expect(resultsStream(NOTES_BODIES)).toBe('(g5320C2E606800)70(g5320B1AE07800)7A(xN0510)DD');
    for (const v of VARIANTS) expect(recordBody(v.record)).toBe(v.body);
  });

  it('reads the notes’ example exchange: model, serial, clock, both records in mg/dL on LOINC 41653-7', async () => {
    const { run, log } = await read();
    expect(run.result.end).toBe('completed');
    expect(run.result.problems).toEqual({});
    expectCleanHost(run, log);
    // host → HID: 00 A0 05 28 49 29 39 41 "(I)9A"
    const identify = run.fake.written.find((r) => r[3] === 0x28 && r[4] === 0x49);
    expect(identify?.slice(0, 8)).toEqual([0x00, 0xa0, 0x05, 0x28, 0x49, 0x29, 0x39, 0x41]);
    expect(run.result.readings.map(summary)).toEqual(NOTES_EXPECTED);
    for (const r of run.result.readings) {
      expect(r.observations[0]?.code).toBe('41653-7');
      expect(r.device).toEqual({ manufacturer: 'Trividia Health', model: 'TRUE METRIX', serial: 'ABC12345' });
    }
    // The record as sent is kept (its undecoded characters with it).
    expect(run.result.readings.map((r) => r.context?.notes?.[0]?.includes(`g5${NOTES_BODIES[run.result.readings.indexOf(r)]}`))).toEqual([true, true]);
    // No clock-set command is known (§4.3): the clock is read, never set.
    // (The emulator's clock stands still; the unanswered (V) costs the host its 2 s wait.)
    expect(run.result.deviceClock).toMatchObject({ deviceTime: '2024-03-05T14:30:00', canSet: false });
    expect(Math.abs(run.result.deviceClock?.skewMs ?? Number.NaN)).toBeLessThan(60_000);
    expect(run.timersLeft).toBe(0);
  });

  it('reads the §4.4 variants: control apart, HI > 600 and LO < 20, nibble 7 parsed as hex, unknown characters kept', async () => {
    const { run, log } = await read({ bodies: VARIANT_BODIES });
    expect(run.result.end).toBe('completed');
    expect(run.result.problems).toEqual({});
    expectCleanHost(run, log);
    expect(run.result.readings.map(summary)).toEqual(VARIANT_EXPECTED.map((e) => ({ ...e, flags: [...e.flags].sort() })));
    const kept = run.result.readings[4]?.context?.notes?.[0] ?? '';
    expect(kept).toContain('g5B07B00192C307A');
    expect(kept).toContain('"3"');
    expect(kept).toContain('"7A"');
  });

  it('the same readings whatever the input reports’ sizes (1 to 63 valid bytes, padded to 64 or not)', async () => {
    for (const [chunkSizes, unpadded] of [[[1], false], [[2, 5, 63, 7], false], [[13], true], [[63], true]] as const) {
      const { run, log } = await read({ bodies: VARIANT_BODIES, chunkSizes, unpadded });
      expect(run.result.end).toBe('completed');
      expect(run.result.problems).toEqual({});
      expectCleanHost(run, log);
      expect(run.result.readings.map(summary)).toEqual(VARIANT_EXPECTED.map((e) => ({ ...e, flags: [...e.flags].sort() })));
    }
  });

  it('an empty memory (only the x message, sum 0000) is a clean download of nothing', async () => {
    const { run, log } = await read({ bodies: [] });
    expect(run.result.end).toBe('completed');
    expect(run.result.problems).toEqual({});
    expectCleanHost(run, log);
    expect(run.result.readings).toEqual([]);
  });

  it.each([
    ['MR2', 'TRUE METRIX'],
    ['RC2', 'TRUE METRIX GO'],
    ['BLU', 'TRUE METRIX AIR'],
  ])('model code %s is the %s', async (model, name) => {
    const { run } = await read({ model });
    expect(run.result.end).toBe('completed');
    expect(run.result.readings.every((r) => r.device.model === name)).toBe(true);
  });

  it('a transfer whose x sum is wrong imports nothing; the host asks (G) again and reads each record once', async () => {
    const { run, log } = await read({ bodies: VARIANT_BODIES, firstSumWrong: true });
    expect(run.result.end).toBe('completed');
    expect(run.result.problems).toEqual({ PROTOCOL_CHECKSUM: 1 });
    expect(log.commands.filter((c) => c === '(G)98')).toHaveLength(2);
    expect(run.result.readings.map(summary)).toEqual(VARIANT_EXPECTED.map((e) => ({ ...e, flags: [...e.flags].sort() })));
  });

  it('a meter that is off after (_) until (^) is woken and read (§4.3 order)', async () => {
    const { run, log } = await read({ sleepsAfterPowerOff: true, asleepAtStart: true });
    expect(run.result.end).toBe('completed');
    expectCleanHost(run, log);
    expect(log.commands.indexOf('(_)B0')).toBeLessThan(log.commands.indexOf('(^)AF'));
    expect(log.commands.indexOf('(^)AF')).toBeLessThan(log.commands.indexOf('(I)9A'));
    expect(run.result.readings.map(summary)).toEqual(NOTES_EXPECTED);
  });

  it('the (V) reply, whose type the notes do not name, never stops the download', async () => {
    for (const firmwarePayload of [undefined, 'v1.10', 'F1.10']) {
      const { run, log } = await read(firmwarePayload === undefined ? {} : { firmwarePayload });
      expect(run.result.end).toBe('completed');
      expectCleanHost(run, log);
      expect(run.result.readings.map(summary)).toEqual(NOTES_EXPECTED);
      expect(run.result.readings[0]?.device.firmware).toBe(firmwarePayload === 'v1.10' ? '1.10' : undefined);
    }
  });

  it('the probe finds the notes’ meter, also one left off by a last (_), and nothing on a silent device', async () => {
    expect(await notesHidProbe(driver, NOTES_NOW, (fake) => trueMetrixNotesMeter(fake, { clock: NOTES_CLOCK, bodies: NOTES_BODIES }))).toEqual({ found: true, timersLeft: 0 });
    expect(await notesHidProbe(driver, NOTES_NOW, (fake) => trueMetrixNotesMeter(fake, { clock: NOTES_CLOCK, bodies: NOTES_BODIES, asleepAtStart: true }))).toEqual({ found: true, timersLeft: 0 });
    expect(await notesHidProbe(driver, NOTES_NOW, () => undefined)).toEqual({ found: false, timersLeft: 0 });
  });

  it('a second download into the same store brings nothing new', async () => {
    const first = ingestDownload(tmp.dir, (await read({ bodies: [...NOTES_BODIES, ...VARIANT_BODIES] })).run);
    expect(first).toHaveLength(8);
    expect(first.every((isNew) => isNew)).toBe(true);
    const second = ingestDownload(tmp.dir, (await read({ bodies: [...NOTES_BODIES, ...VARIANT_BODIES] })).run);
    expect(second).toHaveLength(8);
    expect(second.some((isNew) => isNew)).toBe(false);
  });
});
