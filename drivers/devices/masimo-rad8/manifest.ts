import { DEFAULT_DEADLINES, type DriverManifest } from '../../kit/index.ts';
import { oximetryCaptureOptions } from '../../families/oximetry/capture-options.ts';

/**
 * Identify does not wait for data (the device sends no identity on request), so it is quick.
 * Probe waits for one line; lines come once a second (PROTOCOL.md §2), so 3 s sees two or three.
 */
const IDENTIFY_MS = 500;
const PROBE_MS = 3000;

export const manifest: DriverManifest = {
  id: 'masimo-rad8',
  name: 'Masimo Rad-8 / Radical-7 / Rad-87 (ASCII 1)',
  manufacturer: 'Masimo',
  models: ['Rad-8', 'Radical-7', 'Rad-87', 'Radical-5'],
  category: 'vitals',
  kind: 'continuous',
  // PROTOCOL.md §2: 9600 baud, 8N1, no handshake.
  transport: { type: 'serial', serial: { baudRate: 9600, dataBits: 8, parity: 'none', stopBits: 1, flowControl: 'none' } },
  // The monitors have a plain RS-232 DB-9 port and no USB id of their own: any USB-serial
  // adapter works, so discovery cannot match them by vendor/product id.
  usb: [],
  checksum: false,
  options: [
    ...oximetryCaptureOptions(),
  ],
  deadlines: { ...DEFAULT_DEADLINES, probeMs: PROBE_MS, identifyMs: IDENTIFY_MS },
  hints: [
    'Set the monitor\'s serial output to "ASCII 1" (menu Serial Output / SEr → AS1). The Rad-8 is set to "ASCII 2" by default, which is a printer format this driver cannot read.',
    'Use a null-modem cable (or a null-modem adapter) between the monitor and the USB-serial adapter.',
    'Set the port to 9600 baud, 8 data bits, no parity, 1 stop bit, no flow control.',
    'The monitor sends one line per second; if nothing arrives within a few seconds, check the cable, the output mode and the baud rate.',
  ],
};
