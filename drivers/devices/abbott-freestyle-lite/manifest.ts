import type { DriverManifest } from '../../kit/index.ts';
import { COMMAND_ATTEMPTS, FIRST_LINE_MS, LINE_GAP_MS } from '../../families/freestyle-serial/conversation.ts';
import { FREESTYLE_SERIAL_TRANSPORT, TUSB3410_HINTS } from '../../families/freestyle-serial/cable.ts';

/** A probe reads the first lines of the dump; identify has nothing to ask (the serial comes with the dump). */
const PROBE_MS = FIRST_LINE_MS + 2 * LINE_GAP_MS + 1_000;
/** Setting the clock (`$tim`) may take every try. */
const COMMAND_MS = COMMAND_ATTEMPTS * (FIRST_LINE_MS + LINE_GAP_MS) + 1_000;

/** Abbott FreeStyle Lite / Freedom Lite / Mini over the FreeStyle data cable (PROTOCOL.md). */
export const manifest: DriverManifest = {
  id: 'abbott-freestyle-lite',
  name: 'Abbott FreeStyle Lite',
  manufacturer: 'Abbott',
  models: ['FreeStyle Lite', 'FreeStyle Freedom Lite', 'FreeStyle Mini'],
  category: 'glucose',
  kind: 'download',
  transport: FREESTYLE_SERIAL_TRANSPORT,
  // A generic FTDI TRS cable (0403:6001) also works [inferred]; it is not listed, so discovery
  // does not offer this meter for every FTDI adapter: the user picks its port by hand.
  usb: [
    { vendorId: 0x1a61, productId: 0x3410, note: 'Abbott FreeStyle USB data cable (3.5 mm jack, TI TUSB3410)' },
  ],
  checksum: true,
  options: [],
  deadlines: { probeMs: PROBE_MS, openMs: 2_000, identifyMs: COMMAND_MS, closeMs: 2_000 },
  hints: [
    'Plug the data cable into the jack on the meter with the meter off; the meter wakes up for the download.',
    ...TUSB3410_HINTS,
    'A generic FTDI cable with a 3.5 mm jack is reported to work too: choose its port by hand.',
    'The meter sends its whole memory at once (up to about 30 s for a full meter); keep the cable still until it ends.',
    'Control-solution tests are kept apart from patient results; HI and LO are shown as above 500 and below 20 mg/dL.',
    'Setting the meter clock is supported by one source only for this meter: check the date on the meter afterwards.',
  ],
};
