import { DEFAULT_DEADLINES, type DriverManifest } from '../../kit/index.ts';
import { MAX_RETRIES, RESPONSE_TIMEOUT_MS } from './conversation.ts';

/** Longest one request can take: every attempt waits RESPONSE_TIMEOUT_MS (PROTOCOL.md §7). */
const REQUEST_WORST_MS = (1 + MAX_RETRIES) * RESPONSE_TIMEOUT_MS;
/** identify asks for the serial number, the software version and the unit setting. */
const IDENTIFY_REQUESTS = 3;

/**
 * LifeScan OneTouch Verio IQ: the LifeScan binary packets (drivers/families/lifescan) over the
 * meter's built-in CP2103 USB-serial chip, which carries LifeScan's own product id (PROTOCOL.md).
 */
export const manifest: DriverManifest = {
  id: 'lifescan-onetouch-verio-iq',
  name: 'LifeScan OneTouch Verio IQ',
  manufacturer: 'LifeScan',
  models: ['OneTouch Verio IQ'],
  category: 'glucose',
  kind: 'download',
  transport: {
    type: 'serial',
    // 38400 8N1, no flow control: glucometer-protocols, glucometerutils and Tidepool agree (PROTOCOL.md §2).
    serial: { baudRate: 38400, dataBits: 8, parity: 'none', stopBits: 1, flowControl: 'none' },
  },
  usb: [{ vendorId: 0x10c4, productId: 0x85a7, note: 'OneTouch Verio IQ (built-in Silicon Labs CP2103 with a LifeScan product id)' }],
  checksum: true,
  options: [],
  deadlines: {
    ...DEFAULT_DEADLINES,
    identifyMs: IDENTIFY_REQUESTS * REQUEST_WORST_MS + 2_000,
  },
  hints: [
    'Connect the meter with its mini-USB cable; the meter shows that it is connected. Do not press its buttons while it downloads.',
    'Linux: if no /dev/ttyUSB… appears when the meter is plugged in, the cp210x driver does not know its id yet; give it once with: echo 10c4 85a7 | sudo tee /sys/bus/usb-serial/drivers/cp210x/new_id (not yet tried on a meter).',
    'Windows: the Silicon Labs CP210x driver must be bound to VID_10C4&PID_85A7 by an INF that lists that id (Tidepool’s uploader ships one); the stock Silicon Labs INF does not.',
    'The serial settings are fixed: 38400 baud, 8 data bits, no parity, 1 stop bit, no flow control.',
    'Control-solution tests are kept apart from patient results; records already read are recognised and not offered twice.',
  ],
};
