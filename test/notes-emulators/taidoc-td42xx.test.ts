import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Reading } from '../../shared/reading.ts';
import { taidocTd42xxDriver as driver } from '../../drivers/devices/taidoc-td42xx/index.ts';
import { tempDir } from '../helpers/store-fixtures.ts';
import { type HidDownload, hidDownload, ingestDownload } from '../helpers/hid-download.ts';
import { notesHidProbe } from './hid-probe.ts';
import { CMD, checksum, encodeTime, encodeValue, hex, packet, taidocNotesMeter, type MeterTime, type TaidocMeterLog, type TaidocMeterOptions, type TaidocRecord } from './taidoc-td42xx.ts';

/**
 * taidoc-td42xx against a meter built from the glucose-meters-2 protocol notes §7.1 (and the
 * CP2110 bridge of §5.1), through the real HID transport: what the notes say the meter sends,
 * and what we computed from that by hand, must be what the driver reads.
 */
const NOW = Date.UTC(2019, 7, 4, 14, 0, 0);
const CLOCK: MeterTime = { year: 2019, month: 8, day: 4, hour: 14, minute: 0 };

/** The notes' records: the published datetimes (glucometerutils vectors) and the notes' value reply `68 00 00 40`. */
const RECORDS: TaidocRecord[] = [
  { time: { year: 2019, month: 8, day: 4, hour: 13, minute: 37 }, value: 104, tag: 'before' },
  { time: { year: 2019, month: 1, day: 1, hour: 21, minute: 14 }, value: 165, tag: 'after' },
  { time: { year: 2018, month: 1, day: 1, hour: 21, minute: 14 }, value: 120, tag: 'control' },
  { time: { year: 2018, month: 1, day: 1, hour: 8, minute: 5 }, value: 650 },
  { time: { year: 2017, month: 12, day: 31, hour: 23, minute: 59 }, value: 15 },
  { time: { year: 2017, month: 12, day: 30, hour: 7, minute: 0 }, value: 600 },
  { time: { year: 2017, month: 12, day: 29, hour: 7, minute: 0 }, value: 20 },
];
/** What each record must become, from the notes alone: mg/dL always, HI > 600 and LO < 20 per the manual, tag 11 = control. */
const EXPECTED = [
  { deviceTime: '2019-08-04T13:37:00', kind: 'patient', value: { kind: 'quantity', value: 104, unit: 'mg/dL' }, flags: ['meal:before'] },
  { deviceTime: '2019-01-01T21:14:00', kind: 'patient', value: { kind: 'quantity', value: 165, unit: 'mg/dL' }, flags: ['meal:after'] },
  { deviceTime: '2018-01-01T21:14:00', kind: 'control', value: { kind: 'quantity', value: 120, unit: 'mg/dL' }, flags: ['control-solution'] },
  { deviceTime: '2018-01-01T08:05:00', kind: 'patient', value: { kind: 'quantity', value: 600, unit: 'mg/dL', comparator: '>' }, flags: ['out-of-range:high'] },
  { deviceTime: '2017-12-31T23:59:00', kind: 'patient', value: { kind: 'quantity', value: 20, unit: 'mg/dL', comparator: '<' }, flags: ['out-of-range:low'] },
  { deviceTime: '2017-12-30T07:00:00', kind: 'patient', value: { kind: 'quantity', value: 600, unit: 'mg/dL' }, flags: [] },
  { deviceTime: '2017-12-29T07:00:00', kind: 'patient', value: { kind: 'quantity', value: 20, unit: 'mg/dL' }, flags: [] },
];
const SERIAL_PARTS = [
  [0x78, 0x56, 0x34, 0x12],
  [0x21, 0x43, 0x65, 0x87],
] as const;

const read = async (opts: Partial<TaidocMeterOptions> = {}, extra: { now?: number; setDeviceClock?: boolean } = {}): Promise<{ run: HidDownload; log: TaidocMeterLog }> => {
  let log: TaidocMeterLog | undefined;
  const run = await hidDownload(driver, extra.now ?? NOW, {
    device: (fake) => (log = taidocNotesMeter(fake, { clock: CLOCK, records: RECORDS, serialParts: SERIAL_PARTS, ...opts })),
    ...(extra.setDeviceClock ? { setDeviceClock: true } : {}),
  });
  if (!log) throw new Error('the emulator was not plugged in');
  return { run, log };
};

const summary = (r: Reading): unknown => ({ deviceTime: r.deviceTime, kind: r.kind, value: r.observations[0]?.value, flags: [...r.flags].sort() });
const expected = (rows: typeof EXPECTED): unknown[] => rows.map((e) => ({ ...e, flags: [...e.flags].sort() }));

/** The host's side as the notes want it: 19200 8N1 then enable, every request a valid packet, never `52`. */
function expectCleanHost(log: TaidocMeterLog): void {
  expect(log.violations).toEqual([]);
  expect(log.features).toEqual([
    [0x50, 0x00, 0x00, 0x4b, 0x00, 0x00, 0x00, 0x03, 0x00],
    [0x41, 0x01],
  ]);
  expect(log.requests.some((r) => r[1] === CMD.clear)).toBe(false);
}

describe('taidoc-td42xx against the notes’ meter (§7.1 over the CP2110 of §5.1)', () => {
  let tmp: { dir: string; cleanup(): void };
  beforeEach(() => {
    tmp = tempDir();
  });
  afterEach(() => tmp.cleanup());

  it('the emulator reproduces the notes’ packets byte for byte (its own checksum, from the notes’ definition)', () => {
    expect(hex(packet(CMD.connect, [0, 0, 0, 0], 0xa3))).toBe('51 22 00 00 00 00 A3 16');
    expect(hex(packet(CMD.model, [0, 0, 0, 0], 0xa3))).toBe('51 24 00 00 00 00 A3 18');
    expect(hex(packet(CMD.model, [0x77, 0x42, 0x01, 0x00], 0xa5))).toBe('51 24 77 42 01 00 A5 D4');
    expect(hex(packet(CMD.count, [0x25, 0x00, 0x24, 0x00], 0xa5))).toBe('51 2B 25 00 24 00 A5 6A');
    expect(hex(packet(CMD.recTime, [1, 0, 0, 0], 0xa3))).toBe('51 25 01 00 00 00 A3 1A');
    expect(hex(packet(CMD.recValue, [0, 0, 0, 0], 0xa3))).toBe('51 26 00 00 00 00 A3 1A');
    expect(hex(packet(CMD.recValue, encodeValue(RECORDS[0] as TaidocRecord), 0xa5))).toBe('51 26 68 00 00 40 A5 C4');
    expect(hex(packet(CMD.setClock, encodeTime({ year: 2024, month: 3, day: 5, hour: 14, minute: 30 }), 0xa3))).toBe('51 33 65 30 1E 0E A3 E8');
    // The published datetimes (glucometerutils tests).
    expect(hex(encodeTime({ year: 2018, month: 1, day: 1, hour: 21, minute: 14 }))).toBe('21 24 0E 15');
    expect(hex(encodeTime({ year: 2019, month: 1, day: 1, hour: 21, minute: 14 }))).toBe('21 26 0E 15');
    expect(hex(encodeTime({ year: 2019, month: 8, day: 4, hour: 13, minute: 37 }))).toBe('04 27 25 0D');
    expect(checksum([0x51, 0x22, 0, 0, 0, 0, 0xa3])).toBe(0x16);
  });

  it('reads the notes’ records: values in mg/dL on LOINC 41653-7, meal tags, control apart, HI/LO, the published datetimes', async () => {
    const { run, log } = await read();
    expect(run.result.end).toBe('completed');
    expect(run.result.problems).toEqual({});
    expectCleanHost(log);
    // The first data report is the notes' verified vector, report id 8 = its byte count.
    expect(run.fake.written[0]).toEqual([0x08, 0x51, 0x22, 0x00, 0x00, 0x00, 0x00, 0xa3, 0x16]);
    expect(run.result.readings.map(summary)).toEqual(expected(EXPECTED));
    for (const r of run.result.readings) {
      expect(r.observations).toHaveLength(1);
      expect(r.observations[0]?.code).toBe('41653-7');
      // serial = hex(reversed part 2) + hex(reversed part 1) (§7.1, [INFERRED]).
      expect(r.device).toMatchObject({ manufacturer: 'TaiDoc', model: 'TD-4277', serial: '8765432112345678' });
    }
    expect(run.result.deviceClock).toMatchObject({ deviceTime: '2019-08-04T14:00:00', skewMs: 0 });
    // Index 0 is the newest: the host asked 25 then 26 for 0, 1, … in turn.
    const recordRequests = log.requests.filter((q) => q[1] === CMD.recTime || q[1] === CMD.recValue).map((q) => `${q[1]?.toString(16)}:${q[2]}`);
    expect(recordRequests).toEqual(RECORDS.flatMap((_r, i) => [`25:${i}`, `26:${i}`]));
    expect(run.timersLeft).toBe(0);
  });

  it('37 records: the meter sends the notes’ model, count and value replies byte for byte, and all 37 are read', async () => {
    const older = Array.from({ length: 36 }, (_v, i): TaidocRecord => ({ time: { year: 2019, month: 7, day: 1 + (i % 28), hour: 8 + Math.floor(i / 28), minute: i }, value: 80 + i }));
    const records = [RECORDS[0] as TaidocRecord, ...older];
    const { run, log } = await read({ records });
    expect(run.result.end).toBe('completed');
    expect(run.result.problems).toEqual({});
    expectCleanHost(log);
    const sent = log.replies.map(hex);
    expect(sent).toContain('51 24 77 42 01 00 A5 D4');
    expect(sent).toContain('51 2B 25 00 24 00 A5 6A');
    expect(sent).toContain('51 26 68 00 00 40 A5 C4');
    expect(run.result.readings).toHaveLength(37);
    expect(run.result.readings.slice(1).map((r) => [r.deviceTime, r.observations[0]?.value])).toEqual(
      older.map((o) => [`2019-07-${String(o.time.day).padStart(2, '0')}T${String(o.time.hour).padStart(2, '0')}:${String(o.time.minute).padStart(2, '0')}:00`, { kind: 'quantity', value: o.value, unit: 'mg/dL' }]),
    );
  });

  it('the probe (discovery on the generic CP2110 id) finds the notes’ meter and nothing on a silent bridge', async () => {
    expect(await notesHidProbe(driver, NOW, (fake) => taidocNotesMeter(fake, { clock: CLOCK, records: RECORDS }))).toEqual({ found: true, timersLeft: 0 });
    expect(await notesHidProbe(driver, NOW, () => undefined)).toEqual({ found: false, timersLeft: 0 });
  });

  it('a second download into the same store brings nothing new', async () => {
    const first = ingestDownload(tmp.dir, (await read()).run);
    expect(first).toHaveLength(RECORDS.length);
    expect(first.every((isNew) => isNew)).toBe(true);
    const second = ingestDownload(tmp.dir, (await read()).run);
    expect(second).toHaveLength(RECORDS.length);
    expect(second.some((isNew) => isNew)).toBe(false);
  });

  it.each([
    ['22', CMD.connect],
    ['24', CMD.model],
    ['54', CMD.notice],
  ])('a connect answered with command %s means connected (§7.1)', async (_name, connectReply) => {
    const { run, log } = await read({ connectReply });
    expect(run.result.end).toBe('completed');
    expectCleanHost(log);
    expect(run.result.readings.map(summary)).toEqual(expected(EXPECTED));
  });

  it('an unsolicited 54 instead of a reply: the host asks again and reads the same', async () => {
    for (const noticeInsteadOf of [CMD.model, CMD.count, CMD.recValue]) {
      const { run, log } = await read({ noticeInsteadOf });
      expect(run.result.end).toBe('completed');
      expectCleanHost(log);
      expect(run.result.readings.map(summary)).toEqual(expected(EXPECTED));
    }
  });

  it('an unsolicited 54 as soon as the UART is on, before the host asked anything, is no problem', async () => {
    const { run, log } = await read({ noticeOnEnable: true });
    expect(run.result.end).toBe('completed');
    expectCleanHost(log);
    expect(run.result.problems).toEqual({});
    expect(run.result.readings.map(summary)).toEqual(expected(EXPECTED));
  });

  it('an empty meter (count 0, unknown word FFFF) is a clean download of nothing', async () => {
    const { run, log } = await read({ records: [] });
    expect(run.result.end).toBe('completed');
    expect(run.result.problems).toEqual({});
    expectCleanHost(log);
    expect(run.result.readings).toEqual([]);
    expect(log.requests.some((q) => q[1] === CMD.recTime || q[1] === CMD.recValue)).toBe(false);
  });

  it('replies cut over two input reports, each padded to 64 bytes, read the same', async () => {
    for (const splitAt of [1, 3, 7]) {
      const { run, log } = await read({ splitAt });
      expect(run.result.end).toBe('completed');
      expectCleanHost(log);
      expect(run.result.readings.map(summary)).toEqual(expected(EXPECTED));
    }
  });

  it('bits the notes mask (time) or leave out of the flags (M2, M3 bits 1..0) change nothing', async () => {
    const { run, log } = await read({ noise: true });
    expect(run.result.end).toBe('completed');
    expect(run.result.problems).toEqual({});
    expectCleanHost(log);
    expect(run.result.readings.map(summary)).toEqual(expected(EXPECTED));
  });

  it('a record stored with no calendar time (2000-00-00) is reported and skipped; the older records are still read', async () => {
    const broken: TaidocRecord = { time: { year: 2000, month: 0, day: 0, hour: 0, minute: 0 }, value: 99 };
    const records = [RECORDS[0] as TaidocRecord, broken, ...RECORDS.slice(1)];
    const { run, log } = await read({ records });
    expect(run.result.end).toBe('completed');
    expectCleanHost(log);
    expect(run.result.readings.map(summary)).toEqual(expected(EXPECTED));
    const said = run.events.flatMap((e) => (e.type === 'problem' ? [e.message] : []));
    expect(said.some((m) => /record 2 of 8 is stored with a time that is no calendar time \(51 25 00 00 00 00 A5 1B\)/.test(m))).toBe(true);
    expect(run.events.filter((e) => e.type === 'progress').at(-1)).toEqual({ type: 'progress', done: 8, total: 8 });
  });

  it('a meter that does not answer the [INFERRED] serial commands is read without a serial number', async () => {
    const { run, log } = await read({ serialParts: undefined });
    expect(run.result.end).toBe('completed');
    expectCleanHost(log);
    expect(run.result.readings.map(summary)).toEqual(expected(EXPECTED));
    expect(run.result.readings.every((r) => r.device.serial === undefined && r.device.model === 'TD-4277')).toBe(true);
  });

  it('a result of another measurement type (07 ketone) is not imported as glucose', async () => {
    const ketone: TaidocRecord = { time: { year: 2019, month: 8, day: 4, hour: 13, minute: 50 }, value: 12, type: 0x07 };
    const { run, log } = await read({ records: [ketone, ...RECORDS] });
    expect(run.result.end).toBe('completed');
    expectCleanHost(log);
    expect(run.result.readings.map(summary)).toEqual(expected(EXPECTED));
  });

  it('sets a wrong meter clock with the notes’ SET packet and reads the echo', async () => {
    const now = Date.UTC(2024, 2, 5, 14, 30, 0);
    const { run, log } = await read({}, { now, setDeviceClock: true });
    expect(run.result.end).toBe('completed');
    expectCleanHost(log);
    // The constructed example: SET 2024-03-05 14:30 = 51 33 65 30 1E 0E A3 E8 (vitest runs in UTC).
    expect(log.requests.filter((q) => q[1] === CMD.setClock).map(hex)).toEqual(['51 33 65 30 1E 0E A3 E8']);
    expect(run.result.deviceClock).toMatchObject({ deviceTime: '2019-08-04T14:00:00', canSet: true, set: true });
  });
});
