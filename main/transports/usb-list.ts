import { HubError } from '../../shared/errors.ts';
import { busPathOf, findWithLibusb, type UsbDeviceHandle } from './usb-device.ts';

/** A USB device as libusb enumerates it (no strings: reading those means opening the device). */
export interface UsbDeviceInfo {
  vendorId: number;
  productId: number;
  busPath: string;
  busNumber: number;
  deviceAddress: number;
}

export type UsbListResult = { ok: true; devices: UsbDeviceInfo[] } | { ok: false; error: HubError; devices: UsbDeviceInfo[] };

/** Enumerate USB devices by id and bus path. Never throws: a failure (libusb missing) comes back as `ok: false`. */
export async function listUsbDevices(find: () => Promise<readonly UsbDeviceHandle[]> = findWithLibusb): Promise<UsbListResult> {
  try {
    const devices = await find();
    return {
      ok: true,
      devices: devices.map((d) => ({
        vendorId: d.deviceDescriptor.idVendor,
        productId: d.deviceDescriptor.idProduct,
        busPath: busPathOf(d),
        busNumber: d.busNumber,
        deviceAddress: d.deviceAddress,
      })),
    };
  } catch (cause) {
    const text = cause instanceof Error ? cause.message : String(cause);
    return { ok: false, devices: [], error: new HubError('TRANSPORT_LIST_FAILED', `could not list USB devices (${text}): install libusb-1.0-0`, { cause }) };
  }
}
