import { DEFAULT_DEADLINES, type DriverManifest } from '../../kit/index.ts';

/**
 * Siemens (formerly Bayer) Clinitek Status and Status+ urine strip readers: one CSV record per
 * strip, pushed over RS-232 as soon as the strip has been read (PROTOCOL.md §2).
 */
export const manifest: DriverManifest = {
  id: 'siemens-clinitek-status',
  name: 'Siemens Clinitek Status / Status+',
  manufacturer: 'Siemens',
  models: ['Clinitek Status', 'Clinitek Status+'],
  category: 'urine',
  kind: 'discrete',
  // Defaults of the open-source interface programs (PROTOCOL.md §2): 9600 8N1, XON/XOFF [INFERRED].
  transport: {
    type: 'serial',
    serial: { baudRate: 9600, dataBits: 8, parity: 'none', stopBits: 1, flowControl: 'xonxoff' },
  },
  // The analyzer has an RS-232 port; it reaches the workstation through whatever USB-serial
  // adapter the clinic uses, so there is no USB id of its own to match on.
  usb: [],
  checksum: false,
  options: [
    {
      key: 'dateOrder',
      label: 'Date order',
      type: 'string',
      default: 'dmy',
      choices: ['dmy', 'mdy'],
      description:
        "Order of day and month in the analyzer's dates: 'dmy' (dd-mm-yyyy, as in every capture we have) " +
        "or 'mdy' (set this if the analyzer is set to US dates, mm-dd-yyyy).",
    },
  ],
  deadlines: { ...DEFAULT_DEADLINES },
  hints: [
    'Check the serial settings: 9600 baud, 8 data bits, no parity, 1 stop bit, XON/XOFF flow control.',
    "Check that the analyzer is set up to send results to its serial (RS-232) port; otherwise it only keeps them in memory.",
    'Check the cable and the USB-serial adapter: use the cable the analyzer manual recommends; if nothing arrives, try a null-modem adapter.',
    'The analyzer sends a result when a strip has been read: run a strip to test the connection. If results still do not arrive, send the stored results from the analyzer (see its manual).',
    "If day and month look swapped, set the driver option dateOrder to match the analyzer's date format.",
  ],
};
