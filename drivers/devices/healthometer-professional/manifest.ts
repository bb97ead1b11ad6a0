import { DEFAULT_DEADLINES, type DriverManifest } from '../../kit/index.ts';

/** Default quiet time that ends a locked-weight stream, in seconds (PROTOCOL.md §4). */
export const DEFAULT_QUIET_SECONDS = 2.5;

/**
 * Health o meter Professional scales (Pelstar): ESC-field packets with no line end, repeated
 * once a second while the weight is locked; the stream collapses into one reading (PROTOCOL.md).
 */
export const manifest: DriverManifest = {
  id: 'healthometer-professional',
  name: 'Health o meter Professional scale',
  manufacturer: 'Health o meter (Pelstar)',
  models: ['498KL', '500KL', '2210KL-AM', '1100KL', '2650KL', '2700KL'],
  category: 'vitals',
  kind: 'discrete',
  // PROTOCOL.md §1: every model speaks 9600 8N1 through the CP210x bridge in the display head.
  transport: { type: 'serial', serial: { baudRate: 9600, dataBits: 8, parity: 'none', stopBits: 1, flowControl: 'none' } },
  usb: [{ vendorId: 0x10c4, productId: 0xea60, note: 'Silicon Labs CP210x bridge in the display head (also the Bluetooth dongle); other devices use this chip too' }],
  checksum: false,
  options: [
    {
      key: 'quietSeconds',
      label: 'Quiet time',
      description: 'Seconds without a packet after which the locked weight stream counts as one finished weighing',
      type: 'number',
      default: DEFAULT_QUIET_SECONDS,
      unit: 's',
      min: 1.5,
      max: 10,
    },
  ],
  commands: [],
  deadlines: DEFAULT_DEADLINES,
  hints: [
    'Connect the USB cable from the scale head (or plug in the Health o meter Bluetooth dongle); the port is 9600 baud, 8 data bits, no parity, 1 stop bit.',
    'The scale sends only while a weight is locked on the display: step on the scale and wait for the weight to lock. One weighing becomes one reading a few seconds after it stops sending.',
  ],
};
