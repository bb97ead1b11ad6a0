import { DEFAULT_DEADLINES, type DriverManifest } from '../../kit/index.ts';

/** Seconds the values must stay valid and stable before an automatic capture (docs/adding-a-driver.md §2). */
const DEFAULT_STABILITY_WINDOW_SECONDS = 10;
/** Largest SpO2 spread in the window, in % (docs/adding-a-driver.md §2). */
const DEFAULT_SPO2_TOLERANCE_PERCENT = 1;
/** Largest pulse-rate spread in the window, in /min (docs/adding-a-driver.md §2). */
const DEFAULT_PULSE_TOLERANCE_PER_MIN = 3;
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
    { key: 'stabilityWindowSeconds', label: 'Stability window', description: 'Seconds SpO2 and pulse must stay valid and stable before a reading is captured automatically', type: 'number', default: DEFAULT_STABILITY_WINDOW_SECONDS, unit: 's', min: 2, max: 120 },
    { key: 'autoCapture', label: 'Capture automatically', description: 'Capture a reading automatically when the values are stable (otherwise only the Capture button does)', type: 'boolean', default: true },
    { key: 'spo2Tolerance', label: 'SpO2 tolerance', description: 'Largest SpO2 change allowed within the stability window', type: 'number', default: DEFAULT_SPO2_TOLERANCE_PERCENT, unit: '%', min: 0, max: 5 },
    { key: 'pulseTolerance', label: 'Pulse tolerance', description: 'Largest pulse-rate change allowed within the stability window', type: 'number', default: DEFAULT_PULSE_TOLERANCE_PER_MIN, unit: '/min', min: 0, max: 20 },
  ],
  deadlines: { ...DEFAULT_DEADLINES, probeMs: PROBE_MS, identifyMs: IDENTIFY_MS },
  hints: [
    'Set the monitor\'s serial output to "ASCII 1" (menu Serial Output / SEr → AS1). The Rad-8 is set to "ASCII 2" by default, which is a printer format this driver cannot read.',
    'Use a null-modem cable (or a null-modem adapter) between the monitor and the USB-serial adapter.',
    'Set the port to 9600 baud, 8 data bits, no parity, 1 stop bit, no flow control.',
    'The monitor sends one line per second; if nothing arrives within a few seconds, check the cable, the output mode and the baud rate.',
  ],
};
