import { DEFAULT_DEADLINES, type DriverManifest } from '../../kit/index.ts';

/**
 * Omron HBP-9030 professional blood-pressure monitor (and the HBP-9020 `bp,…` line): one line per
 * finished measurement, pushed over USB CDC-ACM (PROTOCOL.md §1).
 */
export const manifest: DriverManifest = {
  id: 'omron-hbp-9030',
  name: 'Omron HBP-9030 / HBP-9020 blood-pressure monitor',
  manufacturer: 'Omron',
  models: ['HBP-9030', 'HBP-9020'],
  category: 'vitals',
  kind: 'discrete',
  // PROTOCOL.md §1: 9600 8N1 in both client programs read; over CDC-ACM the rate is nominal.
  transport: { type: 'serial', serial: { baudRate: 9600, dataBits: 8, parity: 'none', stopBits: 1, flowControl: 'none' } },
  // The monitor's USB product id is not in any source we read (PROTOCOL.md §1): no id to match on
  // until a device is seen; the port is chosen by hand.
  usb: [],
  checksum: false,
  options: [],
  deadlines: DEFAULT_DEADLINES,
  hints: [
    'On the monitor, set the output format to format 5 (function setting item 32) and connect its USB2 (Type-B) port to the workstation.',
    'The monitor only sends when a measurement finishes: take a measurement to test the connection.',
    'An HBP-9020 on its RS-232 port usually talks at 2400 baud: set the port to 2400 8N1 for it.',
  ],
};
