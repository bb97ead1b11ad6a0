import { DEFAULT_DEADLINES, type DriverManifest } from '../../kit/index.ts';

/**
 * Welch Allyn SureTemp Plus module (the OEM thermometer board) over its command/response
 * protocol: the hub polls the temperature record and takes each final (predicted) temperature
 * once (PROTOCOL.md).
 */
export const manifest: DriverManifest = {
  id: 'welch-allyn-suretemp-plus',
  name: 'Welch Allyn SureTemp Plus module',
  manufacturer: 'Welch Allyn',
  models: ['SureTemp Plus module (OEM board)'],
  category: 'vitals',
  kind: 'discrete',
  // PROTOCOL.md §1: 9600 8N1, full duplex; the host always speaks first.
  transport: { type: 'serial', serial: { baudRate: 9600, dataBits: 8, parity: 'none', stopBits: 1, flowControl: 'none' } },
  // The module's port is a UART on its board connector, reached through whatever USB-serial
  // adapter the integrator fitted: no USB id of its own (PROTOCOL.md §1).
  usb: [],
  checksum: true,
  options: [
    {
      key: 'unit',
      label: 'Temperature unit',
      description: 'The unit readings are charted in: the module reports kelvin, converted once to this unit (Cel or [degF])',
      type: 'string',
      default: 'Cel',
      choices: ['Cel', '[degF]'],
    },
  ],
  deadlines: DEFAULT_DEADLINES,
  hints: [
    'Connect the module\'s serial port (J1) to the USB-serial adapter at 9600 baud, 8 data bits, no parity, 1 stop bit.',
    'Take the probe out of its well: the module answers polls at any time, but only a finished prediction becomes a reading.',
  ],
};
