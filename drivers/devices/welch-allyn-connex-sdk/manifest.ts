import { DEFAULT_DEADLINES, type DriverManifest } from '../../kit/index.ts';
import { SERVICE_URL } from './protocol.ts';

/**
 * Welch Allyn Spot / Connex vital-signs monitors through the vendor's Connectivity SDK service,
 * a Windows service on the same workstation that answers JSON on the loopback interface
 * (PROTOCOL.md §1). Only for clinics that already have the SDK installed: the hub does not ship it.
 */
export const manifest: DriverManifest = {
  id: 'welch-allyn-connex-sdk',
  name: 'Welch Allyn Spot / Connex (Connectivity SDK service)',
  manufacturer: 'Welch Allyn',
  models: ['Connex VSM 6000', 'Connex Spot Monitor', 'Spot Vital Signs LXi'],
  category: 'vitals',
  kind: 'discrete',
  transport: { type: 'http', url: SERVICE_URL },
  // The monitor's USB ids belong to the SDK service, which owns the device; the hub never opens it.
  usb: [],
  // HTTP over loopback carries no checksum of its own; the JSON either parses or is rejected.
  checksum: false,
  options: [
    { key: 'deviceId', label: 'Device id', description: 'The SDK device id to read (e.g. USB_0001); empty reads the first device the service lists', type: 'string', default: '' },
    { key: 'pollSeconds', label: 'Poll interval', description: 'How often the current reading is asked for', type: 'number', default: 2, unit: 's', min: 1, max: 60 },
    { key: 'storedReadings', label: 'Import stored readings', description: 'Import the readings kept in the monitor memory (GetReadings) when the session starts', type: 'boolean', default: true },
  ],
  deadlines: DEFAULT_DEADLINES,
  hints: [
    'This driver needs the Welch Allyn Connectivity SDK service installed and running on this workstation (it listens on http://127.0.0.1:9233); the hub does not include it.',
    'Check that the monitor is connected to the workstation by USB and is listed by the SDK service.',
    'Take a measurement on the monitor: the service only reports a current reading once one was taken.',
  ],
};
