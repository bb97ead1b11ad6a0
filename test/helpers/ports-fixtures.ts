/**
 * A port manager with discovery over faked port lists and faked devices (the biomed console's tests, docs/architecture.md §6): the
 * device side is a driver's own simulator on an in-memory link pair behind a fake `openLink`, so
 * no hardware is needed; the store is real SQLite.
 */
import { afterEach } from 'vitest';
import { HubError } from '../../shared/errors.ts';
import type { Port } from '../../shared/api/ports-model.ts';
import { DRIVERS, findDriver } from '../../drivers/index.ts';
import { VirtualClock, LinkBase, createLinkPair, type Clock, type Driver, type Link } from '../../drivers/kit/index.ts';
import { EventBus } from '../../main/api/event-bus.ts';
import { DeviceManager } from '../../main/devices/device-manager.ts';
import { Discovery } from '../../main/devices/discovery/discovery.ts';
import type { SeenPort } from '../../main/devices/discovery/listers.ts';
import { noTraceService } from '../../main/devices/ports/no-trace.ts';
import { PortManager } from '../../main/devices/ports/port-manager.ts';
import type { HubDatabase } from '../../main/store/hub-database.ts';
import { listenTcpLink, type LinkSpec } from '../../main/transports/index.ts';
import { HubWorkflow } from '../../main/workflow/hub-workflow.ts';
import { useTempStore } from './store-fixtures.ts';

export function driver(id: string): Driver {
  const d = findDriver(id);
  if (!d) throw new Error(`no driver ${id}`);
  return d;
}

/** The host side of a device that can be unplugged: it ends with TRANSPORT_CLOSED, as a real port does. */
export class PluggedLink extends LinkBase {
  readonly mode: 'bytes' | 'reports';
  constructor(private readonly inner: Link) {
    super(inner.reportSize);
    this.mode = inner.mode;
    if (inner.usb) this.usb = inner.usb;
    inner.onData((chunk) => this.deliver(chunk));
    inner.onClose(() => this.ended());
  }
  protected async send(data: Uint8Array): Promise<void> {
    await this.inner.write(data);
  }
  protected async shutdown(): Promise<void> {
    await this.inner.close();
  }
  unplug(): void {
    this.ended(new HubError('TRANSPORT_CLOSED', 'the device was disconnected (unplugged)'));
    void this.inner.close();
  }
}

/** What plays behind a path when the hub opens it; returns the host side. */
export type FakeDevice = (spec: LinkSpec) => Link;

/** A driver's simulator as the device; `deviceClock` lets a meter keep the same memory across plugs. */
export function simulatedDevice(d: Driver, scenario: string, clock: Clock, onOpen?: (link: PluggedLink) => void): FakeDevice {
  return (spec) => {
    // Played on the link the hub opened (a driver may take several kinds, manifest `otherTransports`).
    const ids = spec.type === 'hid' && spec.vendorId !== undefined && spec.productId !== undefined ? { usb: { vendorId: spec.vendorId, productId: spec.productId } } : {};
    const pair = createLinkPair(spec.type === 'hid' ? { mode: 'reports', reportSize: spec.reportSize, ...ids } : {});
    const stop = new AbortController();
    pair.device.onClose(() => stop.abort());
    void d.simulator.run({ link: pair.device, clock, signal: stop.signal, scenario }).catch(() => undefined);
    const host = new PluggedLink(pair.host);
    onOpen?.(host);
    return host;
  };
}

/** A device that sends `bytes` once opened (nothing at all when empty) and never answers. */
export function rawDevice(bytes: Uint8Array[]): FakeDevice {
  return () => {
    const pair = createLinkPair();
    for (const chunk of bytes) void pair.device.write(chunk);
    return new PluggedLink(pair.host);
  };
}

export function portRig(store: HubDatabase) {
  const clock = new VirtualClock();
  const logs: string[] = [];
  const bugs: unknown[] = [];
  const workflow = new HubWorkflow(store, 'test-workstation', () => clock.now());
  const bus = new EventBus((_w, e) => bugs.push(e));
  const arrivals: string[] = [];
  workflow.onReviewChange((item) => arrivals.push(item.id));
  const devices = new DeviceManager({ sessions: store.sessions, readings: store.readings, workflow, onLive: (live) => bus.emit('live', live), clock, atomically: store.transaction, log: (l) => logs.push(l), reportBug: (_w, e) => bugs.push(e) });
  const lists = { serial: [] as SeenPort[], hid: [] as SeenPort[] };
  const behind = new Map<string, FakeDevice>();
  const files = new Set<string>();
  const opened: string[] = [];
  let changes = 0;
  const openLink = async (spec: LinkSpec): Promise<Link> => {
    const path = spec.type === 'tcp' ? `${spec.host}:${spec.port}` : spec.type === 'http' ? spec.url : spec.type === 'usb' ? (spec.busPath ?? '') : (spec.path ?? '');
    opened.push(path);
    const device = behind.get(path);
    if (!device) throw new HubError('TRANSPORT_NOT_FOUND', `${path} was not found`);
    return device(spec);
  };
  const ports = new PortManager({
    drivers: DRIVERS,
    repo: store.ports,
    devices,
    trace: noTraceService(),
    openLink,
    // Listening ports listen for real, on loopback: devices connect to them as they would on the ward.
    listen: listenTcpLink,
    pathExists: (p) => files.has(p),
    clock,
    onChange: () => changes++,
    log: (l) => logs.push(l),
    driverDefaults: store.driverDefaults,
  });
  const discovery = new Discovery({
    listers: [async () => ({ ports: lists.serial }), async () => ({ ports: lists.hid })],
    clock,
    onChange: (change) => ports.applyDiscovery(change),
    reportBug: (_w, e) => bugs.push(e),
  });
  const port = (id: string): Port => ports.get(id);
  /** Scan, then let every session run to its end on the virtual clock. */
  const scan = async (): Promise<void> => {
    await discovery.scan();
    await clock.runUntilIdle();
  };
  return { clock, workflow, devices, ports, discovery, lists, behind, files, opened, logs, bugs, arrivals, port, scan, changes: () => changes };
}

/** The setup every port test shares: a fresh real store per test, and rigs over it closed after the test. */
export function usePortRigs(): { readonly store: HubDatabase; start(): ReturnType<typeof portRig> } {
  let store: HubDatabase | undefined;
  const started: ReturnType<typeof portRig>[] = [];
  useTempStore((opened) => (store = opened.store));
  afterEach(async () => {
    for (const rig of started.splice(0)) {
      await rig.ports.close();
      await rig.devices.close();
    }
  });
  const current = (): HubDatabase => {
    if (!store) throw new Error('usePortRigs: the store exists only inside a test');
    return store;
  };
  return {
    get store() {
      return current();
    },
    start() {
      const rig = portRig(current());
      started.push(rig);
      return rig;
    },
  };
}

export const serialPort = (path: string, vendorId?: number, productId?: number, serialNumber?: string): SeenPort => ({
  id: `serial:${path}`,
  transport: 'serial',
  path,
  ...(vendorId !== undefined && productId !== undefined ? { usb: { vendorId, productId, ...(serialNumber ? { serialNumber } : {}) } } : {}),
});

export const hidPort = (path: string, vendorId: number, productId: number, serialNumber?: string): SeenPort => ({
  id: `hid:${path}`,
  transport: 'hid',
  path,
  usb: { vendorId, productId, ...(serialNumber ? { serialNumber } : {}) },
});
