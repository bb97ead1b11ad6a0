import { DEFAULT_DEADLINES, type DriverManifest } from '../../kit/index.ts';
import { CP2110_REPORT_SIZE, type Cp2110UartConfig } from '../../families/cp2110/index.ts';
import { ATTEMPTS, SERIAL_RESPONSE_TIMEOUT_MS } from '../../families/isens/index.ts';

/** The meters' UART behind the bridge: 9600 8N1, no flow control (PROTOCOL.md §1). */
export const CARESENS_UART: Cp2110UartConfig = { baudRate: 9600, parity: 'none', flowControl: 'none', dataBits: 8, stopBits: 1 };

/** The slowest link's worst request (serial: 4 s per reply, three attempts); the deadlines hold for every link. */
const REQUEST_WORST_MS = ATTEMPTS * SERIAL_RESPONSE_TIMEOUT_MS;

/**
 * i-SENS iSPc meters, protocol 3 (PROTOCOL.md), over every link the notes list: the CareSens N's
 * CP2110 HID bridge (`10c4:8a32`, i-SENS's own product id on the Silicon Labs vendor id; the
 * primary link), the ReliOn Premier's and GLUCOCARD Shine's FTDI serial cable (9600 8N1), and the
 * Shine Connex / Express's plain HID (`0483:a18b`). The driver frames by the link it is given.
 */
export const manifest: DriverManifest = {
  id: 'isens-caresens',
  name: 'i-SENS iSPc meters (CareSens N, ReliOn Premier, GLUCOCARD Shine)',
  manufacturer: 'i-SENS',
  models: [
    'CareSens N',
    'CareSens N Premier',
    'CareSens Dual',
    'CareSens N Plus BT',
    'CareSens Pro',
    'CareSens N (GM505PAD)',
    'ReliOn Premier (Classic, Voice, BLU)',
    'Arkray GLUCOCARD Shine',
    'GLUCOCARD Shine XL',
    'GLUCOCARD Shine Connex',
    'GLUCOCARD Shine Express',
  ],
  category: 'glucose',
  kind: 'download',
  // Reports are numbered by their length (drivers/families/cp2110/README.md).
  // The Shine Connex's plain HID goes through the same spec: the driver writes its report id (1) itself.
  transport: { type: 'hid', reportSize: CP2110_REPORT_SIZE, numberedByDriver: true },
  // 9600 8N1, Tidepool's default for the serial meters [INFERRED].
  otherTransports: [{ type: 'serial', serial: { baudRate: 9600, dataBits: 8, parity: 'none', stopBits: 1, flowControl: 'none' } }],
  // The serial cables are generic FTDI adapters (0403:6015 FT230X, 0403:6001): claiming those ids
  // would take every such adapter for this meter, so a serial port is chosen by hand.
  usb: [
    { vendorId: 0x10c4, productId: 0x8a32, note: 'Silicon Labs CP2110 HID-to-UART bridge with the i-SENS product id (CareSens N cable)' },
    { vendorId: 0x0483, productId: 0xa18b, note: 'GLUCOCARD Shine Connex / Express, plain HID (STM32), output report id 1 [INFERRED, untested]' },
  ],
  checksum: true,
  options: [],
  deadlines: {
    ...DEFAULT_DEADLINES,
    probeMs: SERIAL_RESPONSE_TIMEOUT_MS + 2_000,
    // ECHO up to three times, then the first frame.
    openMs: 2 * REQUEST_WORST_MS + 2_000,
    identifyMs: REQUEST_WORST_MS + 2_000,
  },
  hints: [
    'CareSens N: connect the meter with its USB cable and switch it on; it shows that it is connected. ReliOn Premier and GLUCOCARD Shine: connect the data cable (an FTDI USB-serial cable) and choose its port by hand; an EZSync FT232 cable is reported not to work with the ReliOn Premier (different wiring). GLUCOCARD Shine Connex / Express: plug in the micro-USB cable with the meter switched off.',
    'Serial cable settings: 9600 baud, 8 data bits, no parity, 1 stop bit, no flow control.',
    'On Linux, the user needs access to the meter\'s hidraw device: install a udev rule such as SUBSYSTEM=="hidraw", ATTRS{idVendor}=="10c4", ATTRS{idProduct}=="8a32", MODE="0660", GROUP="plugdev" in /etc/udev/rules.d/70-pochub.rules (the packaged rules list every id), add the user to the plugdev group, run sudo udevadm control --reload-rules, then unplug and replug the meter.',
    'Glucose results are read in mg/dL, as the meter sends them; β-ketone results in mmol/L. Control-solution tests are kept apart from patient results; results already read are recognised and not offered twice.',
    'The protocol comes from one open-source implementation and has not been checked on a meter here (PROTOCOL.md); the Shine Connex / Express HID framing is the least certain part. Check the downloaded values against the meter memory. Older i-SENS meters (protocol 1) are refused with a message.',
  ],
};
