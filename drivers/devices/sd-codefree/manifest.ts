import { DEFAULT_DEADLINES, type DriverManifest } from '../../kit/index.ts';

/** How long open waits for the meter to be switched on and greet (PROTOCOL.md §3). */
export const OPEN_WAIT_MS = 60_000;

/** SD Biosensor SD CodeFree over its CP210x cable with a 2.5 mm plug (PROTOCOL.md §1). */
export const manifest: DriverManifest = {
  id: 'sd-codefree',
  name: 'SD Biosensor SD CodeFree',
  manufacturer: 'SD Biosensor',
  models: ['SD CodeFree'],
  category: 'glucose',
  kind: 'download',
  transport: { type: 'serial', serial: { baudRate: 38400, dataBits: 8, parity: 'none', stopBits: 1, flowControl: 'none' } },
  usb: [{ vendorId: 0x10c4, productId: 0xea60, note: 'Silicon Labs CP210x cable with a 2.5 mm plug for the SD CodeFree; other devices use this chip too' }],
  checksum: true,
  // No command reads the meter's clock (PROTOCOL.md §6).
  deviceClock: 'none',
  options: [],
  deadlines: { ...DEFAULT_DEADLINES, openMs: OPEN_WAIT_MS + 2_000 },
  hints: [
    'Start the download with the meter switched off and its cable plugged in, then switch the meter on: the meter starts the conversation (within a minute).',
    'Do not press the meter’s buttons while it downloads. If the meter shows E-5, switch it off and on and start again.',
    'Values are read in mg/dL as the meter stores them. The meter sends no control-solution or HI/LO marker, and no serial number: check control tests on the meter.',
    'The serial settings are fixed: 38400 baud, 8 data bits, no parity, 1 stop bit, no flow control.',
  ],
};
