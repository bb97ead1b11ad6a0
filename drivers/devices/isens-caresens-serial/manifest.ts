import { DEFAULT_DEADLINES, type DriverManifest } from '../../kit/index.ts';
import { ATTEMPTS, SERIAL_RESPONSE_TIMEOUT_MS } from '../../families/isens/index.ts';

const REQUEST_WORST_MS = ATTEMPTS * SERIAL_RESPONSE_TIMEOUT_MS;

/**
 * The i-SENS iSPc meters on an FTDI serial cable: ReliOn Premier and GLUCOCARD Shine
 * (PROTOCOL.md; the protocol: drivers/devices/isens-caresens/PROTOCOL.md).
 */
export const manifest: DriverManifest = {
  id: 'isens-caresens-serial',
  name: 'i-SENS iSPc over a serial cable (ReliOn Premier, GLUCOCARD Shine)',
  manufacturer: 'i-SENS',
  models: ['ReliOn Premier (Classic, Voice, BLU)', 'Arkray GLUCOCARD Shine', 'GLUCOCARD Shine XL'],
  category: 'glucose',
  kind: 'download',
  // 9600 8N1, Tidepool's default for these meters [INFERRED].
  transport: { type: 'serial', serial: { baudRate: 9600, dataBits: 8, parity: 'none', stopBits: 1, flowControl: 'none' } },
  // The cables are generic FTDI adapters (0403:6015 FT230X, 0403:6001): claiming those ids would
  // take every such adapter for this meter, so the port is chosen by hand.
  usb: [],
  checksum: true,
  options: [],
  deadlines: { ...DEFAULT_DEADLINES, probeMs: SERIAL_RESPONSE_TIMEOUT_MS + 2_000, openMs: 2 * REQUEST_WORST_MS + 2_000, identifyMs: REQUEST_WORST_MS + 2_000 },
  hints: [
    'Connect the meter with its data cable (an FTDI USB-serial cable) and switch it on; choose the cable\'s port by hand. An EZSync FT232 cable is reported not to work with the ReliOn Premier (different wiring).',
    'Serial settings: 9600 baud, 8 data bits, no parity, 1 stop bit, no flow control.',
    'Glucose results are read in mg/dL, as the meter sends them; β-ketone results in mmol/L. Control-solution tests are kept apart; results already read are recognised and not offered twice.',
    'The protocol comes from one open-source implementation and has not been checked on a meter here: check the downloaded values against the meter memory. Older i-SENS meters (protocol 1) are refused with a message.',
  ],
};
