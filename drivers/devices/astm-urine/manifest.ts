import { DEFAULT_DEADLINES, type DriverManifest } from '../../kit/index.ts';
import { CODE_MAP_PRESET_NAMES } from './code-maps.ts';
import { FRAME_WAIT_MS, LISTEN_PORT } from './protocol.ts';

/**
 * Any urine analyzer that sends its results as an ASTM E1381 / E1394 (CLSI LIS1-A / LIS2-A2)
 * message, over RS-232 or over TCP in either direction (PROTOCOL.md §1). The analyzer's test
 * codes reach the catalog through the port's test-code map (PROTOCOL.md §4).
 */
export const manifest: DriverManifest = {
  id: 'astm-urine',
  name: 'Urine analyzer (ASTM E1381/E1394)',
  manufacturer: 'ASTM analyzer',
  models: ['cobas u 411 (ASTM)', 'Urisys 1100 (ASTM mode)', 'Clinitek Advantus / Novus (ASTM)', 'any ASTM LIS2-A2 urine analyzer'],
  category: 'urine',
  kind: 'discrete',
  // PROTOCOL.md §1: 9600 8N1 is the usual LIS1-A serial default; the analyzer's own setup decides.
  transport: {
    type: 'serial',
    serial: { baudRate: 9600, dataBits: 8, parity: 'none', stopBits: 1, flowControl: 'none' },
    role: 'both',
    defaultPort: LISTEN_PORT,
  },
  usb: [],
  checksum: true,
  options: [
    {
      key: 'codeMap',
      label: 'Test-code map preset',
      description: "The analyzer's test codes mapped to catalog codes: generic (GLU BIL KET SG BLD/BLO pH PRO UBG/URO NIT LEU), lis2-example, or none. The port's own test codes are laid over it.",
      type: 'string',
      default: 'generic',
      choices: CODE_MAP_PRESET_NAMES,
    },
    {
      key: 'testCodes',
      label: 'Test codes',
      description: 'This analyzer\'s own test codes, each mapped to a catalog LOINC code with its unit, e.g. "GLU=5792-7 mg/dL; LEU=5799-2". They replace the preset\'s entry for the same code; a code in neither stays unmapped.',
      type: 'string',
      default: '',
      format: 'test-code-map',
    },
    {
      key: 'frameWaitSeconds',
      label: 'Frame wait',
      description: 'How long the hub waits for the next frame inside a message before it discards the message (E1381: 30 s).',
      type: 'number',
      unit: 's',
      default: FRAME_WAIT_MS / 1000,
      min: 1,
      max: 120,
    },
  ],
  deadlines: { ...DEFAULT_DEADLINES },
  hints: [
    'Set the analyzer\'s host (LIS) interface to ASTM (E1381/E1394, LIS2-A2) and switch automatic result transmission on.',
    'Serial: check the analyzer\'s baud rate (9600 8N1 is common) and use a null-modem cable.',
    'Network: either give the analyzer\'s address and port (the hub connects), or set the analyzer\'s host address to this workstation and the port the hub listens on.',
    'Results arrive but show as unmapped: add the analyzer\'s test codes to the port\'s test-code map on the Devices screen.',
  ],
};
