import { DEFAULT_DEADLINES, type DriverManifest } from '../../kit/index.ts';
import { oximetryCaptureOptions } from '../../families/oximetry/capture-options.ts';

/** Identify waits for nothing: the driver does not ask for the device id (PROTOCOL.md §6). */
const IDENTIFY_MS = 500;

export const manifest: DriverManifest = {
  id: 'contec-cms50',
  name: 'Contec CMS50D+ / CMS50E / CMS50F / CMS50EW pulse oximeter',
  manufacturer: 'Contec',
  models: ['CMS50D+', 'CMS50E', 'CMS50F', 'CMS50EW'],
  category: 'vitals',
  kind: 'continuous',
  // PROTOCOL.md §1: the V7.0 protocol is 115200 8N1. Older firmware needs 19200 8O1 on the port;
  // no flow control, since XON/XOFF would swallow V7.0 type bytes 0x11 and 0x13.
  transport: { type: 'serial', serial: { baudRate: 115200, dataBits: 8, parity: 'none', stopBits: 1, flowControl: 'none' } },
  // The USB bridge's id is not confirmed (PROTOCOL.md §1): the port is chosen by hand.
  usb: [],
  checksum: false,
  options: [
    { key: 'protocol', label: 'Protocol', description: 'V7.0 (115200 8N1, started by the host), the older firmware (19200 8O1, streams by itself), or auto: told from the data', type: 'string', default: 'auto', choices: ['auto', 'v7', 'legacy'] },
    ...oximetryCaptureOptions(),
  ],
  deadlines: { ...DEFAULT_DEADLINES, identifyMs: IDENTIFY_MS },
  hints: [
    'CMS50D+ from firmware 4.6, CMS50E/F/EW: set the port to 115200 baud, 8N1, no flow control; the hub starts the real-time stream itself.',
    'Older CMS50D+ / CMS50E firmware: set the port to 19200 baud, 8 data bits, odd parity, 1 stop bit (or the Protocol option to "legacy").',
    'Switch the oximeter on and put a finger in; if nothing arrives, check the USB cable that came with the device and the baud rate.',
  ],
};
