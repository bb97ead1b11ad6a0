import type { DriverManifest } from '../../kit/index.ts';
import { COMMAND_ATTEMPTS, LINE_TIMEOUT_MS } from './protocol.ts';
import { LIFESCAN_CABLE_TRANSPORT, LIFESCAN_CABLE_USB } from '../../families/lifescan/cable.ts';

/**
 * Lifecycle deadlines, in ms. open and identify each send one command with up to
 * COMMAND_ATTEMPTS tries of LINE_TIMEOUT_MS (PROTOCOL.md §4: 1 s per line), so each gets that
 * plus a margin; the session runner also uses identifyMs for setting the clock.
 */
const COMMAND_STEP_MS = COMMAND_ATTEMPTS * LINE_TIMEOUT_MS + 2_000;
const CLOSE_MS = 2_000;

/** LifeScan OneTouch Ultra 2 over its 3.5 mm serial port (PROTOCOL.md). */
export const manifest: DriverManifest = {
  id: 'lifescan-onetouch-ultra2',
  name: 'LifeScan OneTouch Ultra 2',
  manufacturer: 'LifeScan',
  models: ['OneTouch Ultra 2'],
  category: 'glucose',
  kind: 'download',
  transport: LIFESCAN_CABLE_TRANSPORT,
  usb: LIFESCAN_CABLE_USB,
  checksum: true,
  options: [],
  deadlines: { probeMs: COMMAND_STEP_MS, openMs: COMMAND_STEP_MS, identifyMs: COMMAND_STEP_MS, closeMs: CLOSE_MS },
  hints: [
    'Switch the meter OFF before you plug the cable into it: the meter enters PC-link mode only when the cable goes in while it is off.',
    'If the meter answers with a single 0x00 byte, it is not in PC-link mode: switch it off, unplug the cable from the meter, plug it in again and retry.',
    "Use a USB-serial cable made for the meter's 3.5 mm data port (LifeScan's cable, PL2303 or CH340 based), pushed fully into the port.",
    'Serial settings: 9600 baud, 8 data bits, no parity, 1 stop bit, no flow control.',
  ],
};
