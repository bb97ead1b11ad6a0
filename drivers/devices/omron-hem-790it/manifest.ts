import { DEFAULT_DEADLINES, type DriverManifest } from '../../kit/index.ts';
import { REPORT_SIZE_BYTES } from './protocol.ts';

/** Omron Healthcare's USB vendor id (PROTOCOL.md §1). */
const OMRON_VENDOR_ID = 0x0590;

/**
 * Open and identify = mode select with up to 3 clearing blocks of 2 waits each, then VER00 with
 * up to 3 sends and 5 NO answers (conversation.ts): generous, a silent monitor fails each wait
 * at its 1 s gap anyway.
 */
const OPEN_MS = 8_000;
const IDENTIFY_MS = 15_000;

/** Omron home monitors of the HEM-790IT family: a memory download over raw HID reports (PROTOCOL.md). */
export const manifest: DriverManifest = {
  id: 'omron-hem-790it',
  name: 'Omron HEM-790IT family (home blood-pressure monitor memory)',
  manufacturer: 'Omron',
  models: ['HEM-790IT', 'HEM-7080IT-E', 'HEM-7300IT'],
  category: 'vitals',
  kind: 'download',
  // PROTOCOL.md §1: unnumbered 8-byte reports both ways.
  transport: { type: 'hid', reportSize: REPORT_SIZE_BYTES },
  usb: [{ vendorId: OMRON_VENDOR_ID, productId: 0x0028, note: 'HEM-790IT family blood-pressure monitor (HID)' }],
  checksum: true,
  // PROTOCOL.md §6: no public source gives a command that reads the monitor clock.
  deviceClock: 'none',
  options: [
    {
      key: 'bank',
      label: 'Memory bank',
      type: 'number',
      default: 0,
      min: 0,
      max: 2,
      description: 'Which memory bank to download (0 on a one-user monitor; 0 or 1 for user A or B on a two-user model is inferred, not confirmed).',
    },
  ],
  deadlines: { ...DEFAULT_DEADLINES, openMs: OPEN_MS, identifyMs: IDENTIFY_MS },
  hints: [
    'Connect the monitor with its USB cable straight to the workstation (no hub) and do not start a measurement while it downloads; it switches itself off when the download ends.',
    'On Linux, the user needs access to the monitor\'s hidraw device: install a udev rule such as SUBSYSTEM=="hidraw", ATTRS{idVendor}=="0590", ATTRS{idProduct}=="0028", MODE="0660", GROUP="plugdev" in /etc/udev/rules.d/70-pochub.rules, add the user to the plugdev group, run sudo udevadm control --reload-rules, then unplug and replug the monitor.',
    'Close Omron Health Management Software (or any other uploader) first: only one program can talk to the monitor at a time.',
    'The monitor has no readable clock: check its date and time on its display before the download; readings keep the times it stored.',
  ],
};
