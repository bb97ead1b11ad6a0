import { DEFAULT_DEADLINES, type DriverManifest } from '../../kit/index.ts';
import { MAX_RETRIES, PHASE_TIMEOUT_MS } from './conversation.ts';

/** LifeScan's USB vendor id (PROTOCOL.md §1). */
const LIFESCAN = 0x2766;
/** USB class of the meters' interface: Mass Storage (SCSI transparent, Bulk-Only Transport). */
export const MASS_STORAGE_INTERFACE_CLASS = 0x08;
/** One request is a WRITE(10) and a READ(10), each waiting at most PHASE_TIMEOUT_MS, possibly a REQUEST SENSE too. */
const REQUEST_WORST_MS = (1 + MAX_RETRIES) * 3 * PHASE_TIMEOUT_MS;

/**
 * Why the meter cannot be read on Windows and macOS yet, said to the person who plugged it in
 * (PROTOCOL.md §8): on both, the operating system's own storage driver owns the meter.
 */
export const VERIO_PLATFORM_HINTS = {
  win32:
    'Windows: not supported yet. Windows’ own storage driver (usbstor) owns the meter; reading it needs a small helper program that writes and reads the meter’s disk sectors directly (unbuffered, on a locked volume), which POC Hub does not have yet. Replacing the driver with WinUSB is not recommended: the meter would stop appearing as a disk.',
  darwin:
    'macOS: not supported yet. macOS’ own storage driver owns the meter and only an administrator may take it over; reading it needs a one-time privileged helper that opens the meter’s raw disk, which POC Hub does not have yet.',
} as const;

/**
 * LifeScan OneTouch Verio family over USB mass storage (PROTOCOL.md): the LifeScan packets in
 * disk sectors 3 and 4, carried by Bulk-Only Transport on the `usb` transport. Linux only for
 * now: there the transport detaches the kernel's usb-storage driver and gives it back on close.
 */
export const manifest: DriverManifest = {
  id: 'lifescan-onetouch-verio',
  name: 'LifeScan OneTouch Verio (USB)',
  manufacturer: 'LifeScan',
  models: ['OneTouch Verio', 'OneTouch Verio Flex', 'OneTouch Verio Reflect', 'OneTouch Select Plus', 'OneTouch Select Plus Flex', 'OneTouch Ultra Plus Flex'],
  category: 'glucose',
  kind: 'download',
  transport: { type: 'usb', interfaceClass: MASS_STORAGE_INTERFACE_CLASS },
  usb: [
    { vendorId: LIFESCAN, productId: 0x0000, note: 'OneTouch Verio (2015, micro-USB), the meter itself' },
    { vendorId: LIFESCAN, productId: 0x0004, note: 'OneTouch Verio Flex, the meter itself' },
    { vendorId: LIFESCAN, productId: 0x000c, note: 'OneTouch Verio Reflect, the meter itself' },
    { vendorId: LIFESCAN, productId: 0x000e, note: 'OneTouch Ultra Plus Flex, the meter itself' },
    { vendorId: LIFESCAN, productId: 0x1000, note: 'OneTouch Select Plus, the meter itself' },
    { vendorId: LIFESCAN, productId: 0x1004, note: 'OneTouch Select Plus Flex, the meter itself' },
  ],
  // The LifeScan packet inside each sector carries a CRC-16 (PROTOCOL.md §4).
  checksum: true,
  options: [],
  deadlines: {
    ...DEFAULT_DEADLINES,
    probeMs: 2 * PHASE_TIMEOUT_MS + 1_000,
    openMs: (1 + MAX_RETRIES) * 2 * PHASE_TIMEOUT_MS + 1_000,
    // serial number, model, software version, unit setting
    identifyMs: 4 * REQUEST_WORST_MS + 2_000,
  },
  hints: [
    'Linux only for now. Plug the meter in with its micro-USB cable; it appears as a small disk. POC Hub takes it from the system’s storage driver while it reads (the disk disappears) and gives it back afterwards. Do not open or copy files on the meter’s disk.',
    'Linux: the hub’s udev rule gives access to the meter; without it the error names the rule to add.',
    VERIO_PLATFORM_HINTS.win32,
    VERIO_PLATFORM_HINTS.darwin,
    'Before anything is written to the meter, POC Hub checks that it reports itself as a LifeScan device; only the two sectors the meter uses for messages are ever written.',
    'Control-solution tests are kept apart from patient results; results already stored are recognised on a second download and not offered again.',
  ],
  unsupportedOn: [
    { platform: 'win32', why: VERIO_PLATFORM_HINTS.win32 },
    { platform: 'darwin', why: VERIO_PLATFORM_HINTS.darwin },
  ],
};
