import { DEFAULT_DEADLINES, type DriverManifest } from '../../kit/index.ts';
import { REPORT_SIZE_BYTES } from './protocol.ts';

/** Abbott's USB vendor id (PROTOCOL.md §1). */
const ABBOTT_VENDOR_ID = 0x1a61;

/** Which meter family the driver talks to; `auto` asks the meter (PROTOCOL.md §4). */
export const METER_CHOICES = ['auto', 'neo', 'libre'] as const;
export type MeterChoice = (typeof METER_CHOICES)[number];

/**
 * Open = INIT with up to 3 attempts of 1 s each (driver.ts); identify = up to three text
 * commands (serial, maybe the Libre's serial, version), each with retries: generous, because a
 * silent meter fails each command at its reply deadline anyway.
 */
const OPEN_MS = 4_000;
const IDENTIFY_MS = 20_000;

/** Precision/Optium Neo and Libre (1) readers: one HID protocol, two record dialects (PROTOCOL.md). */
export const manifest: DriverManifest = {
  id: 'abbott-freestyle-neo',
  name: 'Abbott FreeStyle Precision Neo / Optium Neo / Libre',
  manufacturer: 'Abbott',
  models: ['FreeStyle Precision Neo', 'FreeStyle Optium Neo', 'FreeStyle Optium Neo H', 'FreeStyle Libre (reader)', 'FreeStyle Libre Pro (reader)'],
  category: 'glucose',
  kind: 'download',
  // PROTOCOL.md §1–2: unnumbered 64-byte reports both ways.
  transport: { type: 'hid', reportSize: REPORT_SIZE_BYTES },
  // PROTOCOL.md §1. The Libre 2 (1a61:3950) encrypts its messages and is deliberately not listed.
  usb: [
    { vendorId: ABBOTT_VENDOR_ID, productId: 0x3850, note: 'FreeStyle Precision Neo / Optium Neo (/H) meter' },
    { vendorId: ABBOTT_VENDOR_ID, productId: 0x3650, note: 'FreeStyle Libre reader (Libre 1)' },
    { vendorId: ABBOTT_VENDOR_ID, productId: 0x3670, note: 'FreeStyle Libre Pro reader' },
  ],
  checksum: true,
  options: [
    {
      key: 'meter',
      label: 'Meter model',
      type: 'string',
      default: 'auto',
      choices: ['auto', 'neo', 'libre'],
      description:
        "Which meter is connected: 'auto' (ask the meter: a Precision/Optium Neo answers $serlnum?, a Libre reader only $sn?), " +
        "'neo' or 'libre' (skip the question).",
    },
  ],
  deadlines: { ...DEFAULT_DEADLINES, openMs: OPEN_MS, identifyMs: IDENTIFY_MS },
  hints: [
    'Connect the meter with a USB cable straight to the workstation (no hub, no charger-only cable) and switch it on; the Libre reader shows a USB symbol when connected.',
    'On Linux, the user needs access to the meter\'s hidraw device: install a udev rule such as SUBSYSTEM=="hidraw", ATTRS{idVendor}=="1a61", MODE="0660", GROUP="plugdev" in /etc/udev/rules.d/70-pochub.rules, add the user to the plugdev group, run sudo udevadm control --reload-rules, then unplug and replug the meter.',
    'Close the FreeStyle or LibreView software (and any other uploader) first: only one program can talk to the meter at a time.',
    'The FreeStyle Libre 2 and later readers encrypt their data and are not supported by this driver.',
  ],
};
