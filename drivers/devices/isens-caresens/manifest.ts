import { DEFAULT_DEADLINES, type DriverManifest } from '../../kit/index.ts';
import { CP2110_REPORT_SIZE, type Cp2110UartConfig } from '../../families/cp2110/index.ts';
import { ATTEMPTS, RESPONSE_TIMEOUT_MS } from '../../families/isens/index.ts';

/** The meters' UART behind the bridge: 9600 8N1, no flow control (PROTOCOL.md §1). */
export const CARESENS_UART: Cp2110UartConfig = { baudRate: 9600, parity: 'none', flowControl: 'none', dataBits: 8, stopBits: 1 };

const REQUEST_WORST_MS = ATTEMPTS * RESPONSE_TIMEOUT_MS;

/**
 * i-SENS CareSens N meters behind their CP2110 bridge, speaking iSPc protocol 3 (PROTOCOL.md).
 * `10c4:8a32` is i-SENS's own product id on the Silicon Labs vendor id. The ReliOn Premier and
 * GLUCOCARD Shine (FTDI serial) are `isens-caresens-serial`; the Shine Connex/Express (plain HID
 * `0483:a18b`) speak the same protocol but are not read yet (PROTOCOL.md §1).
 */
export const manifest: DriverManifest = {
  id: 'isens-caresens',
  name: 'i-SENS CareSens N (iSPc, CP2110 cable)',
  manufacturer: 'i-SENS',
  models: ['CareSens N', 'CareSens N Premier', 'CareSens Dual', 'CareSens N Plus BT', 'CareSens Pro', 'CareSens N (GM505PAD)'],
  category: 'glucose',
  kind: 'download',
  // Reports are numbered by their length (drivers/families/cp2110/README.md).
  transport: { type: 'hid', reportSize: CP2110_REPORT_SIZE, numberedByDriver: true },
  usb: [{ vendorId: 0x10c4, productId: 0x8a32, note: 'Silicon Labs CP2110 HID-to-UART bridge with the i-SENS product id (CareSens N cable)' }],
  checksum: true,
  options: [],
  deadlines: {
    ...DEFAULT_DEADLINES,
    // ECHO up to three times, then the first frame.
    openMs: 2 * REQUEST_WORST_MS + 2_000,
    identifyMs: REQUEST_WORST_MS + 2_000,
  },
  hints: [
    'Connect the meter with its USB cable and switch it on; it shows that it is connected.',
    'On Linux, the user needs access to the meter\'s hidraw device: install a udev rule such as SUBSYSTEM=="hidraw", ATTRS{idVendor}=="10c4", ATTRS{idProduct}=="8a32", MODE="0660", GROUP="plugdev" in /etc/udev/rules.d/70-pochub.rules, add the user to the plugdev group, run sudo udevadm control --reload-rules, then unplug and replug the meter.',
    'Glucose results are read in mg/dL, as the meter sends them; β-ketone results in mmol/L. Control-solution tests are kept apart from patient results; results already read are recognised and not offered twice.',
    'The protocol comes from one open-source implementation and has not been checked on a meter here (PROTOCOL.md); older i-SENS meters (protocol 1) are refused with a message. The ReliOn Premier and GLUCOCARD Shine (serial cable) are read by the driver "i-SENS iSPc over a serial cable".',
  ],
};
