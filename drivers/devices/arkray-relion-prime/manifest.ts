import { DEFAULT_DEADLINES, type DriverManifest } from '../../kit/index.ts';
import { ATTEMPTS, REPLY_MS } from './conversation.ts';

/** open: up to 3 × (EOT, ACK, header) and 3 × remote-mode entry, 5 s per reply (PROTOCOL.md §3). */
const OPEN_MS = 2 * ATTEMPTS * 2 * REPLY_MS + 2_000;

/** ReliOn Prime and GLUCOCARD Vital (PROTOCOL.md). */
export const manifest: DriverManifest = {
  id: 'arkray-relion-prime',
  name: 'Arkray ReliOn Prime / GLUCOCARD Vital',
  manufacturer: 'Arkray',
  models: ['ReliOn Prime', 'GLUCOCARD Vital'],
  category: 'glucose',
  kind: 'download',
  // PROTOCOL.md §1: 19200 baud, 8 data bits, no parity, 2 stop bits.
  transport: { type: 'serial', serial: { baudRate: 19200, dataBits: 8, parity: 'none', stopBits: 2, flowControl: 'none' } },
  // Only Arkray's own cable id: the FTDI 0403:6001 cable is a generic adapter, chosen by hand (PROTOCOL.md §1).
  usb: [
    { vendorId: 0x0efb, productId: 0x0011, note: 'Arkray USB cable (CP210x with Arkray\'s own id)' },
  ],
  checksum: true,
  options: [],
  deadlines: { ...DEFAULT_DEADLINES, probeMs: 4_000, openMs: OPEN_MS },
  hints: [
    'Make sure the meter is off before you plug the cable in: it turns on by itself when the cable goes in.',
    'Serial settings: 19200 baud, 8 data bits, no parity, 2 stop bits, no flow control.',
    'On Linux the Arkray cable (0efb:0011) may not be known to the cp210x driver; an FTDI cable works without setup (choose its port by hand).',
    'This protocol is known from one open-source uploader only, and its record framing is not confirmed: check downloaded values against the meter memory and tell your administrator of any difference.',
  ],
};
