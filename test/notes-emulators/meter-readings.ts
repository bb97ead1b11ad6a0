/**
 * What the notes-emulator tests share: a download through the real HID transport with a
 * notes-built meter behind the fake node-hid device, and the checks of the readings against what
 * the test computed from the notes' records.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'vitest';
import type { Driver, UsbIds } from '../../drivers/kit/index.ts';
import type { FakeHidDevice } from '../helpers/fake-hid.ts';
import { type HidDownload, hidDownload, ingestDownload } from '../helpers/hid-download.ts';

/** One reading as the test expects it from the notes: its time, kind, first observation and flags. */
export interface Expected {
  deviceTime: string | undefined;
  kind: 'patient' | 'control';
  /** Matched as a subset: `{ code, value: { kind, value, unit, comparator? }, interpretation? }`. */
  observation: Record<string, unknown>;
  /** Exactly these among the reading's flags, besides the hub's own clock flags. */
  flags: string[];
}

/** Flags the hub adds about its own clock handling, not about the meter's result. */
const CLOCK_FLAGS = new Set(['clock-skew', 'meter-clock-unset', 'time-invalid']);

/** A HID download through the real transport (test/helpers/hid-download.ts). */
export type EmulatedDownload = HidDownload;

/**
 * One session of `driver` over the real HID Link on a virtual clock from `startMs`, the device
 * opened by path as the hub opens a discovered port (its ids come from node-hid), with the meter
 * `attach` puts behind the fake device. No timer may outlive it.
 */
export async function emulatedHidDownload(driver: Driver, startMs: number, usb: UsbIds, attach: (fake: FakeHidDevice) => void): Promise<EmulatedDownload> {
  const run = await hidDownload(driver, startMs, { byPath: { path: '/dev/hidraw9', usb }, device: attach });
  expect(run.timersLeft, 'timers left after the session').toBe(0);
  return run;
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
  try {
    const firstNew = ingestDownload(dir, first);
    expect(firstNew.length).toBeGreaterThan(0);
    expect(firstNew.every(Boolean)).toBe(true);
    expect(second.result.readings).toHaveLength(first.result.readings.length);
    expect(ingestDownload(dir, second).some(Boolean)).toBe(false);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
