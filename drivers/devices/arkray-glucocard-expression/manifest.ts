import { DEFAULT_DEADLINES, type DriverManifest } from '../../kit/index.ts';
import { COMMAND_ATTEMPTS, REPLY_MS } from './conversation.ts';

/** Open and identify: one command each, up to COMMAND_ATTEMPTS × REPLY_MS (PROTOCOL.md §3), plus room. */
const STEP_MS = COMMAND_ATTEMPTS * REPLY_MS + 2_000;

/** GLUCOCARD Expression and Omnis Embrace TALK (PROTOCOL.md). */
export const manifest: DriverManifest = {
  id: 'arkray-glucocard-expression',
  name: 'Arkray GLUCOCARD Expression / Omnis Embrace TALK',
  manufacturer: 'Arkray',
  models: ['GLUCOCARD Expression', 'Omnis Embrace TALK'],
  category: 'glucose',
  kind: 'download',
  // PROTOCOL.md §1: 19200 8N1.
  transport: { type: 'serial', serial: { baudRate: 19200, dataBits: 8, parity: 'none', stopBits: 1, flowControl: 'none' } },
  // The cables Tidepool lists are generic PL2303 / FTDI adapters (PROTOCOL.md §1): claiming their
  // ids would take every such adapter for this meter, so the port is chosen by hand.
  usb: [],
  checksum: true,
  options: [],
  deadlines: { ...DEFAULT_DEADLINES, probeMs: STEP_MS, openMs: STEP_MS, identifyMs: STEP_MS },
  hints: [
    'Put the meter in PC Link Mode (see its manual) with the data cable plugged in, then start the download.',
    'Serial settings: 19200 baud, 8 data bits, no parity, 1 stop bit, no flow control. The meter cable is a generic PL2303 or FTDI USB-serial adapter, so choose its port by hand.',
    'This protocol is known from one open-source uploader only and has not been confirmed on a meter by us: check the downloaded values against the meter memory and tell your administrator of any difference.',
    'A meter set to mmol/L is downloaded with its values unmapped (their scale is not known): check them on the meter.',
  ],
};
