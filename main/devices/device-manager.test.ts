import { afterEach, describe, expect, it } from 'vitest';
import { EVENTS, type EventPayload } from '../../shared/api/contract.ts';
import type { ReviewItem } from '../../shared/api/model.ts';
import type { Reading } from '../../shared/reading.ts';
import { findDriver } from '../../drivers/index.ts';
import { TrackedClock, VirtualClock, type Driver } from '../../drivers/kit/index.ts';
import { MEMORY, openStore, type HubDatabase } from '../store/index.ts';
import { startDemo } from './demo.ts';
import { DeviceManager, type DeviceManagerDeps } from './device-manager.ts';

const driver = (id: string): Driver => {
  const d = findDriver(id);
  if (!d) throw new Error(`no driver ${id}`);
  return d;
};

interface Arrival {
  id: string;
  reading: Reading;
  device: { key: string; label: string };
}

/** A device manager on a virtual clock, a real in-memory store and a recording workflow. */
function setup(store: Pick<DeviceManagerDeps, 'sessions' | 'readings'> = openStore(MEMORY)) {
  const virtual = new VirtualClock();
  const clock = new TrackedClock(virtual);
  const bugs: unknown[] = [];
  const logs: string[] = [];
  const arrivals: Arrival[] = [];
  const lives: EventPayload<'live'>[] = [];
  let changes = 0;
  // Every live payload is checked against the contract's event schema, as the hub's event bus does.
  const onLive = (live: EventPayload<'live'>): void => {
    const checked = EVENTS.live.safeParse(live);
    if (checked.success) lives.push(live);
    else bugs.push(checked.error);
  };
  let inTransaction = false;
  const workflow = {
    readingArrived: (id: string, reading: Reading, device: { key: string; label: string }): ReviewItem => {
      if (!inTransaction) throw new Error('readingArrived outside the transaction of its ingest');
      arrivals.push({ id, reading, device });
      return { id, reading, state: 'pending', deviceKey: device.key, deviceLabel: device.label, manual: false };
    },
  };
  const manager = new DeviceManager({
    sessions: store.sessions,
    readings: store.readings,
    workflow,
    onLive,
    clock,
    atomically: <T>(fn: () => T): T => {
      inTransaction = true;
      try {
        return fn();
      } finally {
        inTransaction = false;
      }
    },
    log: (line) => logs.push(line),
    reportBug: (_w, e) => bugs.push(e),
    onDevicesChanged: () => changes++,
  });
  return { virtual, clock, manager, arrivals, lives, bugs, logs, store, changes: () => changes };
}

let cleanup: (() => Promise<void>) | undefined;
afterEach(async () => {
  await cleanup?.();
  cleanup = undefined;
});

describe('DeviceManager in demo mode', () => {
  it('a meter is downloaded once after start: every reading stored, then offered for review with the device key and label', async () => {
    const t = setup();
    const meter = driver('lifescan-onetouch-ultra2');
    const demo = startDemo(t.manager, [meter], { clock: t.clock, downloadDelayMs: 3000, downloaded: () => false, log: (l) => t.logs.push(l) });
    cleanup = () => demo.stop();
    expect(t.manager.listDevices()).toEqual([expect.objectContaining({ driverId: meter.manifest.id, kind: 'download', connection: 'simulated' })]);
    await t.virtual.runUntilIdle(2900);
    expect(t.arrivals).toEqual([]);
    await t.virtual.runUntilIdle();
    expect(t.arrivals.length).toBeGreaterThan(40);
    const stored = (t.store as HubDatabase).readings.countReadings({ driverId: meter.manifest.id });
    expect(stored).toBe(t.arrivals.length);
    const [first] = t.arrivals;
    expect(first?.device.key).toBe(`lifescan-onetouch-ultra2:${first?.reading.device.serial}`);
    expect(first?.device.label).toContain('OneTouch');
    expect((t.store as HubDatabase).readings.getReading(first?.id ?? '')?.reading).toEqual(first?.reading);
    const [device] = t.manager.listDevices();
    expect(device?.key).toBe(first?.device.key);
    expect(device?.lastSeen).toBeDefined();
    await demo.stop();
    await t.manager.close();
    expect(t.clock.pending).toBe(0);
    expect(t.bugs).toEqual([]);
  });

  it('meters are downloaded one after another, never two at once (a dozen dumps together starve the streaming devices)', async () => {
    const t = setup();
    const meters = [driver('lifescan-onetouch-ultra2'), driver('lifescan-onetouch-ultraeasy')];
    const demo = startDemo(t.manager, meters, { clock: t.clock, downloadDelayMs: 3000, downloaded: () => false, log: (l) => t.logs.push(l) });
    cleanup = () => demo.stop();
    await t.virtual.runUntilIdle();
    const order = t.arrivals.map((a) => a.reading.driver);
    const firstOfSecond = order.indexOf('lifescan-onetouch-ultraeasy');
    expect(order.filter((d) => d === 'lifescan-onetouch-ultra2').length).toBeGreaterThan(0);
    expect(firstOfSecond).toBeGreaterThan(0);
    // Every result of the first meter came before any of the second: no interleaving.
    expect(order.slice(firstOfSecond)).not.toContain('lifescan-onetouch-ultra2');
    await demo.stop();
    await t.manager.close();
    expect(t.clock.pending).toBe(0);
  });

  it('a meter whose memory was imported before is not downloaded again', async () => {
    const t = setup();
    const demo = startDemo(t.manager, [driver('lifescan-onetouch-ultraeasy')], { clock: t.clock, downloaded: () => true, log: (l) => t.logs.push(l) });
    cleanup = () => demo.stop();
    await t.virtual.runUntilIdle(60_000);
    expect(t.arrivals).toEqual([]);
    expect(t.manager.listDevices()).toHaveLength(1);
  });

  it('a discrete device plays its stream again and again; stopping leaves no timer and closes every session', async () => {
    const t = setup();
    const demo = startDemo(t.manager, [driver('siemens-clinitek-status')], { clock: t.clock, downloaded: () => false, log: (l) => t.logs.push(l) });
    cleanup = () => demo.stop();
    await t.virtual.runUntilIdle(61_000);
    expect(t.arrivals.length).toBeGreaterThanOrEqual(3);
    expect(new Set(t.arrivals.map((a) => a.id)).size).toBe(t.arrivals.length);
    expect(t.arrivals.every((a) => a.device.key === t.arrivals[0]?.device.key)).toBe(true);
    await demo.stop();
    await t.manager.close();
    await t.virtual.runUntilIdle();
    expect(t.clock.pending).toBe(0);
    expect(t.bugs).toEqual([]);
  });

  it('a continuous device: live values about once a second, the serial becomes its key, Capture makes a reading', async () => {
    const t = setup();
    const oximeter = driver('masimo-rad8');
    const demo = startDemo(t.manager, [oximeter], { clock: t.clock, downloaded: () => false, log: (l) => t.logs.push(l) });
    cleanup = () => demo.stop();
    await t.virtual.runUntilIdle(5_500);
    expect(t.lives.length).toBeGreaterThanOrEqual(4);
    expect(t.lives.length).toBeLessThanOrEqual(6);
    const [device] = t.manager.listDevices();
    expect(device?.key).toBe('masimo-rad8:0000056661');
    expect(device?.live?.valid).toBe(true);
    expect(t.lives.at(-1)?.deviceKey).toBe(device?.key);
    expect(t.arrivals).toEqual([]);
    // Stored before capture() returns; the outcome names the reading.
    const outcome = t.manager.capture('masimo-rad8:0000056661');
    expect(t.arrivals).toHaveLength(1);
    expect(outcome).toEqual({ captured: true, readingId: t.arrivals[0]?.id, isNew: true });
    expect(t.arrivals[0]?.device.key).toBe('masimo-rad8:0000056661');
    expect(t.arrivals[0]?.reading.flags).toContain('manual-capture');
    // Pressed again before the next line: the same values are the same reading, not a new one.
    expect(t.manager.capture('masimo-rad8:0000056661')).toEqual({ captured: true, readingId: t.arrivals[0]?.id, isNew: false });
    expect(t.arrivals).toHaveLength(1);
    // The next line (a second later) makes a new reading.
    await t.virtual.runUntilIdle(1_000);
    const next = t.manager.capture('masimo-rad8:0000056661');
    expect(next).toMatchObject({ captured: true, isNew: true });
    expect(t.arrivals).toHaveLength(2);
  });

  it('Capture: an unknown key is NOT_FOUND; a device that is not continuous is CONFLICT', async () => {
    const t = setup();
    t.manager.declare(driver('siemens-clinitek-status'), 'demo', true);
    expect(() => t.manager.capture('nope')).toThrow(expect.objectContaining({ code: 'NOT_FOUND' }));
    const key = t.manager.listDevices()[0]?.key ?? '';
    expect(() => t.manager.capture(key)).toThrow(expect.objectContaining({ code: 'CONFLICT' }));
  });

  it('a reading stored before (same fingerprint) is not offered for review again', async () => {
    const store = openStore(MEMORY);
    let n = 0;
    const onceNew: Pick<DeviceManagerDeps, 'sessions' | 'readings'> = {
      sessions: store.sessions,
      readings: { ingest: (reading, raw, sessionId) => ({ ...store.readings.ingest(reading, raw, sessionId), isNew: n++ === 0 }) },
    };
    const t = setup(onceNew);
    const demo = startDemo(t.manager, [driver('lifescan-onetouch-ultra2')], { clock: t.clock, downloaded: () => false, log: (l) => t.logs.push(l) });
    cleanup = () => demo.stop();
    await t.virtual.runUntilIdle();
    expect(n).toBeGreaterThan(40);
    expect(t.arrivals).toHaveLength(1);
  });

  it('a workflow that throws is a bug, reported; the reading is still stored and the session goes on', async () => {
    const t = setup();
    const bugs: unknown[] = [];
    let calls = 0;
    const store = openStore(MEMORY);
    const manager = new DeviceManager({
      sessions: store.sessions,
      readings: store.readings,
      workflow: {
        readingArrived: () => {
          calls++;
          throw new Error('boom');
        },
      },
      onLive: () => undefined,
      clock: t.clock,
      log: () => undefined,
      reportBug: (_w, e) => bugs.push(e),
    });
    const demo = startDemo(manager, [driver('lifescan-onetouch-ultra2')], { clock: t.clock, downloaded: () => false, log: () => undefined });
    cleanup = () => demo.stop();
    await t.virtual.runUntilIdle();
    expect(calls).toBeGreaterThan(40);
    expect(bugs).toHaveLength(calls);
    expect(store.readings.countReadings()).toBe(calls);
  });
});
