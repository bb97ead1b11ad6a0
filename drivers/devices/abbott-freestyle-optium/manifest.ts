import type { DriverManifest } from '../../kit/index.ts';
import { COMMAND_ATTEMPTS, FIRST_LINE_MS, LINE_GAP_MS } from '../../families/freestyle-serial/conversation.ts';
import { FREESTYLE_SERIAL_TRANSPORT, TUSB3410_HINTS } from '../../families/freestyle-serial/cable.ts';

/** `$colq` and `$tim` each may take every try: the first command is sometimes ignored (PROTOCOL.md §2). */
const COMMAND_MS = COMMAND_ATTEMPTS * (FIRST_LINE_MS + LINE_GAP_MS) + 1_000;

/** Abbott FreeStyle Optium / Precision Xtra over the strip-port cable (PROTOCOL.md). */
export const manifest: DriverManifest = {
  id: 'abbott-freestyle-optium',
  name: 'Abbott FreeStyle Optium / Precision Xtra',
  manufacturer: 'Abbott',
  models: ['FreeStyle Optium', 'Precision Xtra'],
  category: 'glucose',
  kind: 'download',
  transport: FREESTYLE_SERIAL_TRANSPORT,
  usb: [{ vendorId: 0x1a61, productId: 0x3420, note: 'Abbott FreeStyle "strip port" cable (TI TUSB3410) for the Optium / Precision Xtra' }],
  checksum: true,
  options: [],
  deadlines: { probeMs: COMMAND_MS, openMs: COMMAND_MS, identifyMs: COMMAND_MS, closeMs: 2_000 },
  hints: [
    'Push the cable into the meter’s strip port; the meter shows "]--PC" when it is ready.',
    ...TUSB3410_HINTS,
    'Glucose and β-ketone results are both read; control-solution tests are kept apart. HI glucose is shown as above 500 mg/dL, HI ketone as above 8.0 mmol/L.',
  ],
};
