/**
 * A HID meter's download through the real HID transport (main/transports/hid.ts), with the driver's
 * simulator (or a scripted meter) behind a FakeHidDevice, and the readings stored in a real SQLite
 * store: the harness the main/transports/hid-<driver>.test.ts files share. The report size, the
 * CP2110 numbering and the USB ids come from the driver's manifest.
 */
import { expect } from 'vitest';
import type { Reading } from '../../shared/reading.ts';
import { type Driver, type Link, runSession, type UsbIds, type SessionEvent, type SessionResult, type TappedChunk, TappedLink, TrackedClock, VirtualClock } from '../../drivers/kit/index.ts';
import { openHidLink } from '../../main/transports/hid.ts';
import { storeFile } from '../../main/paths.ts';
import { openStore } from '../../main/store/open-store.ts';
import { readingFingerprint } from '../../main/store/fingerprint.ts';
import { FakeHidDevice } from './fake-hid.ts';

export interface HidDownload {
  result: SessionResult;
  events: SessionEvent[];
  /** Each reading's raw frames, in reading order (what the store keeps beside it). */
  raw: Uint8Array[][];
  /** Every report the host received and wrote, on the virtual clock. */
  traffic: TappedChunk[];
  fake: FakeHidDevice;
  /** The USB ids the opened Link reports (what the driver frames by). */
  usb: UsbIds | undefined;
  timersLeft: number;
}

export interface HidDownloadOptions {
  /** The simulator scenario (default `memory`); ignored when `meter` plays the device. */
  scenario?: string;
  /** Plays the device on `fake.deviceLink` instead of the driver's simulator. */
  meter?: (device: Link) => void;
  /**
   * Plays the device with the FakeHidDevice itself, instead of the driver's simulator: called once
   * before the host opens it, so it also sees the feature reports the host sends (a notes-built
   * CP2110 bridge moves no byte before its UART is enabled, test/notes-emulators).
   */
  device?: (fake: FakeHidDevice, clock: VirtualClock) => void;
  /** Ask the driver to set the meter clock when it is off. */
  setDeviceClock?: boolean;
  /** Sees every input report before node-hid "reads" it; `deliver` passes one on (or another). */
  onReport?: (report: Uint8Array, fake: FakeHidDevice, deliver: (r: Uint8Array | number[]) => void) => void;
  /**
   * Open the device by OS path, as the hub opens a discovered port, instead of by the manifest's
   * first USB id: the ids then come from the device (node-hid's `getDeviceInfo`), so a driver that
   * tells its devices apart by them sees `usb`.
   */
  byPath?: { path: string; usb: UsbIds };
}

/** The HID facts of a driver's manifest: report size, CP2110 numbering, first USB id. */
function hidFacts(driver: Driver): { reportSize: number; numberedByDriver: boolean; vendorId: number; productId: number } {
  const { transport, usb } = driver.manifest;
  const id = usb[0];
  if (transport.type !== 'hid' || !id) throw new Error(`${driver.manifest.id} is no HID driver with a USB id`);
  return { reportSize: transport.reportSize, numberedByDriver: transport.numberedByDriver === true, vendorId: id.vendorId, productId: id.productId };
}

/** One session over the real HID Link on a virtual clock from `startMs`, until it ends. */
export async function hidDownload(driver: Driver, startMs: number, opts: HidDownloadOptions = {}): Promise<HidDownload> {
  const { reportSize, numberedByDriver, vendorId, productId } = hidFacts(driver);
  const fake = new FakeHidDevice(reportSize, { numberedByDriver, ...(opts.byPath ? { usb: opts.byPath.usb } : {}) });
  const target = opts.byPath ? { path: opts.byPath.path } : { vendorId, productId };
  const virtual = new VirtualClock(startMs);
  opts.device?.(fake, virtual);
  const link = await openHidLink(target, { reportSize, numberedByDriver, open: async () => fake });
  const clock = new TrackedClock(virtual);
  if (opts.onReport) {
    const deliver = fake.inject.bind(fake);
    fake.inject = (report) => opts.onReport?.(Uint8Array.from(report), fake, deliver);
  }
  const stop = new AbortController();
  const meter = opts.device
    ? Promise.resolve()
    : opts.meter
    ? (opts.meter(fake.deviceLink), Promise.resolve())
    : driver.simulator.run({ link: fake.deviceLink, clock, signal: stop.signal, scenario: opts.scenario ?? 'memory' });
  const events: SessionEvent[] = [];
  const raw: Uint8Array[][] = [];
  const traffic: TappedChunk[] = [];
  const usb = link.usb;
  const session = runSession({
    driver,
    link: new TappedLink(link, (c) => traffic.push(c), clock),
    clock,
    ...(opts.setDeviceClock ? { setDeviceClock: true } : {}),
    onEvent: (e) => {
      events.push(e);
      if (e.type === 'reading') raw.push(e.raw);
    },
  });
  await virtual.runUntilIdle();
  const result = await session;
  stop.abort();
  await meter;
  await link.close();
  await virtual.runUntilIdle();
  return { result, events, raw, traffic, fake, usb, timersLeft: clock.pending };
}

/** Ingest a download's readings, with their raw frames, into the store in `dir`; whether each was new. */
export function ingestDownload(dir: string, run: HidDownload): boolean[] {
  const store = openStore(storeFile(dir));
  try {
    return run.result.readings.map((reading, i) => store.readings.ingest(reading, (run.raw[i] ?? []).map((bytes) => ({ direction: 'in' as const, bytes, at: reading.receivedAt })), undefined).isNew);
  } finally {
    store.close();
  }
}

/** Readings without their receipt time, to compare two runs' readings. */
export const comparable = (readings: readonly Reading[]): unknown[] => readings.map(({ receivedAt: _r, ...rest }) => rest);

/**
 * An `onReport` for a CP2110 meter: each numbered report's data cut after `cut` bytes into two
 * reports, each padded to 64 bytes as hidapi may return it, then a stray non-data report (`00 01`).
 */
export function splitPaddedReports(cut: number): NonNullable<HidDownloadOptions['onReport']> {
  return (report, _fake, deliver) => {
    const n = report[0] ?? 0;
    const data = report.slice(1, 1 + n);
    for (const part of [data.slice(0, cut), data.slice(cut)]) {
      const padded = new Uint8Array(64);
      padded[0] = part.length;
      padded.set(part, 1);
      deliver(padded);
    }
    deliver([0x00, 0x01]);
  };
}

/** An `onReport` that passes every report on and unplugs the device after the `n`th. */
export function unplugAfter(n: number): NonNullable<HidDownloadOptions['onReport']> {
  let reports = 0;
  return (report, fake, deliver) => {
    deliver(report);
    if (++reports === n) fake.unplug();
  };
}

/**
 * A download cut by an unplug, then a whole one of the same `total` records: the cut one ended
 * TRANSPORT_CLOSED with no timer left, the whole one reads each record once, and what came before
 * the unplug is the start of it (each record is emitted once whole), all known to the store by
 * its fingerprint (docs/export.md §4), so the second download brings nothing new for those.
 */
export function expectResumedAfterUnplug(cut: HidDownload, again: HidDownload, total: number): void {
  expect(cut.result.end).toBe('failed');
  expect(cut.result.error?.code).toBe('TRANSPORT_CLOSED');
  expect(cut.timersLeft).toBe(0);
  const times = again.result.readings.map((r) => r.deviceTime);
  expect(times).toHaveLength(total);
  expect(new Set(times).size).toBe(total);
  const before = cut.result.readings.length;
  expect(before).toBeGreaterThan(0);
  expect(before).toBeLessThan(total);
  expect(comparable(cut.result.readings)).toEqual(comparable(again.result.readings.slice(0, before)));
  const seen = new Set(again.result.readings.map(readingFingerprint));
  expect(seen.size).toBe(total);
  expect(cut.result.readings.every((r) => seen.has(readingFingerprint(r)))).toBe(true);
}
