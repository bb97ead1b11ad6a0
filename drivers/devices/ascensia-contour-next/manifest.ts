import { DEFAULT_DEADLINES, type DriverManifest } from '../../kit/index.ts';

/** Bayer / Ascensia's USB vendor id (PROTOCOL.md §2). */
const ASCENSIA_VENDOR_ID = 0x1a79;

/** PROTOCOL.md §2: every product id we match, with its model. */
const CONTOUR_PRODUCTS = [
  { productId: 0x6002, model: 'Contour USB' },
  { productId: 0x7410, model: 'Contour Next USB' },
  { productId: 0x7350, model: 'Contour Next' },
  { productId: 0x7800, model: 'Contour Next One / Contour Plus One' },
  { productId: 0x7900, model: 'Ascensia Contour Next' },
  { productId: 0x7950, model: 'Contour Plus Blue' },
  { productId: 0x6200, model: 'Contour Next Link (mg/dL)' },
  { productId: 0x6300, model: 'Contour Next Link (mmol/L)' },
  { productId: 0x6210, model: 'Contour Next Link 2.4' },
] as const;

/**
 * The identify step waits for the header, which may take the full retry budget of the link
 * layer: 7 reads of 5 s (conversation.ts) plus margin. setClock runs under the same deadline and
 * needs up to 6 NAK rounds of 5 s + 2 s (PROTOCOL.md §6, command mode).
 */
const IDENTIFY_MS = 60_000;

/**
 * Ascensia (formerly Bayer) Contour meters: USB HID reports `ABC` + length carrying an ASTM
 * E1381/E1394-like byte stream in which the meter is the sender (PROTOCOL.md).
 */
export const manifest: DriverManifest = {
  id: 'ascensia-contour-next',
  name: 'Ascensia Contour Next / Contour USB / Plus',
  manufacturer: 'Ascensia (Bayer)',
  models: [
    'Contour USB',
    'Contour Next USB',
    'Contour Next',
    'Contour Next One',
    'Contour Plus One',
    'Ascensia Contour Next',
    'Contour Plus Blue',
    'Contour Next Link',
    'Contour Next Link 2.4',
  ],
  category: 'glucose',
  kind: 'download',
  transport: { type: 'hid', reportSize: 64 },
  usb: CONTOUR_PRODUCTS.map((p) => ({ vendorId: ASCENSIA_VENDOR_ID, productId: p.productId, note: p.model })),
  checksum: true,
  options: [],
  deadlines: { ...DEFAULT_DEADLINES, identifyMs: IDENTIFY_MS },
  hints: [
    'Plug the meter straight into the computer with its own USB connector or cable; it is switched on by the USB connection.',
    'If the meter shows a menu or a USB symbol, leave it on that screen; close any other diabetes software (GLUCOFACTS, CareLink, Tidepool) that may hold the meter.',
    'On Linux the meter needs read/write access to its hidraw device: install a udev rule for vendor 1a79 and unplug and replug the meter.',
    'A Contour Next Link that is paired with an insulin pump keeps the pump\'s clock: set the time on the pump, not from here.',
    'If the download stops with checksum errors, unplug the meter, wait until its screen goes off, and try again.',
  ],
};
