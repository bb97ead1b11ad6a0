import type { DriverManifest } from '../../kit/index.ts';
import { ATTEMPTS, REPLY_TIMEOUT_MS } from './conversation.ts';

/**
 * Deadlines, in ms. open sends ENQ up to ATTEMPTS times, each waiting REPLY_TIMEOUT_MS for the ID
 * packet (PROTOCOL.md §3), plus a margin; identify only hands back what open learnt.
 */
const ENQ_STEP_MS = ATTEMPTS * REPLY_TIMEOUT_MS + 2_000;

/**
 * Siemens (formerly Bayer) Clinitek 50 urine strip reader: the host polls its memory over RS-232
 * (ENQ identify, DC2 request, ACK/NAK per packet) with DTR held low (PROTOCOL.md).
 */
export const manifest: DriverManifest = {
  id: 'siemens-clinitek-50',
  name: 'Siemens Clinitek 50',
  manufacturer: 'Siemens',
  models: ['Clinitek 50'],
  category: 'urine',
  kind: 'download',
  // PROTOCOL.md §1: 9600 8N1. The host sends XON and DC3 itself as commands, so the system's own
  // XON/XOFF handling must stay off. DTR low: high puts the unit in programming mode.
  transport: { type: 'serial', serial: { baudRate: 9600, dataBits: 8, parity: 'none', stopBits: 1, flowControl: 'none' }, dtr: false },
  // An RS-232 port (Bayer's adapter cables) behind whatever USB-serial adapter the clinic uses.
  usb: [],
  checksum: true,
  options: [],
  deadlines: { probeMs: REPLY_TIMEOUT_MS + 1_000, openMs: ENQ_STEP_MS, identifyMs: 2_000, closeMs: 2_000 },
  hints: [
    'Serial settings: 9600 baud, 8 data bits, no parity, 1 stop bit, no flow control; the hub holds DTR low (DTR high puts the analyzer in programming mode).',
    "Use Bayer's data cable or a plain RS-232 cable wired as the analyzer manual shows; if nothing answers, try a null-modem adapter.",
    'The analyzer answers only at its main screen: finish or cancel any test in progress, then start the download again.',
  ],
};
