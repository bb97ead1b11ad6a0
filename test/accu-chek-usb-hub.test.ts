import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Port } from '../shared/api/ports-model.ts';
import { DRIVERS, findDriver } from '../drivers/index.ts';
import { systemClock } from '../drivers/kit/index.ts';
import { createHub, type Hub } from '../main/app.ts';
import { usbBulkIds, usbLister } from '../main/devices/discovery/usb-lister.ts';
import { listUsbDevices, openUsbLink, type LinkSpec } from '../main/transports/index.ts';
import { LIBUSB_ERROR } from '../main/transports/usb-device.ts';
import { FakeUsbDevice, usbError } from './helpers/fake-usb.ts';

/**
 * A plugged Accu-Chek read by the whole hub: discovery lists it through the real USB lister, the
 * port manager assigns its driver by USB id and opens the real USB transport (main/transports/
 * usb.ts), the device manager stores every result in a real SQLite file. Only the `usb` package's
 * Device object is fake (test/helpers/fake-usb.ts), with the driver's own simulator behind it.
 */
const driver = findDriver('roche-accu-chek-usb');
if (!driver) throw new Error('roche-accu-chek-usb is not registered');
const GUIDE = { vendorId: 0x173a, productId: 0x21d5 };
const PORT_ID = 'usb:1-4.2';

/** Does this OUT transfer confirm a segment-data event (rors-confirmed-event-report of event 0D 21)? */
const confirmsSegment = (c: Uint8Array): boolean => c[8] === 0x02 && c[9] === 0x01 && c[18] === 0x0d && c[19] === 0x21;

interface Rig {
  hub: Hub;
  /** Plug a fresh meter (a new Device object, its simulator started); `onHostBytes` sees what the host sends it. */
  plug(opts?: { onHostBytes?: (chunk: Uint8Array, device: FakeUsbDevice) => void; openError?: number }): FakeUsbDevice;
  unplugAll(): void;
  port(): Port | undefined;
  readingsOf(sessionId?: string): number;
  sessions(): { id: string; transport: string; end_reason: string | null; error_code: string | null }[];
}

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

function rig(): Rig {
  const dir = mkdtempSync(join(tmpdir(), 'pochub-usb-hub-'));
  let plugged: FakeUsbDevice[] = [];
  const meters: AbortController[] = [];
  const find = async (): Promise<readonly FakeUsbDevice[]> => plugged;
  const openLink = async (spec: LinkSpec) => {
    if (spec.type !== 'usb') throw new Error(`this test has only a USB device, not ${spec.type}`);
    return openUsbLink({ busPath: spec.busPath, vendorId: spec.vendorId, productId: spec.productId }, { find, platform: 'linux' });
  };
  const hub = createHub({
    dataDir: dir,
    demo: false,
    discovery: false,
    workstation: 'room-3',
    log: () => undefined,
    exportWorkers: false,
    ports: { listers: [usbLister(usbBulkIds(DRIVERS.map((d) => d.manifest)), () => listUsbDevices(find))], openLink, pathExists: () => false },
  });
  cleanups.push(async () => {
    for (const m of meters) m.abort();
    await hub.close();
    rmSync(dir, { recursive: true, force: true });
  });
  return {
    hub,
    plug(opts = {}) {
      const device = new FakeUsbDevice({ ...GUIDE, busNumber: 1, portNumbers: [4, 2] });
      if (opts.openError !== undefined) device.openError = usbError(opts.openError, 'LIBUSB_ERROR_ACCESS');
      // Subscribed before the simulator: every chunk goes to every listener of a Link.
      if (opts.onHostBytes) device.deviceLink.onData((c) => opts.onHostBytes?.(c, device));
      const stop = new AbortController();
      meters.push(stop);
      void driver?.simulator.run({ link: device.deviceLink, clock: systemClock, signal: stop.signal, scenario: 'memory' }).catch(() => undefined);
      plugged = [device];
      return device;
    },
    unplugAll() {
      plugged = [];
    },
    port: () => hub.ports.list().find((p) => p.id === PORT_ID),
    readingsOf(sessionId) {
      const sql = sessionId === undefined ? 'SELECT count(*) AS n FROM readings WHERE driver_id = ?' : 'SELECT count(*) AS n FROM readings WHERE driver_id = ? AND session_id = ?';
      const row = hub.store.db.prepare<unknown[], { n: number }>(sql).get(...(sessionId === undefined ? ['roche-accu-chek-usb'] : ['roche-accu-chek-usb', sessionId]));
      return row?.n ?? 0;
    },
    sessions: () => hub.store.db.prepare<[], { id: string; transport: string; end_reason: string | null; error_code: string | null }>("SELECT id, transport, end_reason, error_code FROM sessions WHERE driver_id = 'roche-accu-chek-usb' ORDER BY started_at, rowid").all(),
  };
}

/** Wait until the session that is running (or about to) has ended and the port is back at rest. */
async function settled(r: Rig, sessions: number): Promise<void> {
  await expect.poll(() => r.sessions().filter((s) => s.end_reason !== null).length, { timeout: 60_000, interval: 50 }).toBe(sessions);
  await expect.poll(() => r.port()?.state, { timeout: 10_000, interval: 50 }).not.toBe('connecting');
  await expect.poll(() => r.port()?.state, { timeout: 10_000, interval: 50 }).not.toBe('connected');
}

describe('an Accu-Chek plugged into the hub (USB port kind, real transport, real store)', () => {
  it('is listed by USB id, assigned by discovery, downloaded in full and stored; a second download imports nothing new', async () => {
    const r = rig();
    const device = r.plug();
    await r.hub.discovery.scan();
    expect(r.port()).toMatchObject({ transport: 'usb', path: '1-4.2', origin: 'discovered', usb: GUIDE, match: { kind: 'one', driverIds: ['roche-accu-chek-usb'] } });
    expect(r.port()?.assignment).toMatchObject({ driverId: 'roche-accu-chek-usb', by: 'discovery', autoConnect: true });
    await settled(r, 1);
    const [first] = r.sessions();
    expect(first).toMatchObject({ transport: 'usb 1-4.2', end_reason: 'completed', error_code: null });
    expect(r.readingsOf()).toBe(60);
    expect(r.hub.store.db.prepare<[], { n: number }>("SELECT count(*) AS n FROM readings WHERE driver_id = 'roche-accu-chek-usb' AND kind = 'control'").get()?.n).toBe(1);
    expect(device.calls).toEqual(['open', 'detach', 'claim', 'release', 'attach', 'close']);
    expect(r.port()).toMatchObject({ state: 'idle', health: { readings: 60, sessions: 1 } });

    // Unplugged and plugged again: the meter offers its whole memory once more; nothing is new.
    r.unplugAll();
    await r.hub.discovery.scan();
    expect(r.port()?.present).toBe(false);
    r.plug();
    await r.hub.discovery.scan();
    await settled(r, 2);
    const second = r.sessions()[1];
    expect(second?.end_reason).toBe('completed');
    expect(r.readingsOf()).toBe(60);
    expect(r.readingsOf(second?.id)).toBe(0);
  }, 120_000);

  it('a stalled IN endpoint mid-download is cleared by the transport and the download completes', async () => {
    const r = rig();
    let confirms = 0;
    const device = r.plug({ onHostBytes: (c, d) => void (confirmsSegment(c) && ++confirms === 1 && d.stall('in')) });
    await r.hub.discovery.scan();
    await settled(r, 1);
    expect(confirms).toBeGreaterThanOrEqual(1);
    expect(device.endpointIn.clearHalts).toBeGreaterThanOrEqual(1);
    expect(r.sessions()[0]).toMatchObject({ end_reason: 'completed', error_code: null });
    expect(r.readingsOf()).toBe(60);
  }, 120_000);

  it('unplugged mid-download: the results of confirmed events are kept, and the next download imports only the rest', async () => {
    const r = rig();
    let confirms = 0;
    r.plug({ onHostBytes: (c, d) => void (confirmsSegment(c) && ++confirms === 2 && d.unplug()) });
    await r.hub.discovery.scan();
    await settled(r, 1);
    const [first] = r.sessions();
    expect(first).toMatchObject({ error_code: 'TRANSPORT_CLOSED' });
    const kept = r.readingsOf(first?.id);
    expect(kept).toBe(50);
    // Hung up: shown absent until discovery lists the meter again.
    expect(r.port()?.present).toBe(false);
    r.unplugAll();
    await r.hub.discovery.scan();
    r.plug();
    await r.hub.discovery.scan();
    await settled(r, 2);
    const second = r.sessions()[1];
    expect(second?.end_reason).toBe('completed');
    expect(r.readingsOf(second?.id)).toBe(60 - kept);
    expect(r.readingsOf()).toBe(60);
  }, 120_000);

  it('no permission to open it: the port says so with the udev rule, and shows the driver’s hints', async () => {
    const r = rig();
    r.plug({ openError: LIBUSB_ERROR.ACCESS });
    await r.hub.discovery.scan();
    await expect.poll(() => r.port()?.state, { timeout: 30_000, interval: 50 }).toBe('error');
    const port = r.port();
    expect(port?.health.lastError).toContain('SUBSYSTEM=="usb", ATTRS{idVendor}=="173a", ATTRS{idProduct}=="21d5"');
    expect(port?.health.hints).toEqual(expect.arrayContaining(driver?.manifest.hints ?? []));
    expect(port?.health.hints.join(' ')).toMatch(/WinUSB/);
  }, 60_000);
});
