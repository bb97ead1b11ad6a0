import { DEFAULT_DEADLINES, type DriverManifest } from '../../kit/index.ts';

/** Reading a report file from the mounted volume takes well under a second; allow a slow USB stick. */
const OPEN_MS = 30_000;

/** Accu-Chek Mobile in "Reports" mode: the newest CSV report on its mounted volume (PROTOCOL.md). */
export const manifest: DriverManifest = {
  id: 'roche-accu-chek-mobile',
  name: 'Roche Accu-Chek Mobile (Reports files)',
  manufacturer: 'Roche',
  models: ['Accu-Chek Mobile'],
  category: 'glucose',
  kind: 'download',
  // PROTOCOL.md §1: a file link reads the newest Reports/*.csv of the folder the port names.
  transport: { type: 'folder', pattern: 'Reports/*.csv' },
  usb: [],
  checksum: false,
  // PROTOCOL.md §2: a report carries no meter clock, only the time the report was made.
  deviceClock: 'none',
  options: [],
  deadlines: { ...DEFAULT_DEADLINES, openMs: OPEN_MS, identifyMs: OPEN_MS },
  hints: [
    'On the meter choose Reports (not Accu-Chek 360° or Smart Pix) and connect it with its USB cable: it appears as a disk. Pick that disk (or its Reports folder) as the port.',
    'The hub reads the newest report in the Reports folder: create a new report on the meter first if the results you want are recent.',
    'The report format is known from open-source notes only [inferred]: check the first imports against the meter screen.',
    'The meter clock cannot be read from a report: check the meter date and time before trusting result times.',
  ],
};
