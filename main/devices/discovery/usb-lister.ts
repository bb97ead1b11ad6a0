import { linkKinds, type DriverManifest } from '../../../drivers/kit/index.ts';
import { listUsbDevices, type UsbListResult } from '../../transports/index.ts';
import type { PortLister, SeenPort } from './listers.ts';

/** `usb:<bus path>`: where the device is plugged in, stable while it stays in that socket. */
export const usbPortId = (busPath: string): string => `usb:${busPath}`;

/**
 * The USB ids of drivers that read their device over its own bulk endpoints (manifest transport
 * `usb`). Only those: a HID meter is a USB device too, and listing it here as well would show it
 * twice, once per kind.
 */
export function usbBulkIds(manifests: readonly DriverManifest[]): { vendorId: number; productId: number }[] {
  return manifests.filter((m) => linkKinds(m).includes('usb')).flatMap((m) => m.usb.map((u) => ({ vendorId: u.vendorId, productId: u.productId })));
}

/**
 * USB devices read through libusb (main/transports/usb.ts), as ports of kind `usb` whose path is
 * the bus path (`1-4.2`, what openUsbLink takes). Like the HID lister (listers.ts), only the ids
 * asked for are kept: every hub, webcam and disk is a USB device too. Listing opens nothing, so
 * a meter is only touched when it is read. Never rejects: a failure (libusb missing) is a problem.
 */
export function usbLister(wanted: readonly { vendorId: number; productId: number }[], list: () => Promise<UsbListResult> = () => listUsbDevices()): PortLister {
  const known = new Set(wanted.map((u) => `${u.vendorId}:${u.productId}`));
  return async () => {
    const result = await list();
    const ports = result.devices
      .filter((d) => known.has(`${d.vendorId}:${d.productId}`))
      .map((d): SeenPort => ({ id: usbPortId(d.busPath), transport: 'usb', path: d.busPath, usb: { vendorId: d.vendorId, productId: d.productId } }));
    return result.ok ? { ports } : { ports, problem: result.error.message };
  };
}
