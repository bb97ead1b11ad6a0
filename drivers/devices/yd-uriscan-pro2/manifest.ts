import { DEFAULT_DEADLINES, type DriverManifest } from '../../kit/index.ts';

/**
 * YD Diagnostics URiSCAN PRO II and readers that print the same fixed-layout report: one
 * STX … ETX printout per strip, sent one way without handshake or checksum (PROTOCOL.md §1–2).
 */
export const manifest: DriverManifest = {
  id: 'yd-uriscan-pro2',
  name: 'YD Diagnostics URiSCAN PRO II (fixed-layout report)',
  manufacturer: 'YD Diagnostics',
  models: ['URiSCAN PRO II'],
  category: 'urine',
  kind: 'discrete',
  // PROTOCOL.md §1: the settings are the user's; 9600 8N1 without flow control is the default
  // option on the analyzer's menu, and the baud rate is the one biomed staff most often change
  // (the port's serial override).
  transport: {
    type: 'serial',
    serial: { baudRate: 9600, dataBits: 8, parity: 'none', stopBits: 1, flowControl: 'none' },
  },
  // An RS-232 port reached through the clinic's USB-serial adapter: no USB id of its own.
  usb: [],
  checksum: false,
  options: [],
  deadlines: { ...DEFAULT_DEADLINES },
  hints: [
    "Set the analyzer's serial output on (its set-up menu) and match the port to it: 9600 baud, 8 data bits, no parity, 1 stop bit unless the analyzer was set otherwise.",
    'The analyzer sends a report only when a strip has been read (or a stored result is printed again): run a strip to test the connection.',
    'Check the cable: the analyzer has a 9-pin RS-232 port; if nothing arrives, try a null-modem adapter.',
  ],
};
