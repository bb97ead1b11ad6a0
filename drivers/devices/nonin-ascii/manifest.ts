import { DEFAULT_DEADLINES, type DriverManifest } from '../../kit/index.ts';
import { oximetryCaptureOptions } from '../../families/oximetry/capture-options.ts';

/**
 * Identify does not wait for data (the oximeter answers nothing; PROTOCOL.md §1), so it is quick.
 * Probe waits for one line; lines come once a second (PROTOCOL.md §2), so 3 s sees two or three.
 */
const IDENTIFY_MS = 500;
const PROBE_MS = 3000;

export const manifest: DriverManifest = {
  id: 'nonin-ascii',
  name: 'Nonin wired oximeters (ASCII real-time output)',
  manufacturer: 'Nonin',
  models: ['2500 PalmSAT', '8500', '8500M', '9847', '8600V', 'BT4000', 'Avant 9600', '7500FO'],
  category: 'vitals',
  kind: 'continuous',
  // PROTOCOL.md §1: 9600 baud; 8N1 reads every model (the 9-bit and 2-stop-bit models included).
  transport: { type: 'serial', serial: { baudRate: 9600, dataBits: 8, parity: 'none', stopBits: 1, flowControl: 'none' } },
  // RS-232 ports with no USB id of their own: any USB-serial adapter (PROTOCOL.md §1).
  usb: [],
  checksum: false,
  options: [
    ...oximetryCaptureOptions(),
  ],
  deadlines: { ...DEFAULT_DEADLINES, probeMs: PROBE_MS, identifyMs: IDENTIFY_MS },
  hints: [
    'Set the oximeter\'s serial output to real-time ASCII (on the Avant 9600 and BT4000 see the DIP switches or the output menu).',
    'Set the port to 9600 baud, 8 data bits, no parity, 1 stop bit, no flow control (this also reads the 2-stop-bit Avant 9600 / 7500FO).',
    'The oximeter sends one SPO2=… HR=… line per second; if nothing arrives within a few seconds, check the cable (null-modem where the manual says so) and the baud rate.',
  ],
};
