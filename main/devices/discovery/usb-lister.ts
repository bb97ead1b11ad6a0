import { listUsbDevices, type UsbListResult } from '../../transports/index.ts';

/** A USB device reached through libusb's bulk endpoints (main/transports/usb.ts), as discovery lists it. */
export interface SeenUsbDevice {
  /** `usb:<bus path>`: where it is plugged in, stable while it stays in that socket. */
  id: string;
  transport: 'usb';
  /** `1-4.2`: what openUsbLink and the `usb` LinkSpec take. */
  busPath: string;
  usb: { vendorId: number; productId: number };
}

/** What one USB listing gave; `problem` says in words why it may be incomplete (libusb missing). */
export interface UsbListing {
  devices: SeenUsbDevice[];
  problem?: string;
}

export const usbDeviceId = (busPath: string): string => `usb:${busPath}`;

/**
 * USB devices by id, the way HID devices are listed (listers.ts): every hub, webcam and disk is a
 * USB device too, so only the ids asked for are kept — those of drivers that read a device over
 * its bulk endpoints, plus any we know to be unsupported. Kept generic: it knows ids, not drivers.
 * Never rejects.
 *
 * Not yet a port kind of its own: the Devices screen lists serial, HID and network ports, and a
 * USB port kind (its row in the ports table, its assignment rules) comes with the first driver
 * that reads over this transport (docs/architecture.md §6).
 */
export function usbLister(
  wanted: readonly { vendorId: number; productId: number }[],
  list: () => Promise<UsbListResult> = () => listUsbDevices(),
): () => Promise<UsbListing> {
  const known = new Set(wanted.map((u) => `${u.vendorId}:${u.productId}`));
  return async () => {
    const result = await list();
    const devices = result.devices
      .filter((d) => known.has(`${d.vendorId}:${d.productId}`))
      .map((d): SeenUsbDevice => ({ id: usbDeviceId(d.busPath), transport: 'usb', busPath: d.busPath, usb: { vendorId: d.vendorId, productId: d.productId } }));
    return result.ok ? { devices } : { devices, problem: result.error.message };
  };
}
