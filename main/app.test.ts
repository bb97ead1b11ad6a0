import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DRIVERS } from '../drivers/index.ts';
import { TrackedClock, VirtualClock } from '../drivers/kit/index.ts';
import type { HubEvent } from './api/event-bus.ts';
import { DEMO_OPERATORS, createHub, type Hub } from './app.ts';

const dirs: string[] = [];
const hubs: Hub[] = [];
const tempDir = (): string => {
  const dir = mkdtempSync(join(tmpdir(), 'pochub-app-'));
  dirs.push(dir);
  return dir;
};
const open = (dataDir: string, demo: boolean, clock = new TrackedClock(new VirtualClock())): Hub => {
  const hub = createHub({ dataDir, demo, workstation: 'room-3', clock, log: () => undefined });
  hubs.push(hub);
  return hub;
};

afterEach(async () => {
  for (const hub of hubs.splice(0)) await hub.close();
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('createHub', () => {
  it('outside demo mode: no operators are seeded and no devices run', async () => {
    const hub = open(tempDir(), false);
    expect(hub.workflow.operators.list()).toEqual([]);
    expect(hub.devices.listDevices()).toEqual([]);
    expect(await hub.call('signIn', { badgeId: '1001', pin: '1234' }, { binding: 'internal', session: 'internal' })).toMatchObject({ ok: false, error: { code: 'AUTH_FAILED' } });
    expect(hub.state()).toEqual({ devices: [], demo: false, workstation: 'room-3', version: expect.any(Number), locked: false, lockAfterMs: 300_000 });
  });

  it('demo mode: the demo operators can sign in; every registered driver is listed as simulated', async () => {
    const hub = open(tempDir(), true);
    expect(hub.workflow.operators.list().map((o) => [o.badgeId, o.role, o.name])).toEqual(
      expect.arrayContaining(DEMO_OPERATORS.map((o) => [o.badgeId, o.role, o.name])),
    );
    const before = hub.state().version ?? Number.POSITIVE_INFINITY;
    for (const o of DEMO_OPERATORS) {
      expect(await hub.call('signIn', { badgeId: o.badgeId, pin: o.pin }, { binding: 'internal', session: 'internal' }), o.badgeId).toMatchObject({ ok: true, value: { role: o.role } });
    }
    // Every sign-in changed the state: its version grew with each (the page keeps the newest).
    expect(hub.state().version).toBeGreaterThanOrEqual(before + DEMO_OPERATORS.length);
    expect(DEMO_OPERATORS[0]).toMatchObject({ badgeId: '1001', pin: '1234', role: 'assistant', name: 'Alex Assistant' });
    const devices = hub.devices.listDevices();
    expect(devices.map((d) => d.driverId).sort()).toEqual(DRIVERS.map((d) => d.manifest.id).sort());
    expect(devices.every((d) => d.connection === 'simulated')).toBe(true);
  });

  it('a second start on the same store keeps the demo operators once', async () => {
    const dir = tempDir();
    await open(dir, true).close();
    const again = open(dir, true);
    expect(again.workflow.operators.list().filter((o) => o.badgeId === '1001')).toHaveLength(1);
  });

  it('wires the workflow to the bus: sign-in sends a state event; close() stops every device timer and closes the store', async () => {
    const clock = new TrackedClock(new VirtualClock());
    const hub = open(tempDir(), true, clock);
    const events: HubEvent[] = [];
    hub.bus.subscribe((e) => events.push(e));
    await hub.call('signIn', { badgeId: '1001', pin: '1234' }, { binding: 'internal', session: 'internal' });
    expect(events.find((e) => e.event === 'state')).toMatchObject({ payload: { operator: { badgeId: '1001' }, demo: true } });
    expect(clock.pending).toBeGreaterThan(0);
    await hub.close();
    expect(clock.pending).toBe(0);
    expect(hub.store.db.open).toBe(false);
    await hub.close(); // twice is harmless
  });
});
