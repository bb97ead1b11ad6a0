import { DEFAULT_DEADLINES, type DriverManifest } from '../../kit/index.ts';
import { CP2110_REPORT_SIZE, type Cp2110UartConfig } from '../../families/cp2110/index.ts';
import { ATTEMPTS, RESPONSE_TIMEOUT_MS } from './conversation.ts';

/** The meters' UART behind the bridge: 19200 8N1, no flow control (PROTOCOL.md §2). */
export const TD42XX_UART: Cp2110UartConfig = { baudRate: 19200, parity: 'none', flowControl: 'none', dataBits: 8, stopBits: 1 };

const REQUEST_WORST_MS = ATTEMPTS * RESPONSE_TIMEOUT_MS;

/**
 * TaiDoc TD-42xx meters and the brands that sell them, behind a plain Silicon Labs CP2110
 * (PROTOCOL.md §1–2). `10c4:ea80` is the CP2110's own id, so any CP2110 gadget matches it:
 * discovery offers the driver, and the connect exchange tells a meter from anything else.
 */
export const manifest: DriverManifest = {
  id: 'taidoc-td42xx',
  name: 'TaiDoc TD-42xx (GlucoRx Nexus, GlucoMen Nexus, GlucoCheck XL, …)',
  manufacturer: 'TaiDoc',
  models: [
    'TD-4277 (GlucoRx Nexus, GlucoMen Nexus, GlucoCheck XL)',
    'TD-4279 (GlucoRx HCT)',
    'TD-4141 (GlucoRx Nexus Mini Ultra)',
    'TD-4283 (GlucoRx Go)',
    'TD-4235B',
    'TD-4116 (Metene)',
    'GlucoRx NexusQ',
  ],
  category: 'glucose',
  kind: 'download',
  // Reports are numbered by their length (drivers/families/cp2110/README.md).
  transport: { type: 'hid', reportSize: CP2110_REPORT_SIZE, numberedByDriver: true },
  usb: [{ vendorId: 0x10c4, productId: 0xea80, note: 'Silicon Labs CP2110 HID-to-UART bridge in the TaiDoc meter or its cable (GlucoRx, Menarini GlucoMen, Aktivmed GlucoCheck, Metene)' }],
  checksum: true,
  options: [],
  deadlines: {
    ...DEFAULT_DEADLINES,
    openMs: REQUEST_WORST_MS + 2_000,
    // The model, then one try at each serial part.
    identifyMs: REQUEST_WORST_MS + 2 * RESPONSE_TIMEOUT_MS + 2_000,
  },
  hints: [
    'Connect the meter with its USB cable (the Nexus Mini Ultra and Go use a cable into the strip port) and switch it on; it shows that it is connected.',
    'On Linux, the user needs access to the meter\'s hidraw device: install a udev rule such as SUBSYSTEM=="hidraw", ATTRS{idVendor}=="10c4", ATTRS{idProduct}=="ea80", MODE="0660", GROUP="plugdev" in /etc/udev/rules.d/70-pochub.rules, add the user to the plugdev group, run sudo udevadm control --reload-rules, then unplug and replug the meter.',
    'Glucose results are read in mg/dL, as the meter stores them; results of other tests (ketone, hematocrit, cholesterol …) are reported and skipped, because their units are not documented.',
    'Control-solution tests are kept apart from patient results; results already read are recognised and not offered twice. The meter is switched off at the end of a download.',
  ],
};
