import { DEFAULT_DEADLINES, type DriverManifest } from '../../kit/index.ts';

/** Seconds the values must stay valid and stable before an automatic capture (docs/adding-a-driver.md §2). */
const DEFAULT_STABILITY_WINDOW_SECONDS = 10;
/** Largest SpO2 spread in the window, in % (docs/adding-a-driver.md §2). */
const DEFAULT_SPO2_TOLERANCE_PERCENT = 1;
/** Largest pulse-rate spread in the window, in /min (docs/adding-a-driver.md §2). */
const DEFAULT_PULSE_TOLERANCE_PER_MIN = 3;
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
    { key: 'stabilityWindowSeconds', label: 'Stability window', description: 'Seconds SpO2 and pulse must stay valid and stable before a reading is captured automatically', type: 'number', default: DEFAULT_STABILITY_WINDOW_SECONDS, unit: 's', min: 2, max: 120 },
    { key: 'autoCapture', label: 'Capture automatically', description: 'Capture a reading automatically when the values are stable (otherwise only the Capture button does)', type: 'boolean', default: true },
    { key: 'spo2Tolerance', label: 'SpO2 tolerance', description: 'Largest SpO2 change allowed within the stability window', type: 'number', default: DEFAULT_SPO2_TOLERANCE_PERCENT, unit: '%', min: 0, max: 5 },
    { key: 'pulseTolerance', label: 'Pulse tolerance', description: 'Largest pulse-rate change allowed within the stability window', type: 'number', default: DEFAULT_PULSE_TOLERANCE_PER_MIN, unit: '/min', min: 0, max: 20 },
  ],
  deadlines: { ...DEFAULT_DEADLINES, probeMs: PROBE_MS, identifyMs: IDENTIFY_MS },
  hints: [
    'Set the oximeter\'s serial output to real-time ASCII (on the Avant 9600 and BT4000 see the DIP switches or the output menu).',
    'Set the port to 9600 baud, 8 data bits, no parity, 1 stop bit, no flow control (this also reads the 2-stop-bit Avant 9600 / 7500FO).',
    'The oximeter sends one SPO2=… HR=… line per second; if nothing arrives within a few seconds, check the cable (null-modem where the manual says so) and the baud rate.',
  ],
};
