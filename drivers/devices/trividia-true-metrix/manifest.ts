import { DEFAULT_DEADLINES, type DriverManifest } from '../../kit/index.ts';
import { REPORT_SIZE_BYTES } from './protocol.ts';

/** Trividia's (Home Diagnostics') USB vendor id (PROTOCOL.md §1). */
const TRIVIDIA_VENDOR_ID = 0x1f41;

/**
 * Open = two writes (power off, wake). Identify = model, serial, firmware: up to 3 + 3 + 1
 * attempts of 2 s each when the meter is silent (PROTOCOL.md §3), so 16 s and some room.
 */
const OPEN_MS = 3_000;
const IDENTIFY_MS = 20_000;

/** TRUE Metrix family over its HID cradle or micro-USB cable (PROTOCOL.md). */
export const manifest: DriverManifest = {
  id: 'trividia-true-metrix',
  name: 'Trividia TRUE Metrix / Metrix Air / Metrix Go',
  manufacturer: 'Trividia Health',
  models: ['TRUE METRIX', 'TRUE METRIX PRO', 'TRUE METRIX AIR', 'TRUE METRIX GO'],
  category: 'glucose',
  kind: 'download',
  // PROTOCOL.md §1: unnumbered reports; 64 bytes is assumed (not confirmed on hardware).
  transport: { type: 'hid', reportSize: REPORT_SIZE_BYTES },
  usb: [
    { vendorId: TRIVIDIA_VENDOR_ID, productId: 0x0000, note: 'TRUE METRIX / METRIX PRO / METRIX AIR cradle' },
    { vendorId: TRIVIDIA_VENDOR_ID, productId: 0x0003, note: 'TRUE METRIX GO (micro-USB cable)' },
  ],
  checksum: true,
  options: [],
  deadlines: { ...DEFAULT_DEADLINES, openMs: OPEN_MS, identifyMs: IDENTIFY_MS },
  hints: [
    'Put the TRUE METRIX, METRIX PRO or METRIX AIR in its USB cradle, or plug the TRUE METRIX GO in with its micro-USB data cable, straight into the workstation (no hub).',
    'On Linux, the user needs access to the meter\'s hidraw device: install the udev rules shipped with POC Hub (build/linux/60-pochub.rules), add the user to the plugdev group, then unplug and replug the meter.',
    'Close the TRUE Manager or any other uploader first: only one program can talk to the meter at a time.',
    'This protocol is known from one open-source uploader only and has not been confirmed on a meter by us: if a download fails or a value looks wrong, check it against the meter\'s memory screen and tell your administrator.',
    'The meter\'s clock cannot be set from here: if the hub says the clock is off, set it on the meter itself.',
  ],
};
