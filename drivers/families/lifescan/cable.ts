import type { DriverManifest } from '../../kit/index.ts';

/**
 * The LifeScan OneTouch data cable (3.5 mm jack to USB) that the Ultra 2 and the UltraEasy /
 * UltraMini share (lifescan-onetouch-ultra2/PROTOCOL.md §2, lifescan-onetouch-ultraeasy/PROTOCOL.md §2): the same line settings and the same USB-serial
 * chips. Because the ids are shared, discovery cannot tell the two meters apart by USB id and
 * asks the user (docs/architecture.md §6).
 */
export const LIFESCAN_CABLE_TRANSPORT: DriverManifest['transport'] = {
  type: 'serial',
  // 9600 baud, 8N1, neither RTS/CTS nor XON/XOFF (both open-source implementations agree).
  serial: { baudRate: 9600, dataBits: 8, parity: 'none', stopBits: 1, flowControl: 'none' },
};

export const LIFESCAN_CABLE_USB: DriverManifest['usb'] = [
  { vendorId: 0x067b, productId: 0x2303, note: 'LifeScan data cable (Prolific PL2303 USB-serial), shared by the OneTouch Ultra 2 and UltraEasy / UltraMini' },
  { vendorId: 0x1a86, productId: 0x7523, note: 'CH340 USB-serial cable for the OneTouch 3.5 mm port, shared by the Ultra 2 and UltraEasy / UltraMini' },
];
