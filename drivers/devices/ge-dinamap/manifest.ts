import { DEFAULT_DEADLINES, type DriverManifest } from '../../kit/index.ts';

/** Seconds SpO2 and the oximeter pulse must stay valid and stable (docs/adding-a-driver.md §2). */
const DEFAULT_STABILITY_WINDOW_SECONDS = 10;

/**
 * GE DINAMAP ProCare / PRO / Carescape V100 over the "DINAMAP Compact host comms revision 01"
 * ASCII protocol: the hub polls NA, OA, RA and TC about once a second (PROTOCOL.md).
 */
export const manifest: DriverManifest = {
  id: 'ge-dinamap',
  name: 'GE DINAMAP ProCare / PRO / Carescape V100',
  manufacturer: 'GE Healthcare',
  models: ['Carescape V100', 'DINAMAP ProCare 100–400', 'DINAMAP PRO 200'],
  category: 'vitals',
  kind: 'continuous',
  // PROTOCOL.md §2: 9600 8N1, no handshake, in both implementations that state it.
  transport: { type: 'serial', serial: { baudRate: 9600, dataBits: 8, parity: 'none', stopBits: 1, flowControl: 'none' } },
  // An RS-232 host port behind a generic USB-serial adapter (FTDI 0403:6001 in one source,
  // PROTOCOL.md §2): that id says nothing about what is behind it, so discovery must not claim
  // it for this driver; the port is chosen by hand.
  usb: [],
  // The replies carry a checksum, but it is only compared and counted, never used to reject a
  // reply, until a capture confirms the reply checksum (PROTOCOL.md §3): the conformance check
  // "no reading from a bad checksum" must not apply.
  checksum: false,
  options: [
    { key: 'stabilityWindowSeconds', label: 'Stability window', description: 'Seconds SpO2 and pulse must stay valid and stable before a reading is captured automatically', type: 'number', default: DEFAULT_STABILITY_WINDOW_SECONDS, unit: 's', min: 2, max: 120 },
    { key: 'autoCapture', label: 'Capture SpO2 automatically', description: 'Capture an SpO2 reading automatically when the values are stable (otherwise only the Capture button does)', type: 'boolean', default: true },
  ],
  commands: [
    { id: 'start-bp', label: 'Start BP', description: 'Start a blood-pressure determination (the cuff inflates)' },
    { id: 'cancel-bp', label: 'Cancel BP', description: 'Stop the determination in progress and deflate the cuff' },
  ],
  deadlines: DEFAULT_DEADLINES,
  hints: [
    'Connect the monitor\'s RS-232 host port to the USB-serial adapter; if nothing answers, try a null-modem adapter in between.',
    'Set the port to 9600 baud, 8 data bits, no parity, 1 stop bit, no flow control.',
    'The monitor must be at its default host address (unit id: space).',
  ],
};
