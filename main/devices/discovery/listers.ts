import { linkKinds, type DriverManifest } from '../../../drivers/kit/index.ts';
import { listHidDevices, listSerialPorts, type HidListResult, type SerialListResult } from '../../transports/index.ts';
import { KNOWN_UNSUPPORTED } from './usb-ids.ts';

/** One port, HID device or USB bulk device as a lister saw it. */
export interface SeenPort {
  /** `serial:<path>`, `hid:<path>` or `usb:<bus path>`: the port's stable id (see PortSchema). */
  id: string;
  transport: 'serial' | 'hid' | 'usb';
  path: string;
  usb?: { vendorId: number; productId: number; serialNumber?: string; manufacturer?: string; product?: string };
}

/** What one listing gave; `problem` says in words why the list may be incomplete (no udev …). */
export interface Listing {
  ports: SeenPort[];
  problem?: string;
}

/** Lists one kind of port. Never rejects: a failure is a `problem` with what could be found. */
export type PortLister = () => Promise<Listing>;

export const serialPortId = (path: string): string => `serial:${path}`;
export const hidPortId = (path: string): string => `hid:${path}`;

/** Serial ports, through the transports' lister (which never crashes and falls back to sysfs). */
export function serialLister(list: () => Promise<SerialListResult> = () => listSerialPorts()): PortLister {
  return async () => {
    const result = await list();
    const ports = result.ports.map((p): SeenPort => {
      const usb =
        p.vendorId !== undefined && p.productId !== undefined
          ? { vendorId: p.vendorId, productId: p.productId, ...(p.serialNumber ? { serialNumber: p.serialNumber } : {}), ...(p.manufacturer ? { manufacturer: p.manufacturer } : {}) }
          : undefined;
      return { id: serialPortId(p.path), transport: 'serial', path: p.path, ...(usb ? { usb } : {}) };
    });
    return result.ok ? { ports } : { ports, problem: result.error.message };
  };
}

/**
 * HID devices (node-hid's `devicesAsync`, wrapped by the transports). Only devices a driver
 * claims or that we know to be unsupported are kept: every keyboard, mouse and headset is a HID
 * device too, and listing them as ports would bury the one meter among them.
 */
export function hidLister(manifests: readonly DriverManifest[], list: () => Promise<HidListResult> = () => listHidDevices()): PortLister {
  const known = new Set([...manifests.filter((m) => linkKinds(m).includes('hid')).flatMap((m) => m.usb), ...KNOWN_UNSUPPORTED].map((u) => `${u.vendorId}:${u.productId}`));
  return async () => {
    const result = await list();
    const ports: SeenPort[] = [];
    for (const d of result.devices) {
      if (!known.has(`${d.vendorId}:${d.productId}`) || !d.path) continue;
      ports.push({
        id: hidPortId(d.path),
        transport: 'hid',
        path: d.path,
        usb: {
          vendorId: d.vendorId,
          productId: d.productId,
          ...(d.serialNumber ? { serialNumber: d.serialNumber } : {}),
          ...(d.manufacturer ? { manufacturer: d.manufacturer } : {}),
          ...(d.product ? { product: d.product } : {}),
        },
      });
    }
    return result.ok ? { ports } : { ports, problem: result.error.message };
  };
}
