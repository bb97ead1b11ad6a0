import { DEFAULT_DEADLINES, type DriverManifest } from '../../kit/index.ts';

/**
 * Rice Lake physician scales (140-10-7, 160-10-7, 350-10): the Print key's 21-character weight
 * line, and the labelled lines of BMI mode (PROTOCOL.md).
 */
export const manifest: DriverManifest = {
  id: 'rice-lake-physician',
  name: 'Rice Lake physician scale',
  manufacturer: 'Rice Lake Weighing Systems',
  models: ['140-10-7', '160-10-7', '350-10'],
  category: 'vitals',
  kind: 'discrete',
  // PROTOCOL.md §1: 9600 is the default of a selectable rate; 8N1, no handshake.
  transport: { type: 'serial', serial: { baudRate: 9600, dataBits: 8, parity: 'none', stopBits: 1, flowControl: 'none' } },
  // An RS-232 port behind any USB-serial adapter: no USB id of its own.
  usb: [],
  checksum: false,
  options: [],
  commands: [],
  deadlines: DEFAULT_DEADLINES,
  hints: [
    'Connect the scale\'s RS-232 port to the USB-serial adapter; the scale\'s default is 9600 baud, 8 data bits, no parity, 1 stop bit (if the baud rate was changed in setup, set it back to 9600).',
    'Press Print on the scale once the patient is weighed (in BMI mode, after the height is entered): the scale sends nothing by itself.',
  ],
};
