/**
 * USB ids discovery knows without a driver (docs/architecture.md §6): generic USB-serial adapters, behind
 * which any serial device may sit, and a few devices we recognise but cannot read. Kept short
 * and honest: an id is listed only with where it comes from, and marked when we are not sure.
 */

interface KnownUsbId {
  vendorId: number;
  productId: number;
  /** What a biomed engineer would call it. */
  name: string;
}

/**
 * USB-serial adapter chips. These ids are the chip makers' own defaults (FTDI AN_
 * "Vendor ID / Product ID" list, Prolific PL2303 and WCH CH340 and Silicon Labs CP210x Linux
 * kernel drivers ftdi_sio, pl2303, ch341 and cp210x), so they say nothing about the device.
 */
export const GENERIC_ADAPTERS: readonly KnownUsbId[] = [
  { vendorId: 0x0403, productId: 0x6001, name: 'FTDI FT232R USB-serial adapter' },
  { vendorId: 0x0403, productId: 0x6015, name: 'FTDI FT-X (FT230X/FT231X) USB-serial adapter' },
  { vendorId: 0x067b, productId: 0x2303, name: 'Prolific PL2303 USB-serial adapter' },
  { vendorId: 0x1a86, productId: 0x7523, name: 'WCH CH340 USB-serial adapter' },
  // WCH's default id for its CH9102 chip (a CDC-ACM bridge); built into the Consult 120 among many others.
  { vendorId: 0x1a86, productId: 0x55d4, name: 'WCH CH9102 USB-serial adapter' },
  { vendorId: 0x10c4, productId: 0xea60, name: 'Silicon Labs CP210x USB-serial adapter' },
  // The CP2110 HID-to-UART bridge's own id: TaiDoc meters keep it, and so do many other gadgets.
  { vendorId: 0x10c4, productId: 0xea80, name: 'Silicon Labs CP2110 HID-to-UART bridge' },
];

/**
 * Devices we know by USB id but have no driver for: said so by name, instead of leaving the
 * engineer to guess why nothing happens.
 */
export const KNOWN_UNSUPPORTED: readonly KnownUsbId[] = [
  // glucometerutils (python-glucometerutils, drivers/fslibre2.py); the Abbott driver's manifest
  // says the Libre 2 encrypts its data.
  { vendorId: 0x1a61, productId: 0x3950, name: 'Abbott FreeStyle Libre 2 reader' },
  // glucometerutils (drivers/fsinsulinx.py).
  { vendorId: 0x1a61, productId: 0x3460, name: 'Abbott FreeStyle InsuLinx meter' },
  // Uncertain: from the openaps dexcom_reader project (constants.py), not checked on a device.
  { vendorId: 0x22a3, productId: 0x0047, name: 'Dexcom G4/G5 receiver (id not confirmed on a device)' },
];

export function findKnown(list: readonly KnownUsbId[], vendorId: number, productId: number): KnownUsbId | undefined {
  return list.find((k) => k.vendorId === vendorId && k.productId === productId);
}

/** `067b:2303`, as lsusb and udev print it. */
export function usbIdText(vendorId: number, productId: number): string {
  return `${vendorId.toString(16).padStart(4, '0')}:${productId.toString(16).padStart(4, '0')}`;
}
