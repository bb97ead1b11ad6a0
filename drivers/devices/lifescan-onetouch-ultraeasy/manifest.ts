import { DEFAULT_DEADLINES, type DriverManifest } from '../../kit/index.ts';
import { ACK_TIMEOUT_MS, MAX_RETRIES, RESPONSE_TIMEOUT_MS } from './conversation.ts';
import { LIFESCAN_CABLE_TRANSPORT, LIFESCAN_CABLE_USB } from '../../families/lifescan/cable.ts';

/** Longest a request can take: every attempt waits for the ACK and then the response (PROTOCOL.md §2). */
const REQUEST_WORST_MS = (1 + MAX_RETRIES) * (ACK_TIMEOUT_MS + RESPONSE_TIMEOUT_MS);
/** identify asks for the serial number, the software version and the unit setting. */
const IDENTIFY_REQUESTS = 3;

/**
 * LifeScan OneTouch UltraEasy and UltraMini (one device under two names): the binary "shared
 * binary protocol" over the same TRS serial cable as the Ultra 2 (PROTOCOL.md).
 */
export const manifest: DriverManifest = {
  id: 'lifescan-onetouch-ultraeasy',
  name: 'LifeScan OneTouch UltraEasy / UltraMini',
  manufacturer: 'LifeScan',
  models: ['OneTouch UltraEasy', 'OneTouch UltraMini'],
  category: 'glucose',
  kind: 'download',
  transport: LIFESCAN_CABLE_TRANSPORT,
  usb: LIFESCAN_CABLE_USB,
  checksum: true,
  options: [],
  deadlines: {
    ...DEFAULT_DEADLINES,
    // The link reset (DISC) is tried 1 + MAX_RETRIES times, waiting ACK_TIMEOUT_MS each.
    openMs: (1 + MAX_RETRIES) * ACK_TIMEOUT_MS + 2_000,
    identifyMs: IDENTIFY_REQUESTS * REQUEST_WORST_MS + 2_000,
  },
  hints: [
    'Connect the cable with the meter switched off; the meter should then wake up for the PC link (see its manual). Do not press its buttons while it downloads.',
    'Push the cable’s jack fully into the meter’s data port: a loose jack gives no answer or checksum errors.',
    'The serial settings are fixed: 9600 baud, 8 data bits, no parity, 1 stop bit, no flow control.',
    'This cable also fits the OneTouch Ultra 2, which speaks another protocol: if the meter is an Ultra 2, choose the Ultra 2 driver.',
    'If the download stops with checksum errors, check the cable and try again; records already read are recognised and not offered twice.',
  ],
};
