import { DEFAULT_DEADLINES, type DriverManifest } from '../../kit/index.ts';
import { DEFAULT_MANAGER_TIMEOUTS } from '../../families/ieee11073/index.ts';
import { MODEL_NAMES } from './models.ts';

/** Roche's USB vendor id (PROTOCOL.md §1). */
const ROCHE = 0x173a;
/** USB class of the meters' only interface: Personal Healthcare Device Class (PROTOCOL.md §1). */
export const PHDC_INTERFACE_CLASS = 0x0f;

/**
 * Roche Accu-Chek meters with a USB port speaking IEEE 11073-20601 over PHDC bulk endpoints
 * (PROTOCOL.md): one driver for every model; each USB id is a manifest row.
 */
export const manifest: DriverManifest = {
  id: 'roche-accu-chek-usb',
  name: 'Roche Accu-Chek (USB, IEEE 11073)',
  manufacturer: 'Roche',
  models: [...MODEL_NAMES],
  category: 'glucose',
  kind: 'download',
  transport: { type: 'usb', interfaceClass: PHDC_INTERFACE_CLASS },
  usb: [
    { vendorId: ROCHE, productId: 0x21cf, note: 'Accu-Chek Aviva Connect / Performa Connect (the meter itself)' },
    { vendorId: ROCHE, productId: 0x21d5, note: 'Accu-Chek Guide (the meter itself)' },
    { vendorId: ROCHE, productId: 0x21d6, note: 'Accu-Chek Guide Me (the meter itself)' },
    { vendorId: ROCHE, productId: 0x21d7, note: 'Accu-Chek Instant (the meter itself)' },
    { vendorId: ROCHE, productId: 0x21d8, note: 'ReliOn Platinum (the meter itself)' },
  ],
  // USB carries its own integrity check; 11073 APDUs have none (PROTOCOL.md §2).
  checksum: false,
  options: [],
  deadlines: {
    ...DEFAULT_DEADLINES,
    // open waits for the meter's association request and then its configuration (PROTOCOL.md §3).
    openMs: DEFAULT_MANAGER_TIMEOUTS.associationMs + DEFAULT_MANAGER_TIMEOUTS.configMs + 2_000,
    identifyMs: DEFAULT_MANAGER_TIMEOUTS.requestMs + 2_000,
    closeMs: DEFAULT_MANAGER_TIMEOUTS.releaseMs + 1_000,
  },
  hints: [
    'Plug the meter in with its USB cable; its screen should show a data-transfer symbol. If it does not, unplug it and plug it in again.',
    'If the meter was left plugged in for a long time, unplug and re-plug it: it only offers its data right after it is connected.',
    'Accu-Chek Guide Link meters have USB downloads switched off by Roche and cannot be read.',
    'On Linux the POC Hub package’s udev rule (/lib/udev/rules.d/60-pochub.rules) lets the signed-in user open the meter; if access is refused, check that the rule is installed, then unplug and replug the meter.',
    'On Windows the meter needs the WinUSB driver bound to it once: run Zadig (zadig.akeo.ie) as an administrator, choose the meter, pick WinUSB, press Replace Driver, then replug it. macOS cannot read these meters yet.',
    'Results already stored are recognised on a second download and not offered again.',
  ],
};
