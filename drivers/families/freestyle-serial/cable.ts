import type { DriverManifest } from '../../kit/index.ts';

/**
 * The line settings every FreeStyle serial meter uses (docs/drivers: abbott-freestyle-lite and
 * abbott-freestyle-optium PROTOCOL.md §2): 19200 baud, 8N1, no flow control, through Abbott's
 * TI TUSB3410 cables (or a generic FTDI cable for the Lite family).
 */
export const FREESTYLE_SERIAL_TRANSPORT: DriverManifest['transport'] = {
  type: 'serial',
  serial: { baudRate: 19200, dataBits: 8, parity: 'none', stopBits: 1, flowControl: 'none' },
};

/** What a user must know about the TUSB3410 cable on every system (PROTOCOL.md §2). */
export const TUSB3410_HINTS = [
  'Serial settings are fixed: 19200 baud, 8 data bits, no parity, 1 stop bit, no flow control.',
  "Linux: Abbott's TI TUSB3410 cable needs the in-kernel ti_usb_3410_5052 driver and its firmware (package linux-firmware); without it no /dev/ttyUSB… appears.",
  "Windows: the TUSB3410 cable needs TI's VCP driver before a COM port appears. macOS: not known to work.",
] as const;
