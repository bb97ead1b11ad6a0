import { SerialPort } from 'serialport';
import { afterEach, describe, expect, it } from 'vitest';
import { isensCaresensDriver as driver } from '../../drivers/devices/isens-caresens/index.ts';
import { ndjson, runCli } from '../helpers/cli.ts';
import { cliScope } from '../helpers/cli-scope.ts';
import { expectNothingNew } from '../helpers/meter-pty.ts';
import { Cp2110Bridge, ECHO, IspcNotesMeter, MARK, ShineHid, crc16CcittFalse, ispcFrame, meterTimeOf, type IspcMeterSpec, type NotesRecord } from './isens-caresens.ts';
import { type EmulatedDownload, emulatedHidDownload, expectNoNewReadings, type Expected, expectReadings } from './meter-readings.ts';

/**
 * isens-caresens against an i-SENS meter emulated from the glucose-meters-2 protocol notes §5
 * (not from the driver or its simulator): the notes' vectors, then a download over each link the
 * notes list — the FTDI serial cable (a socat pty, `pochub read` as a child), the CP2110 bridge
 * and the Shine Connex's plain HID (behind the fake node-hid device, the real HID transport).
 */
const scope = cliScope('pochub-notes-isens-');
// Registered after cliScope's: vitest runs after-hooks last-first, so the ports close before socat goes.
const ports: SerialPort[] = [];
afterEach(async () => {
  for (const port of ports.splice(0)) if (port.isOpen) await new Promise<void>((resolve) => port.close(() => resolve()));
});
const hex = (s: string): number[] => s.trim().split(/\s+/).map((b) => parseInt(b, 16));

describe('the emulator reproduces the notes’ constructed vectors (§5.3)', () => {
  it('CRC-16/CCITT-FALSE check value, the five requests and the two replies byte for byte', () => {
    expect(crc16CcittFalse([...'123456789'].map((c) => c.charCodeAt(0)))).toBe(0x29b1);
    expect(ispcFrame('RSNB')).toEqual(hex('02 69 53 50 63 07 52 53 4E 42 B1 4C 03'));
    expect(ispcFrame('RTIM')).toEqual(hex('02 69 53 50 63 07 52 54 49 4D 75 CF 03'));
    expect(ispcFrame('NCOT')).toEqual(hex('02 69 53 50 63 07 4E 43 4F 54 BB 7F 03'));
    expect(ispcFrame('GLUE', [0x00, 0x01, 0x1b])).toEqual(hex('02 69 53 50 63 0A 47 4C 55 45 00 01 1B EA 31 03'));
    expect(ispcFrame('WTIM', [24, 3, 5, 14, 30, 0])).toEqual(hex('02 69 53 50 63 0D 57 54 49 4D 18 03 05 0E 1E 00 9F 28 03'));
    expect(ispcFrame('NCOT', [0x00, 0x25])).toEqual(hex('02 69 53 50 63 09 4E 43 4F 54 00 25 43 BE 03'));
    const glue = new IspcNotesMeter({ serial: 'X', clock: () => [24, 3, 5, 8, 0, 0], records: NOTES_VECTOR, glueCrc: 'computed' }, (b) => replies.push(...b));
    const replies: number[] = [];
    glue.feed(ispcFrame('GLUE', [0x00, 0x01, 0x02]));
    expect(replies).toEqual(hex('02 69 53 50 63 19 47 4C 55 45 18 03 05 07 2A 00 10 00 68 18 03 04 15 05 00 02 00 A5 F8 87 03'));
  });
});

/** The notes' GLUE reply vector: 2024-03-05 07:42 104 mg/dL fasting; 2024-03-04 21:05 165 mg/dL post-meal. */
const NOTES_VECTOR: NotesRecord[] = [
  { time: [24, 3, 5, 7, 42, 0], flags: 0x10, value: 104 },
  { time: [24, 3, 4, 21, 5, 0], flags: 0x02, value: 165 },
];

/**
 * A memory of 31 records (two GLUE blocks: 27 + 4), newest first, with every FLAGS bit of the
 * notes' table: control solution, HI and LO with their validity bit 0x80, ketone (value/10
 * mmol/L) and ketone HI, fasting and post-meal, and the notes' two vector records.
 */
function notesMemory(): { records: NotesRecord[]; expected: Expected[] } {
  const records: NotesRecord[] = [];
  const expected: Expected[] = [];
  const glucose = (value: number): Expected['observation'] => ({ code: '41653-7', value: { kind: 'quantity', value, unit: 'mg/dL' } });
  const add = (r: NotesRecord, e: Omit<Expected, 'deviceTime'>): void => {
    records.push(r);
    const [yy, mo, d, h, mi, s] = r.time.map((n) => String(n).padStart(2, '0'));
    expected.push({ deviceTime: `20${yy}-${mo}-${d}T${h}:${mi}:${s}`, ...e });
  };
  add({ time: [24, 3, 6, 9, 15, 30], flags: 0x01 | 0x20, value: 118 }, { kind: 'control', observation: glucose(118), flags: ['control-solution'] });
  add({ time: [24, 3, 6, 8, 2, 5], flags: 0x80 | 0x08, value: 600 }, { kind: 'patient', observation: { code: '41653-7', interpretation: 'HH', value: { kind: 'quantity', value: 600, unit: 'mg/dL', comparator: '>' } }, flags: ['out-of-range:high'] });
  add({ time: [24, 3, 6, 7, 59, 59], flags: 0x80 | 0x04, value: 20 }, { kind: 'patient', observation: { code: '41653-7', interpretation: 'LL', value: { kind: 'quantity', value: 20, unit: 'mg/dL', comparator: '<' } }, flags: ['out-of-range:low'] });
  add({ time: [24, 3, 5, 22, 10, 0], flags: 0x40, value: 12 }, { kind: 'patient', observation: { code: '66441-7', value: { kind: 'quantity', value: 1.2, unit: 'mmol/L' } }, flags: [] });
  add({ time: [24, 3, 5, 21, 0, 0], flags: 0x40 | 0x80 | 0x08, value: 85 }, { kind: 'patient', observation: { code: '66441-7', interpretation: 'HH', value: { kind: 'quantity', value: 8, unit: 'mmol/L', comparator: '>' } }, flags: ['out-of-range:high'] });
  add({ time: [24, 3, 5, 12, 0, 0], flags: 0x20, value: 97 }, { kind: 'patient', observation: glucose(97), flags: [] });
  add(NOTES_VECTOR[0] as NotesRecord, { kind: 'patient', observation: glucose(104), flags: ['meal:fasting'] });
  add(NOTES_VECTOR[1] as NotesRecord, { kind: 'patient', observation: glucose(165), flags: ['meal:after'] });
  for (let i = 0; i < 23; i++) {
    const value = 70 + i * 7;
    add({ time: [24, 3, 3 - Math.floor(i / 12), 20 - (i % 12), i, 0], flags: 0x20, value }, { kind: 'patient', observation: glucose(value), flags: [] });
  }
  return { records, expected };
}

/** The meter's clock: the workstation's (tests run in UTC, and the CLI with TZ=UTC). */
const nowClock = (): ReturnType<typeof meterTimeOf> => meterTimeOf(Date.now());

/** 10 bytes of 10 bits each at 9600 baud. */
const WIRE_MS_PER_10_BYTES = Math.ceil((10 * 10 * 1000) / 9600);

/** The emulated meter on one end of a socat pty pair, opened with serialport at 9600 8N1 (§5.1). */
async function meterOnPty(spec: IspcMeterSpec): Promise<{ meter: IspcNotesMeter; port: string; data: string }> {
  const pty = await scope.ptyPair();
  const serial = new SerialPort({ path: pty.a, baudRate: 9600, dataBits: 8, parity: 'none', stopBits: 1, autoOpen: false });
  await new Promise<void>((resolve, reject) => serial.open((e) => (e ? reject(e) : resolve())));
  // Replies go out at the line's pace (9600 8N1: ~1 ms a byte), 10 bytes at a time and in order,
  // so the driver reassembles frames that arrive in pieces, as from a real cable.
  let queue = Promise.resolve();
  const paced = async (bytes: Uint8Array): Promise<void> => {
    for (let at = 0; at < bytes.length; at += 10) {
      serial.write(Buffer.from(bytes.subarray(at, at + 10)));
      await new Promise((resolve) => setTimeout(resolve, WIRE_MS_PER_10_BYTES));
    }
  };
  const meter = new IspcNotesMeter(spec, (bytes) => void (queue = queue.then(() => paced(bytes))));
  serial.on('data', (chunk: Buffer) => meter.feed(chunk));
  ports.push(serial);
  return { meter, port: pty.b, data: scope.tempDir() };
}

const read = (port: string, data: string, extra: string[] = []): ReturnType<typeof runCli> =>
  runCli(['read', '--driver', driver.manifest.id, '--port', port, '--json', '--data', data, '--timeout', '120', ...extra]);

describe('isens-caresens over the FTDI serial cable (socat pty, pochub read)', () => {
  it('downloads 31 records in GLUE blocks of 27, each as the notes define it; a second read offers nothing new', { timeout: 120_000 }, async () => {
    const { records, expected } = notesMemory();
    const { meter, port, data } = await meterOnPty({ serial: 'RP1234567', serialTrailer: 0x31, clock: nowClock, records });
    const first = await read(port, data);
    expect(first.code, first.stderr).toBe(0);
    expectReadings(ndjson(first.stdout), expected, { manufacturer: 'i-SENS', serial: 'RP1234567' });
    expect(meter.refused).toEqual([]);
    // §5.4: ECHO first, then RSNB → RTIM → NCOT → GLUE from 1 in blocks of 27.
    expect(meter.heard[0]).toBe('ECHO');
    expect(meter.heard.filter((h) => h !== 'ECHO')).toEqual(['RSNB', 'RTIM', 'NCOT', 'GLUE 1+27', 'GLUE 28+4']);
    expectNothingNew(await read(port, data), 31);
  });

  it('an empty memory (NCOT 0) asks for no record and says no readings arrived', { timeout: 120_000 }, async () => {
    const { meter, port, data } = await meterOnPty({ serial: 'RP1234567', clock: nowClock, records: [] });
    const run = await read(port, data);
    expect(run.code, run.stderr).toBe(3);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain('no readings arrived');
    expect(meter.heard.filter((h) => h !== 'ECHO')).toEqual(['RSNB', 'RTIM', 'NCOT']);
  });

  it('a meter clock 2 h behind is set with WTIM (--set-clock), the new time echoed; an error reply (TOUT) is asked again', { timeout: 120_000 }, async () => {
    const behind = (): ReturnType<typeof meterTimeOf> => meterTimeOf(Date.now() - 2 * 3600_000);
    const { meter, port, data } = await meterOnPty({ serial: 'RP1234567', clock: behind, records: NOTES_VECTOR, errorOnce: { GLUE: 'TOUT' } });
    const run = await read(port, data, ['--set-clock']);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toContain('the device clock was set');
    const readings = ndjson(run.stdout);
    expect(readings.map((r) => r['deviceTime'])).toEqual(['2024-03-05T07:42:00', '2024-03-04T21:05:00']);
    expect(readings.every((r) => (r['flags'] as string[]).includes('clock-skew'))).toBe(true);
    expect(meter.heard.filter((h) => h !== 'ECHO').map((h) => h.replace(/^WTIM .*/, 'WTIM'))).toEqual(['RSNB', 'RTIM', 'NCOT', 'GLUE (answered TOUT)', 'GLUE 1+2', 'WTIM']);
    // The meter now keeps the workstation's time, to the minute (the set took well under a minute).
    const [yy, mo, d, h, mi] = meter.clockNow;
    const [wyy, wmo, wd, wh, wmi] = meterTimeOf(Date.now());
    expect(Math.abs(Date.UTC(yy, mo, d, h, mi) - Date.UTC(wyy, wmo, wd, wh, wmi))).toBeLessThanOrEqual(60_000);
  });

  it('a protocol-1 meter (ECHO answered 20) is refused with a clear message, nothing asked beyond ECHO', { timeout: 120_000 }, async () => {
    const { meter, port, data } = await meterOnPty({ serial: 'X', clock: nowClock, records: NOTES_VECTOR, echo: [MARK.protocol1] });
    const run = await read(port, data);
    expect(run.code).not.toBe(0);
    expect(run.stderr).toMatch(/protocol 1/);
    expect(meter.heard.every((h) => h === 'ECHO')).toBe(true);
  });
});

const START = Date.UTC(2026, 0, 15, 9, 0, 0);
const startClock = (): ReturnType<typeof meterTimeOf> => meterTimeOf(START);

describe('isens-caresens behind the CP2110 bridge (fake node-hid device, real HID transport)', () => {
  it('configures the UART 9600 8N1 and enables it before any byte, numbers each report by its exact count, and reads every record as the notes define it', async () => {
    const { records, expected } = notesMemory();
    let meter: IspcNotesMeter | undefined;
    let bridge: Cp2110Bridge | undefined;
    const run = await emulatedHidDownload(driver, START, { vendorId: 0x10c4, productId: 0x8a32 }, (fake) => {
      // §5.3: RSNB's serial is trimmed of spaces.
      bridge = new Cp2110Bridge(fake.deviceLink, (send) => (meter = new IspcNotesMeter({ serial: ' CSN0000042  ', clock: startClock, records }, send)));
      fake.onFeature = (report) => bridge?.feature(report);
    });
    expect(run.result.end, run.result.error?.message).toBe('completed');
    expect(bridge?.problems).toEqual([]);
    expect(meter?.refused).toEqual([]);
    expect(run.fake.written[0]).toEqual([0x01, ECHO]);
    expectReadings(run.result.readings, expected, { manufacturer: 'i-SENS', serial: 'CSN0000042' });
    expect(meter?.heard.filter((h) => h !== 'ECHO')).toEqual(['RSNB', 'RTIM', 'NCOT', 'GLUE 1+27', 'GLUE 28+4']);
    expectNoNewReadings(run, await emulatedHidDownload(driver, START, { vendorId: 0x10c4, productId: 0x8a32 }, (fake) => {
      const again = new Cp2110Bridge(fake.deviceLink, (send) => new IspcNotesMeter({ serial: 'CSN0000042', clock: startClock, records }, send));
      fake.onFeature = (report) => again.feature(report);
    }));
  });

  it('an ECHO answer that carries the echo byte before the mark, and GLUE replies with the notes’ computed CRC, read the same', async () => {
    let bridge: Cp2110Bridge | undefined;
    const run = await emulatedHidDownload(driver, START, { vendorId: 0x10c4, productId: 0x8a32 }, (fake) => {
      bridge = new Cp2110Bridge(fake.deviceLink, (send) => new IspcNotesMeter({ serial: 'CSN0000042', clock: startClock, records: NOTES_VECTOR, echo: [ECHO, MARK.protocol3], glueCrc: 'computed' }, send));
      fake.onFeature = (report) => bridge?.feature(report);
    });
    expect(run.result.problems).toEqual({});
    expect(bridge?.problems).toEqual([]);
    expect(run.result.readings.map((r) => [r.deviceTime, r.observations[0]?.value])).toEqual([
      ['2024-03-05T07:42:00', { kind: 'quantity', value: 104, unit: 'mg/dL' }],
      ['2024-03-04T21:05:00', { kind: 'quantity', value: 165, unit: 'mg/dL' }],
    ]);
  });
});

describe('isens-caresens behind the CP2110: the notes’ other variants', () => {
  const cp2110 = { vendorId: 0x10c4, productId: 0x8a32 };
  const download = (spec: Omit<IspcMeterSpec, 'serial' | 'clock'>, chunk?: number): Promise<EmulatedDownload & { meter: IspcNotesMeter | undefined }> => {
    let meter: IspcNotesMeter | undefined;
    return emulatedHidDownload(driver, START, cp2110, (fake) => {
      const bridge = new Cp2110Bridge(fake.deviceLink, (send) => (meter = new IspcNotesMeter({ serial: 'CSN0000042', clock: startClock, ...spec }, send)), chunk);
      fake.onFeature = (report) => bridge.feature(report);
    }).then((run) => Object.assign(run, { meter }));
  };

  it('300 records (NCOT and GLUE start above 255, big-endian) arriving 5 bytes per report are read once each, in 12 blocks', async () => {
    const records: NotesRecord[] = Array.from({ length: 300 }, (_, i) => ({ time: [25, 1 + (i % 12), 1 + (i % 28), i % 24, i % 60, i % 60], flags: 0x20, value: 50 + i }));
    const run = await download({ records }, 5);
    expect(run.result.end, run.result.error?.message).toBe('completed');
    expect(run.result.problems).toEqual({});
    expect(run.result.readings.map((r) => r.observations[0]?.value)).toEqual(records.map((r) => ({ kind: 'quantity', value: r.value, unit: 'mg/dL' })));
    const blocks = run.meter?.heard.filter((h) => h.startsWith('GLUE'));
    expect(blocks).toEqual([...Array.from({ length: 11 }, (_, i) => `GLUE ${1 + 27 * i}+27`), 'GLUE 298+3']);
  });

  it('a meter that never answers ECHO is read as protocol 3 (§5.2: on HID the host only pings), with one problem said', async () => {
    const run = await download({ records: NOTES_VECTOR, echo: [] });
    expect(run.result.end, run.result.error?.message).toBe('completed');
    expect(run.result.readings).toHaveLength(2);
    expect(run.meter?.heard.filter((h) => h === 'ECHO').length).toBeGreaterThanOrEqual(3);
  });

  it('a protocol-2 answer (2F) is not read as protocol 3: the session ends with a clear DEVICE_ERROR before any record', async () => {
    const run = await download({ records: NOTES_VECTOR, echo: [MARK.protocol2] });
    expect(run.result.end).toBe('failed');
    expect(run.result.error?.code).toBe('DEVICE_ERROR');
    expect(run.result.error?.message).toMatch(/protocol 2/);
    expect(run.meter?.heard.every((h) => h === 'ECHO')).toBe(true);
  });
});

describe('isens-caresens on the GLUCOCARD Shine Connex plain HID (0483:a18b, output report id 1)', () => {
  it('sends no feature report, writes every report with id 1, and reads every record as the notes define it; a second download offers nothing new', async () => {
    const { records, expected } = notesMemory();
    const shine = { vendorId: 0x0483, productId: 0xa18b };
    let meter: IspcNotesMeter | undefined;
    let hid: ShineHid | undefined;
    const run = await emulatedHidDownload(driver, START, shine, (fake) => {
      hid = new ShineHid(fake.deviceLink, (send) => (meter = new IspcNotesMeter({ serial: 'GSC7654321', clock: startClock, records }, send)));
    });
    expect(run.result.end, run.result.error?.message).toBe('completed');
    expect(run.fake.features).toEqual([]);
    expect(run.fake.written.every((r) => r[0] === 0x01)).toBe(true);
    expect(hid?.problems).toEqual([]);
    expect(meter?.refused).toEqual([]);
    expectReadings(run.result.readings, expected, { manufacturer: 'i-SENS', serial: 'GSC7654321' });
    expectNoNewReadings(run, await emulatedHidDownload(driver, START, shine, (fake) => void new ShineHid(fake.deviceLink, (send) => new IspcNotesMeter({ serial: 'GSC7654321', clock: startClock, records }, send))));
  });
});
