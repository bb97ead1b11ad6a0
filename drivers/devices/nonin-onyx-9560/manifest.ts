import { DEFAULT_DEADLINES, type DriverManifest } from '../../kit/index.ts';
import { oximetryCaptureOptions } from '../../families/oximetry/capture-options.ts';

/**
 * Probe waits for the clock reply, which comes at once inside the 5 s command window
 * (PROTOCOL.md §2). Open sends the commands and waits for their answers, well inside those 5 s.
 */
const PROBE_MS = 3000;
const OPEN_MS = 4000;

export const manifest: DriverManifest = {
  id: 'nonin-onyx-9560',
  name: 'Nonin Onyx II 9560 / WristOx2 3150 (Bluetooth)',
  manufacturer: 'Nonin',
  models: ['Onyx II 9560', 'WristOx2 3150'],
  // DF13 (the default) sends one record per spot check: discrete. DF8/DF7 stream; the stability rule makes the readings.
  category: 'vitals',
  kind: 'discrete',
  // PROTOCOL.md §1: Bluetooth SPP, a virtual serial port at 9600 8N1.
  transport: { type: 'serial', serial: { baudRate: 9600, dataBits: 8, parity: 'none', stopBits: 1, flowControl: 'none' } },
  // A Bluetooth virtual port has no USB id.
  usb: [],
  checksum: true,
  options: [
    { key: 'dataFormat', label: 'Data format', description: 'df13: spot-check records (the oximeter\'s default); df8: one display sample a second; df7: the 75-frames-a-second stream with checksums. df8/df7 are selected within 5 s of connecting.', type: 'string', default: 'df13', choices: ['df13', 'df8', 'df7'] },
    { key: 'setClockWhenOff', label: 'Set the oximeter clock', description: 'When the clock read at connection is more than 5 minutes off, set it to this computer\'s time (it can only be done in the first 5 s of a connection)', type: 'boolean', default: false },
    ...oximetryCaptureOptions('DF8/DF7'),
  ],
  deadlines: { ...DEFAULT_DEADLINES, probeMs: PROBE_MS, openMs: OPEN_MS },
  hints: [
    'Pair the oximeter with the workstation (Bluetooth SPP) and choose the virtual serial port it creates; 9600 8N1.',
    'In spot-check mode (DF13) the oximeter connects by itself after each measurement and sends the result, then any results stored while it was out of range.',
    'DF8/DF7 are selected when the port opens: the oximeter only takes commands in the first 5 seconds of a connection.',
  ],
};
