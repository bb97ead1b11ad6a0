import { DEFAULT_DEADLINES, type DriverManifest } from '../../kit/index.ts';
import { REPORT_SIZE_BYTES } from '../../families/freestyle-hid/protocol.ts';

/** Abbott's USB vendor id (PROTOCOL.md §1). */
const ABBOTT_VENDOR_ID = 0x1a61;
/** Open = INIT, up to 3 attempts of 1 s; identify = serial and version, each with retries. */
const OPEN_MS = 4_000;
const IDENTIFY_MS = 15_000;

/** FreeStyle InsuLinx: the FreeStyle HID link of the Neo, its own `$result?` record layout (PROTOCOL.md). */
export const manifest: DriverManifest = {
  id: 'abbott-freestyle-insulinx',
  name: 'Abbott FreeStyle InsuLinx',
  manufacturer: 'Abbott',
  models: ['FreeStyle InsuLinx'],
  category: 'glucose',
  kind: 'download',
  // PROTOCOL.md §1: the 64-byte reports of the FreeStyle HID family.
  transport: { type: 'hid', reportSize: REPORT_SIZE_BYTES },
  usb: [{ vendorId: ABBOTT_VENDOR_ID, productId: 0x3460, note: 'FreeStyle InsuLinx meter' }],
  checksum: true,
  options: [],
  deadlines: { ...DEFAULT_DEADLINES, openMs: OPEN_MS, identifyMs: IDENTIFY_MS },
  hints: [
    'Untested with a real meter: the InsuLinx protocol is known only from open-source notes whose own driver is marked "currently untested". Check the first downloads against the meter\'s screen, and tell your POC Hub administrator if anything differs.',
    'The meter does not say which results are control-solution tests or HI/LO: every glucose result arrives as a patient result in mg/dL. Reject control tests at review.',
    'Connect the meter with a USB cable straight to the workstation (no hub, no charger-only cable).',
    'On Linux, the user needs access to the meter\'s hidraw device: install a udev rule such as SUBSYSTEM=="hidraw", ATTRS{idVendor}=="1a61", MODE="0660", GROUP="plugdev" in /etc/udev/rules.d/70-pochub.rules, add the user to the plugdev group, run sudo udevadm control --reload-rules, then unplug and replug the meter.',
    'Close the FreeStyle Auto-Assist or LibreView software first: only one program can talk to the meter at a time.',
  ],
};
