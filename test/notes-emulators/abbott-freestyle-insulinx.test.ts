import { describe, expect, it } from 'vitest';
import { abbottFreestyleInsulinxDriver as driver } from '../../drivers/devices/abbott-freestyle-insulinx/index.ts';
import { runSession, TrackedClock, VirtualClock } from '../../drivers/kit/index.ts';
import { openHidLink } from '../../main/transports/hid.ts';
import { FakeHidDevice } from '../helpers/fake-hid.ts';
import { InsulinxNotesMeter, cksm, glucoseRecord, resultMessage, textReply, type InsulinxSpec, type MeterClock } from './abbott-freestyle-insulinx.ts';
import { emulatedHidDownload, expectNoNewReadings, expectReadings, type Expected } from './meter-readings.ts';

/**
 * abbott-freestyle-insulinx against an InsuLinx emulated from the glucose-meters-2 protocol notes
 * §3.5 and the FreeStyle HID shim of part 1 §3 (not from the driver, its family or its
 * simulator), behind the fake node-hid device through the real HID transport.
 */
const INSULINX = { vendorId: 0x1a61, productId: 0x3460 };
const START = Date.UTC(2026, 0, 15, 9, 0, 0);
/** The meter clock at START (tests run in UTC): 2026-01-15 09:00. */
const atStart = (): MeterClock => ({ month: 1, day: 15, year2: 26, hour: 9, minute: 0 });
const BASE: Omit<InsulinxSpec, 'records'> = { serial: 'JGGA123-K1234', version: '1.2.3', clock: atStart };

/** The notes' example records (§3.5): type 0, 2024-03-05 07:42 104 mg/dL and 2024-03-04 21:05 165 mg/dL. */
const NOTES_RECORDS = ['0,123,3,5,24,7,42,0,0,0,0,0,0,104,0,0', '0,122,3,4,24,21,5,0,0,0,0,0,0,165,0,0'];
const glucose = (value: number): Expected['observation'] => ({ code: '41653-7', value: { kind: 'quantity', value, unit: 'mg/dL' } });
const NOTES_EXPECTED: Expected[] = [
  { deviceTime: '2024-03-05T07:42:00', kind: 'patient', observation: glucose(104), flags: [] },
  { deviceTime: '2024-03-04T21:05:00', kind: 'patient', observation: glucose(165), flags: [] },
];

/** 40 glucose results (replies over ~15 reports), non-zero unknown fields, and one record of another type (1). */
function memory(): { records: string[]; expected: Expected[] } {
  const records: string[] = [];
  const expected: Expected[] = [];
  for (let i = 0; i < 40; i++) {
    const t = { month: 1 + (i % 12), day: 1 + i, year2: 25, hour: (i * 5) % 24, minute: (i * 7) % 60 };
    if (t.day > 28) t.day -= 27;
    const value = 40 + i * 11;
    records.push(glucoseRecord(500 + i, t, value, [i % 3, 1, 0, 2, 64, 0, i, 9]));
    const pad = (n: number): string => String(n).padStart(2, '0');
    expected.push({ deviceTime: `20${t.year2}-${pad(t.month)}-${pad(t.day)}T${pad(t.hour)}:${pad(t.minute)}:00`, kind: 'patient', observation: glucose(value), flags: [] });
    if (i === 17) records.push('1,517,6,19,25,8,30,0,0,0,0,0,0,12,0,0');
  }
  return { records, expected };
}

/** What the host sent, in order, as the emulator heard it. */
const INIT_THEN = (...commands: string[]): string[] => ['INIT', '$serlnum?', '$swver?', '$date?', '$time?', ...commands];

describe('the emulator reproduces the notes’ constructed vectors', () => {
  it('part 1 §3.4/§3.8 checksums and the §3.5 $result? example byte for byte', () => {
    expect(textReply('2.1.2\r\n')).toBe('2.1.2\r\nCKSM:00000108\r\nCMD OK\r\n');
    expect(cksm('DB Record Number = 226988\r\n')).toBe('00000765');
    expect(textReply('3,21,15\r\n')).toContain('CKSM:0000016B');
    const message = resultMessage(NOTES_RECORDS);
    expect(message).toBe(`${NOTES_RECORDS[0]}\r\n${NOTES_RECORDS[1]}\r\n2,00000DE2\r\n`);
    expect(textReply(message)).toBe(`${message}CKSM:00001002\r\nCMD OK\r\n`);
    expect(glucoseRecord(123, { month: 3, day: 5, year2: 24, hour: 7, minute: 42 }, 104)).toBe(NOTES_RECORDS[0]);
  });
});

describe('abbott-freestyle-insulinx against the notes-built InsuLinx (fake node-hid device, real HID transport)', () => {
  it('reads the notes’ example: 64-byte zero-padded commands sent bare, type-0 records as mg/dL glucose at their minute; a second download offers nothing new', async () => {
    let meter: InsulinxNotesMeter | undefined;
    const attach = (fake: FakeHidDevice): void => void (meter = new InsulinxNotesMeter({ ...BASE, records: NOTES_RECORDS }, fake.deviceLink));
    const run = await emulatedHidDownload(driver, START, INSULINX, attach);
    expect(run.result.end, run.result.error?.message).toBe('completed');
    expect(run.result.problems).toEqual({});
    expect(meter?.problems).toEqual([]);
    expect(meter?.heard).toEqual(INIT_THEN('$result?'));
    // node-hid takes a report-id byte 00 before each unnumbered 64-byte report (part 1 §3.1).
    for (const report of run.fake.written) expect(report.slice(0, 1).concat(report.length)).toEqual([0x00, 65]);
    expectReadings(run.result.readings, NOTES_EXPECTED, { manufacturer: 'Abbott', serial: 'JGGA123-K1234', firmware: '1.2.3' });
    expect(run.result.deviceClock).toMatchObject({ deviceTime: '2026-01-15T09:00:00', skewMs: 0 });
    expectNoNewReadings(run, await emulatedHidDownload(driver, START, INSULINX, attach));
  });

  it('reads 40 results cut over odd-sized reports with keep-alives and 30 01 85 between and garbage padding; the record of another type is not imported', async () => {
    const { records, expected } = memory();
    let meter: InsulinxNotesMeter | undefined;
    const run = await emulatedHidDownload(driver, START, INSULINX, (fake) => void (meter = new InsulinxNotesMeter({ ...BASE, records, cuts: [62, 17, 40, 1], keepAliveEvery: 3, unknownEvery: 7 }, fake.deviceLink)));
    expect(run.result.end, run.result.error?.message).toBe('completed');
    expect(meter?.problems).toEqual([]);
    expectReadings(run.result.readings, expected, { manufacturer: 'Abbott', serial: 'JGGA123-K1234' });
    expect(Object.keys(run.result.problems)).toEqual(['PROTOCOL_UNEXPECTED']);
  });

  it.each(['outer', 'inner'] as const)('a $result? reply whose %s checksum does not match is refused whole and asked again; the damaged value is never imported', async (corruptOnce) => {
    let meter: InsulinxNotesMeter | undefined;
    const run = await emulatedHidDownload(driver, START, INSULINX, (fake) => void (meter = new InsulinxNotesMeter({ ...BASE, records: NOTES_RECORDS, corruptOnce }, fake.deviceLink)));
    expect(run.result.end, run.result.error?.message).toBe('completed');
    expect(run.result.problems).toEqual({ PROTOCOL_CHECKSUM: 1 });
    expect(meter?.heard).toEqual(INIT_THEN('$result?', '$result?'));
    expectReadings(run.result.readings, NOTES_EXPECTED, { manufacturer: 'Abbott' });
  });

  it('an empty log ("Log Empty") completes with no reading', async () => {
    const run = await emulatedHidDownload(driver, START, INSULINX, (fake) => void new InsulinxNotesMeter({ ...BASE, records: [] }, fake.deviceLink));
    expect(run.result.end, run.result.error?.message).toBe('completed');
    expect(run.result.problems).toEqual({});
    expect(run.result.readings).toEqual([]);
  });

  it('a lost clock (255,255,255) keeps the record times as stored and flags the readings', async () => {
    const run = await emulatedHidDownload(driver, START, INSULINX, (fake) => void new InsulinxNotesMeter({ ...BASE, clock: () => 'lost', records: NOTES_RECORDS }, fake.deviceLink));
    expect(run.result.end, run.result.error?.message).toBe('completed');
    expect(run.result.readings.map((r) => r.deviceTime)).toEqual(['2024-03-05T07:42:00', '2024-03-04T21:05:00']);
    expect(run.result.readings.every((r) => r.flags.includes('meter-clock-unset'))).toBe(true);
  });

  it('a clock 3 h behind is set with $date,M,D,YY and $time,H,M without leading zeros', async () => {
    const behind = (): MeterClock => ({ month: 1, day: 15, year2: 26, hour: 6, minute: 0 });
    const fake = new FakeHidDevice(64, { usb: INSULINX });
    const meter = new InsulinxNotesMeter({ ...BASE, clock: behind, records: NOTES_RECORDS }, fake.deviceLink);
    const link = await openHidLink({ path: '/dev/hidraw9' }, { reportSize: 64, open: async () => fake });
    const virtual = new VirtualClock(Date.UTC(2026, 1, 3, 4, 5, 0));
    const session = runSession({ driver, link, clock: new TrackedClock(virtual), setDeviceClock: true });
    await virtual.runUntilIdle();
    const result = await session;
    await link.close();
    expect(result.end, result.error?.message).toBe('completed');
    expect(result.deviceClock?.set).toBe(true);
    expect(meter.problems).toEqual([]);
    expect(meter.heard.filter((h) => /^\$(date|time),/.test(h))).toEqual(['$date,2,3,26', '$time,4,5']);
  });
});
