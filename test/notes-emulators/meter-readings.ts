/**
 * What the notes-emulator tests share: a download through the real HID transport with a
 * notes-built meter behind the fake node-hid device, and the checks of the readings against what
 * the test computed from the notes' records.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'vitest';
import { type Driver, runSession, type SessionResult, TrackedClock, type UsbIds, VirtualClock } from '../../drivers/kit/index.ts';
import { openHidLink } from '../../main/transports/hid.ts';
import { storeFile } from '../../main/paths.ts';
import { openStore } from '../../main/store/open-store.ts';
import { FakeHidDevice } from '../helpers/fake-hid.ts';

/** One reading as the test expects it from the notes: its time, kind, first observation and flags. */
export interface Expected {
  deviceTime: string | undefined;
  kind: 'patient' | 'control';
  /** Matched as a subset: `{ code, value: { kind, value, unit, comparator? }, interpretation? }`. */
  observation: Record<string, unknown>;
  /** Exactly these among the reading's flags, besides the hub's own clock flags. */
  flags: string[];
}

/** A HID download: the session's result, the raw frames of each reading, and the fake device. */
export interface EmulatedDownload {
  result: SessionResult;
  raw: Uint8Array[][];
  fake: FakeHidDevice;
}

/** Flags the hub adds about its own clock handling, not about the meter's result. */
const CLOCK_FLAGS = new Set(['clock-skew', 'meter-clock-unset', 'time-invalid']);

/**
 * One session of `driver` over the real HID Link on a virtual clock from `startMs`, the device
 * opened by path as the hub opens a discovered port (its ids come from node-hid), with the meter
 * `attach` puts behind the fake device.
 */
export async function emulatedHidDownload(driver: Driver, startMs: number, usb: UsbIds, attach: (fake: FakeHidDevice) => void): Promise<EmulatedDownload> {
  const { transport } = driver.manifest;
  if (transport.type !== 'hid') throw new Error(`${driver.manifest.id} is no HID driver`);
  const numberedByDriver = transport.numberedByDriver === true;
  const fake = new FakeHidDevice(transport.reportSize, { numberedByDriver, usb });
  attach(fake);
  const link = await openHidLink({ path: '/dev/hidraw9' }, { reportSize: transport.reportSize, numberedByDriver, open: async () => fake });
  const virtual = new VirtualClock(startMs);
  const clock = new TrackedClock(virtual);
  const raw: Uint8Array[][] = [];
  const session = runSession({ driver, link, clock, onEvent: (e) => void (e.type === 'reading' && raw.push(e.raw)) });
  await virtual.runUntilIdle();
  const result = await session;
  await link.close();
  await virtual.runUntilIdle();
  expect(clock.pending, 'timers left after the session').toBe(0);
  return { result, raw, fake };
}

/** The readings (as objects, from `--json` or a session) equal `expected` in order, from `device`. */
export function expectReadings(readings: readonly object[], expected: readonly Expected[], device: Record<string, string>): void {
  const got = readings.map((r) => {
    const o = r as { deviceTime?: string; kind: string; observations: Record<string, unknown>[]; flags: string[]; device: Record<string, unknown> };
    expect(o.device).toMatchObject(device);
    expect(o.observations).toHaveLength(1);
    return { deviceTime: o.deviceTime, kind: o.kind, observation: o.observations[0], flags: o.flags.filter((f) => !CLOCK_FLAGS.has(f)).sort() };
  });
  expect(got).toMatchObject(expected.map((e) => ({ ...e, flags: [...e.flags].sort() })));
  // toMatchObject lets extra keys through: say that no comparator or interpretation was added.
  expected.forEach((e, i) => {
    const obs = got[i]?.observation as { value?: Record<string, unknown>; interpretation?: unknown } | undefined;
    const want = e.observation as { value?: Record<string, unknown>; interpretation?: unknown };
    expect(obs?.value?.['comparator'], `reading ${i} comparator`).toBe(want.value?.['comparator']);
    expect(obs?.interpretation, `reading ${i} interpretation`).toBe(want.interpretation);
  });
}

/** Both downloads stored in one fresh SQLite store: every reading of the first is new, none of the second. */
export function expectNoNewReadings(first: EmulatedDownload, second: EmulatedDownload): void {
  const dir = mkdtempSync(join(tmpdir(), 'pochub-notes-store-'));
  const store = openStore(storeFile(dir));
  try {
    const ingest = (run: EmulatedDownload): boolean[] =>
      run.result.readings.map((reading, i) => store.readings.ingest(reading, (run.raw[i] ?? []).map((bytes) => ({ direction: 'in' as const, bytes, at: reading.receivedAt })), undefined).isNew);
    const firstNew = ingest(first);
    expect(firstNew.length).toBeGreaterThan(0);
    expect(firstNew.every(Boolean)).toBe(true);
    expect(second.result.readings).toHaveLength(first.result.readings.length);
    expect(ingest(second).some(Boolean)).toBe(false);
  } finally {
    store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
