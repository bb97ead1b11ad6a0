import { DEFAULT_DEADLINES, type DriverManifest } from '../../kit/index.ts';

/**
 * Detecto solo digital clinical scale: one `Time, Date, BMI, Height, Weight` line per print,
 * from the Print key or the host's print request (PROTOCOL.md).
 */
export const manifest: DriverManifest = {
  id: 'detecto-solo',
  name: 'Detecto solo clinical scale',
  manufacturer: 'Detecto',
  models: ['solo digital clinical scale'],
  category: 'vitals',
  kind: 'discrete',
  // PROTOCOL.md §1: fixed at 9600 8N1.
  transport: { type: 'serial', serial: { baudRate: 9600, dataBits: 8, parity: 'none', stopBits: 1, flowControl: 'none' } },
  // A 9-pin RS-232 port (Detecto cable 6600-1891) behind any USB-serial adapter: no USB id of its own.
  usb: [],
  checksum: false,
  options: [
    {
      key: 'dateOrder',
      label: 'Date order',
      description: 'How the scale prints its date: MDY (08/07/15 = 7 Aug 2015, the US default) or DMY (8 Jul 2015)',
      type: 'string',
      default: 'MDY',
      choices: ['MDY', 'DMY'],
    },
  ],
  commands: [{ id: 'print', label: 'Print', description: 'Ask the scale to send the current weighing, as its Print key does' }],
  deadlines: DEFAULT_DEADLINES,
  hints: [
    'Connect the serial port under the small cover on the back of the display (Detecto cable 6600-1891) to the USB-serial adapter; the port is fixed at 9600 baud, 8 data bits, no parity, 1 stop bit.',
    'Press Print on the scale (or use the Print command) once the patient is weighed: the scale sends nothing by itself.',
  ],
};
