import { DEFAULT_DEADLINES, type DriverManifest } from '../../kit/index.ts';

/**
 * ACON Mission U120 urine strip reader, also sold as the McKesson Consult 120: one plain-text
 * report between STX and ETX per sample, pushed on Print or by auto-print (PROTOCOL.md §1–§2).
 */
export const manifest: DriverManifest = {
  id: 'acon-mission-u120',
  name: 'ACON Mission U120 / McKesson Consult 120',
  manufacturer: 'ACON Laboratories',
  models: ['Mission U120', 'McKesson Consult 120'],
  category: 'urine',
  kind: 'discrete',
  // PROTOCOL.md §1: 9600 8N1 through the analyzer's CH9102 USB-serial bridge, no handshake.
  transport: { type: 'serial', serial: { baudRate: 9600, dataBits: 8, parity: 'none', stopBits: 1, flowControl: 'none' } },
  // The CH9102's id is WCH's default, shared by any device built on that chip: discovery offers
  // this driver for it but never connects by itself (docs/architecture.md §6).
  usb: [{ vendorId: 0x1a86, productId: 0x55d4, note: 'WCH CH9102 USB-serial bridge inside the analyzer (Consult 120); other devices use this chip too' }],
  checksum: false,
  options: [],
  deadlines: { ...DEFAULT_DEADLINES },
  hints: [
    'Connect the USB cable from the analyzer; the port is 9600 baud, 8 data bits, no parity, 1 stop bit.',
    'The analyzer sends a report when a result is printed: press Print on a result, or turn auto-print on in its settings, to test the connection.',
    'Key the patient or sample ID on the analyzer before each test: on a shared analyzer it is what matches the result to its patient.',
  ],
};
