import { describe, expect, it } from 'vitest';
import { platformSupportError, runAgainstSimulator, type TappedChunk } from '../../kit/index.ts';
import { decodeCbw } from '../../families/usb-storage/bot.ts';
import { lifescanOnetouchVerioDriver as driver } from './index.ts';

const START = Date.UTC(2026, 2, 2, 14, 0, 0);

/** Every CBW the host sent: opcode and LBA of each SCSI command. */
function commands(traffic: readonly TappedChunk[]): { op: number; lba: number }[] {
  return traffic
    .filter((c) => c.direction === 'out' && c.bytes.length === 31)
    .flatMap((c) => {
      const cbw = decodeCbw(c.bytes);
      return cbw ? [{ op: cbw.cdb[0] ?? 0, lba: new DataView(cbw.cdb.buffer, cbw.cdb.byteOffset).getUint32(2, false) }] : [];
    });
}

describe('lifescan-onetouch-verio against its simulator', () => {
  it('downloads the memory: INQUIRY first, writes only to sectors 3 and 4, control and HI/LO kept as such', async () => {
    const run = await runAgainstSimulator(driver, { scenario: 'memory', startMs: START });
    expect(run.result.error, run.result.error?.message).toBeUndefined();
    expect(run.result.readings).toHaveLength(20);
    expect(run.result.readings.filter((r) => r.kind === 'control')).toHaveLength(2);
    expect(run.result.readings[3]?.observations[0]?.value).toMatchObject({ comparator: '>', value: 600 });
    expect(run.result.readings[11]?.observations[0]?.value).toMatchObject({ comparator: '<', value: 20 });
    expect(run.result.readings[0]?.device).toMatchObject({ manufacturer: 'LifeScan', model: 'OneTouch Verio', serial: 'SIMVR0001', firmware: 'SIM 02.01' });
    const cmds = commands(run.traffic);
    expect(cmds[0]?.op).toBe(0x12);
    const writes = cmds.filter((c) => c.op === 0x2a);
    expect(writes.length).toBeGreaterThan(20);
    expect(new Set(writes.map((w) => w.lba))).toEqual(new Set([3, 4]));
    expect(run.result.deviceClock).toMatchObject({ canSet: true });
    expect(run.timersLeft).toBe(0);
  });

  it('a USB storage device that is not a LifeScan meter is refused before anything is written', async () => {
    const run = await runAgainstSimulator(driver, { scenario: 'not-lifescan', startMs: START });
    expect(run.result.error?.code).toBe('DEVICE_ERROR');
    expect(run.result.error?.message).toMatch(/vendor "SanDisk".*nothing was written/);
    expect(commands(run.traffic).filter((c) => c.op === 0x2a)).toEqual([]);
    expect(run.result.readings).toEqual([]);
  });

  it('a READ(10) that fails (CSW 01) is followed by REQUEST SENSE and asked again: nothing lost or doubled', async () => {
    const run = await runAgainstSimulator(driver, { scenario: 'command-failed', startMs: START });
    expect(run.result.error).toBeUndefined();
    expect(run.result.readings).toHaveLength(8);
    expect(new Set(run.result.readings.map((r) => r.deviceTime)).size).toBe(8);
    expect(commands(run.traffic).filter((c) => c.op === 0x03)).toHaveLength(1);
    expect(run.result.problems.DEVICE_ERROR).toBe(1);
  });

  it('a reply block that fails its CRC is read again', async () => {
    const run = await runAgainstSimulator(driver, { scenario: 'checksum-error', startMs: START });
    expect(run.result.error).toBeUndefined();
    expect(run.result.readings).toHaveLength(8);
    expect(run.result.problems.PROTOCOL_CHECKSUM).toBe(2);
  });

  it('the meter pulled out mid-download: the session ends TRANSPORT_CLOSED with the readings already made', async () => {
    const run = await runAgainstSimulator(driver, { scenario: 'unplug', startMs: START });
    expect(run.result.error?.code).toBe('TRANSPORT_CLOSED');
    expect(run.result.readings.length).toBeGreaterThan(0);
    expect(run.result.readings.length).toBeLessThan(20);
    expect(run.timersLeft).toBe(0);
  });

  it('the clock 2 h behind is reported, and set only on request', async () => {
    const run = await runAgainstSimulator(driver, { scenario: 'clock-off', startMs: START });
    expect(run.result.deviceClock?.skewMs).toBeGreaterThan(7_000_000);
    expect(run.result.readings.every((r) => r.flags.includes('clock-skew'))).toBe(true);
  });

  it('mmol display: values stay mg/dL, flagged', async () => {
    const run = await runAgainstSimulator(driver, { scenario: 'mmol', startMs: START });
    expect(run.result.readings).toHaveLength(6);
    for (const r of run.result.readings) {
      expect(r.observations[0]?.value).toMatchObject({ unit: 'mg/dL' });
      expect(r.flags).toContain('display-unit:mmol/L');
    }
  });
});

describe('where the Verio can be read', () => {
  it('Windows and macOS: a plain TRANSPORT_OPEN_FAILED saying it is not supported yet and why; Linux: no objection', () => {
    const win = platformSupportError(driver.manifest, 'win32');
    expect(win?.code).toBe('TRANSPORT_OPEN_FAILED');
    expect(win?.message).toMatch(/cannot be read on this computer yet\. Windows: not supported yet\..*usbstor.*helper/);
    const mac = platformSupportError(driver.manifest, 'darwin');
    expect(mac?.message).toMatch(/macOS: not supported yet\..*administrator.*helper/);
    expect(platformSupportError(driver.manifest, 'linux')).toBeUndefined();
    expect(driver.manifest.hints.some((h) => h.startsWith('Linux only for now'))).toBe(true);
  });
});
