import { DEFAULT_DEADLINES, type DriverManifest } from '../../kit/index.ts';
import { DIALECTS, PDS_PORT } from './protocol.ts';

/**
 * Mindray monitors' HL7 output (PROTOCOL.md §1): the PDS dialect (HL7 2.3.1, the hub connects
 * to the monitor's port 4601) and the IHE PCD-01 dialect (HL7 2.6, the monitor connects to a
 * port the hub listens on). One NIBP result is one reading; the periodic numerics are live values.
 */
export const manifest: DriverManifest = {
  id: 'mindray-hl7',
  name: 'Mindray monitor (HL7: PDS 2.3.1 or IHE PCD-01 2.6)',
  manufacturer: 'Mindray',
  models: ['BeneView T5/T8', 'iPM series', 'uMEC', 'ePM / eGateway (PCD-01)', 'VS-8 / VS-9 (PCD-01)'],
  category: 'vitals',
  kind: 'discrete',
  transport: { type: 'tcp', role: 'both', defaultPort: PDS_PORT },
  usb: [],
  // MLLP has no checksum; a frame is accepted when its end block and trailer are whole.
  checksum: false,
  options: [
    {
      key: 'dialect',
      label: 'HL7 dialect',
      description: 'auto: from each message\'s version (MSH-12). pds: also send the keep-alive from the start, before the monitor has spoken.',
      type: 'string',
      default: 'auto',
      choices: [...DIALECTS],
    },
  ],
  // The monitor speaks first (numerics about once a second); identify does not wait for it.
  deadlines: { ...DEFAULT_DEADLINES, identifyMs: 500 },
  hints: [
    'PDS (older BeneView, iPM, uMEC): give the monitor\'s IP address and port 4601; the monitor must have "HL7 / PDS" output enabled in its network setup.',
    'IHE PCD-01 (eGateway, newer monitors): set the monitor\'s HL7 server to this workstation\'s address and the port the hub listens on (pochub read --listen).',
    'A PCD-01 monitor stops sending when it gets no acknowledgement: check that no firewall blocks the listening port.',
  ],
};
