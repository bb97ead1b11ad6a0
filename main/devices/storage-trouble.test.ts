import { dirname, join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { HubError } from '../../shared/errors.ts';
import type { ReviewItem } from '../../shared/api/model.ts';
import type { Reading } from '../../shared/reading.ts';
import { findDriver } from '../../drivers/index.ts';
import { TrackedClock, VirtualClock, type Driver } from '../../drivers/kit/index.ts';
import { tempDir } from '../../test/helpers/store-fixtures.ts';
import { openStore, type HubDatabase } from '../store/index.ts';
import { startDemo } from './demo.ts';
import { DeviceManager } from './device-manager.ts';
import { HELD_READINGS_MAX, STORE_RETRY_MS, StorageGuard } from './storage-guard.ts';

/**
 * The device side when the store refuses readings (docs/architecture.md §7, storage trouble):
 * the real store on a temp file with SQLite's page limit standing in for a full disk, the real
 * drivers against their simulators on a virtual clock. A streaming device's readings are held in
 * memory and stored once there is room; a meter's download stops at the first reading that could
 * not be stored and a later download imports the rest. Nothing is offered for review unless it
 * is stored.
 */
const driver = (id: string): Driver => {
  const d = findDriver(id);
  if (!d) throw new Error(`no driver ${id}`);
  return d;
};

let tmp: ReturnType<typeof tempDir>;
let store: HubDatabase;
beforeEach(() => {
  tmp = tempDir();
  store = openStore(join(tmp.dir, 'pochub.db'), {});
});
afterEach(() => {
  store.close();
  tmp.cleanup();
});

/** No room: SQLite raises a limit below the file's size to its size, so the file cannot grow at all. */
const diskFull = (): void => void store.db.pragma('max_page_count = 1');
const spaceBack = (): void => void store.db.pragma('max_page_count = 1000000');

function setup() {
  const virtual = new VirtualClock();
  const clock = new TrackedClock(virtual);
  const logs: string[] = [];
  const bugs: unknown[] = [];
  const offered: { id: string; reading: Reading }[] = [];
  let storageChanges = 0;
  const manager = new DeviceManager({
    sessions: store.sessions,
    readings: store.readings,
    workflow: { readingArrived: recordArrival(offered) },
    atomically: store.transaction,
    onLive: () => undefined,
    clock,
    log: (line) => logs.push(line),
    reportBug: (_where, e) => bugs.push(e),
    onStorageChanged: () => storageChanges++,
  });
  return { virtual, clock, manager, logs, bugs, offered, storageChanges: () => storageChanges };
}

/** A workflow's readingArrived that records what was offered (the review item it returns is not used here). */
function recordArrival(offered: { id: string; reading: Reading }[]) {
  return (id: string, reading: Reading, device: { key: string; label: string }): ReviewItem => {
    offered.push({ id, reading });
    return { id, reading, state: 'pending', deviceKey: device.key, deviceLabel: device.label, manual: false };
  };
}

/** Every reading offered for review is in the store: nothing is announced that was not stored. */
function expectOfferedStored(offered: readonly { id: string }[]): void {
  for (const { id } of offered) expect(store.readings.getReading(id), id).toBeDefined();
}

describe('a streaming device while the disk is full', () => {
  it('its readings wait in memory, the trouble is reported, and they are stored in arrival order once there is room', async () => {
    const t = setup();
    const analyzer = driver('siemens-clinitek-status');
    const demo = startDemo(t.manager, [analyzer], { clock: t.clock, downloaded: () => false, log: (l) => t.logs.push(l) });
    try {
      await t.virtual.runUntilIdle(20_000);
      const before = store.readings.countReadings();
      expect(before).toBeGreaterThan(0);
      expect(t.manager.storageTrouble()).toBeUndefined();

      diskFull();
      await t.virtual.runUntilIdle(120_000);
      const trouble = t.manager.storageTrouble();
      expect(trouble).toMatchObject({ code: 'STORAGE_FULL', lost: 0, message: expect.stringContaining(`The data folder ${dirname(store.file)} is full`) });
      expect(trouble?.held).toBeGreaterThanOrEqual(3);
      expect(t.storageChanges()).toBeGreaterThan(0);
      // Only what was stored was offered; the held readings are not in the review list yet.
      const offeredWhileFull = t.offered.length;
      expect(offeredWhileFull).toBe(store.readings.countReadings());
      expectOfferedStored(t.offered);
      expect(t.logs.filter((l) => l.includes('cannot save readings'))).toHaveLength(1);

      spaceBack();
      await t.virtual.runUntilIdle(STORE_RETRY_MS + 10);
      expect(t.manager.storageTrouble()).toBeUndefined();
      expect(t.offered.length).toBe(offeredWhileFull + (trouble?.held ?? 0));
      expect(store.readings.countReadings()).toBe(t.offered.length);
      expectOfferedStored(t.offered);
      // Arrival order kept: the device's results were stored oldest first.
      const times = t.offered.map((o) => o.reading.receivedAt);
      expect(times).toEqual([...times].sort());
      expect(t.logs.some((l) => l.includes('readings are being saved again'))).toBe(true);
      expect(t.bugs).toEqual([]);
    } finally {
      await demo.stop();
      await t.manager.close();
    }
  });

  it('holds at most a bounded number of readings, counting and logging each one it could not keep', () => {
    const virtual = new VirtualClock();
    const logs: string[] = [];
    let changes = 0;
    const guard = new StorageGuard({ clock: virtual, maxHeld: 2, onChange: () => changes++, log: (l) => logs.push(l), reportBug: (_w, e) => { throw e; } });
    const full = new HubError('STORAGE_FULL', 'The data folder /x is full');
    const saved: string[] = [];
    let room = false;
    const item = (label: string) => ({
      label,
      save: () => {
        if (!room) throw full;
        saved.push(label);
      },
    });
    guard.failed(full);
    for (const label of ['a', 'b', 'c']) guard.hold(item(label));
    expect(guard.trouble()).toMatchObject({ code: 'STORAGE_FULL', held: 2, lost: 1 });
    expect(logs.filter((l) => l.includes('LOST a reading (c)'))).toHaveLength(1);
    expect(guard.flush()).toBe(false);
    room = true;
    expect(guard.flush()).toBe(true);
    expect(saved).toEqual(['a', 'b']);
    expect(guard.trouble()).toBeUndefined();
    expect(changes).toBeGreaterThan(0);
    expect(HELD_READINGS_MAX).toBeGreaterThanOrEqual(100);
    guard.close();
  });
});

describe('Capture while the data folder is read-only', () => {
  it('says why in the hub\'s words, holds the values, and stores them once the folder can be written', async () => {
    const t = setup();
    const demo = startDemo(t.manager, [driver('masimo-rad8')], { clock: t.clock, downloaded: () => false, log: (l) => t.logs.push(l) });
    try {
      await t.virtual.runUntilIdle(5_500);
      const [device] = t.manager.listDevices();
      store.db.pragma('query_only = ON');
      expect(() => t.manager.capture(device?.key ?? '')).toThrow(
        expect.objectContaining({ code: 'STORAGE_READONLY', message: expect.stringContaining(`The data folder ${dirname(store.file)} is read-only`) }),
      );
      expect(t.manager.storageTrouble()).toMatchObject({ code: 'STORAGE_READONLY', held: 1 });
      expect(t.offered).toHaveLength(0);
      store.db.pragma('query_only = OFF');
      await t.virtual.runUntilIdle(STORE_RETRY_MS + 10);
      expect(t.manager.storageTrouble()).toBeUndefined();
      expect(t.offered).toHaveLength(1);
      expectOfferedStored(t.offered);
      expect(t.bugs).toEqual([]);
    } finally {
      await demo.stop();
      await t.manager.close();
    }
  });
});

describe('the storage state with nothing held', () => {
  it('ends when the probe finds room again, asked on every retry while in trouble', async () => {
    const virtual = new VirtualClock();
    const clock = new TrackedClock(virtual);
    let room = false;
    let changes = 0;
    const guard = new StorageGuard({ clock, probe: () => room, onChange: () => changes++, log: () => undefined, reportBug: (_w, e) => { throw e; } });
    guard.failed(new HubError('STORAGE_READONLY', 'The data folder /x is read-only'));
    expect(guard.trouble()).toMatchObject({ code: 'STORAGE_READONLY', held: 0 });
    await virtual.runUntilIdle(STORE_RETRY_MS * 3);
    expect(guard.trouble()?.code).toBe('STORAGE_READONLY');
    room = true;
    await virtual.runUntilIdle(STORE_RETRY_MS + 10);
    expect(guard.trouble()).toBeUndefined();
    expect(changes).toBe(2);
    // No trouble, nothing held: no timer is left running.
    expect(clock.pending).toBe(0);
    guard.close();
  });
});

describe('a meter download while the disk is full', () => {
  /**
   * One demo download into `into`, on a fresh virtual clock that starts at the same instant every
   * time: the simulated meter dates its memory from the clock, so each download sees the same results.
   */
  async function download(into: HubDatabase, offered: { id: string; reading: Reading }[], logs: string[], bugs: unknown[]): Promise<DeviceManager> {
    const clock = new VirtualClock();
    const manager = new DeviceManager({
      sessions: into.sessions,
      readings: into.readings,
      workflow: { readingArrived: recordArrival(offered) },
      atomically: into.transaction,
      onLive: () => undefined,
      clock,
      log: (line) => logs.push(line),
      reportBug: (_where, e) => bugs.push(e),
    });
    const demo = startDemo(manager, [driver('lifescan-onetouch-ultraeasy')], { clock, downloadDelayMs: 10, downloaded: () => false, log: (l) => logs.push(l) });
    await clock.runUntilIdle();
    await demo.stop();
    return manager;
  }

  it('stops at the first result that cannot be stored (session failed, STORAGE_FULL); a download once there is room imports only the rest', async () => {
    const logs: string[] = [];
    const bugs: unknown[] = [];
    // How many results the demo meter holds, from a download into a roomy throwaway store.
    const scratch = openStore(join(tmp.dir, 'scratch.db'), {});
    await (await download(scratch, [], [], bugs)).close();
    const total = scratch.readings.countReadings();
    scratch.close();
    expect(total).toBeGreaterThan(10);

    const offered: { id: string; reading: Reading }[] = [];
    store.db.pragma(`max_page_count = ${Number(store.db.pragma('page_count', { simple: true })) + 6}`);
    const first = await download(store, offered, logs, bugs);
    const partial = store.readings.countReadings();
    expect(partial).toBeLessThan(total);
    expect(offered).toHaveLength(partial);
    expectOfferedStored(offered);
    expect(first.storageTrouble()).toMatchObject({ code: 'STORAGE_FULL', held: 0, lost: 0 });
    // The session ended failed with the storage error (the demo logs how its download ended).
    expect(logs).toContainEqual(expect.stringMatching(/^demo lifescan-onetouch-ultraeasy: The data folder .* is full/));
    await first.close();

    spaceBack();
    const second = await download(store, offered, logs, bugs);
    expect(store.readings.countReadings()).toBe(total);
    // Each result offered once: the first download's are known, only the rest are new.
    expect(offered).toHaveLength(total);
    expect(new Set(offered.map((o) => o.id)).size).toBe(total);
    expect(second.storageTrouble()).toBeUndefined();
    expectOfferedStored(offered);
    await second.close();
    expect(bugs).toEqual([]);
  });
});
