import { describe, expect, it } from 'vitest';
import { DRIVERS } from '../drivers/index.ts';
import { VirtualClock } from '../drivers/kit/index.ts';
import { measureDownloadTime, wireMeters } from '../bench/download-time.ts';
import { createPacedPair } from '../bench/paced-link.ts';

/**
 * Meters download at wire speed (docs/architecture.md §12): on a link paced at the real speed and
 * a virtual clock, a 500-record download is idle for at most 15 % beyond its wire time. Virtual
 * time only counts the waits the driver, the kit and the simulator schedule, never how fast this
 * machine is, so this holds on any machine; the figures themselves are printed by
 * `npm run bench:downloads`.
 */
// Meters on a wire; the Accu-Chek Mobile's report is a file on its disk, with no wire time.
const METERS = wireMeters(DRIVERS);
const MAX_RATIO = 1.15;

describe('which meters are measured', () => {
  it('every download driver on a serial, HID or USB link, and only file or web-service meters left out', () => {
    const left = DRIVERS.filter((d) => d.manifest.kind === 'download' && !METERS.includes(d));
    expect(METERS.length).toBeGreaterThan(15);
    expect(left.map((d) => d.manifest.transport.type).every((t) => t === 'folder' || t === 'http')).toBe(true);
    expect(left.map((d) => d.manifest.id)).toContain('roche-accu-chek-mobile');
  });
});

describe('paced link', () => {
  it('serial: each byte takes 10 bits at the baud rate, writes queue behind each other, both ways are tallied', async () => {
    const clock = new VirtualClock();
    const start = clock.now();
    const pair = createPacedPair({ clock, mode: 'bytes', baud: 9600 });
    const arrivals: number[] = [];
    pair.device.onData(() => arrivals.push(clock.now() - start));
    await pair.host.write(new Uint8Array(96));
    await pair.host.write(new Uint8Array(48));
    await pair.device.write(new Uint8Array(960));
    await clock.runUntilIdle();
    expect(arrivals).toEqual([100, 150]);
    const { toDevice, toHost } = pair.tally();
    expect(toDevice).toEqual({ bytes: 144, writes: 2, wireMs: 150 });
    expect(toHost).toEqual({ bytes: 960, writes: 1, wireMs: 1000 });
  });

  it('HID: one report per interval, whatever its length', async () => {
    const clock = new VirtualClock();
    const start = clock.now();
    const pair = createPacedPair({ clock, mode: 'reports', reportSize: 64, reportIntervalMs: 1 });
    const arrivals: number[] = [];
    pair.host.onData(() => arrivals.push(clock.now() - start));
    await pair.device.write(new Uint8Array(64));
    await pair.device.write(new Uint8Array(3));
    await clock.runUntilIdle();
    expect(arrivals).toEqual([1, 2]);
    expect(pair.tally().toHost).toEqual({ bytes: 67, writes: 2, wireMs: 2 });
  });
});

describe.each(METERS.map((d) => [d.manifest.id, d] as const))('%s downloads at wire speed', (_id, driver) => {
  it(`500 records take at most ${MAX_RATIO}× the wire time (virtual clock)`, async () => {
    const r = await measureDownloadTime(driver, true);
    expect(r.warning).toBeUndefined();
    expect(r.end).toBe('completed');
    // A meter whose memory holds fewer than 500 (GLUCOCARD Expression: 300 slots) downloads it full.
    expect(r.readings).toBeGreaterThan(driver.manifest.id === 'arkray-glucocard-expression' ? 250 : 400);
    const { transport } = driver.manifest;
    // The wire time as the bench prints it: bytes both ways × 10 bits / baud, or reports (USB: transfers) × 1 ms.
    const expectedWire = transport.type === 'serial' ? ((r.bytesToHost + r.bytesToDevice) * 10) / transport.serial.baudRate : (r.writesToHost + r.writesToDevice) / 1000;
    expect(r.wireSeconds).toBeCloseTo(expectedWire, 6);
    expect(r.simulatedSeconds).toBeGreaterThanOrEqual(r.wireSeconds * 0.999);
    expect(r.ratio).toBeLessThanOrEqual(MAX_RATIO);
  });
});
