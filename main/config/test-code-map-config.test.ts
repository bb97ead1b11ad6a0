import { describe, expect, it } from 'vitest';
import { CONFIG_FORMAT, type WorkstationConfig, type WorkstationConfigInput } from '../../shared/config/workstation-config.ts';
import { thrown } from '../../test/helpers/thrown.ts';
import { configWorkstations } from '../../test/helpers/config-workstation.ts';

/**
 * An ASTM analyzer's test-code map travels with the workstation configuration file (it is a
 * driver option of the port, shared/test-code-map.ts): exported, imported on another
 * workstation unchanged, and refused on import when an entry names a code the catalog lacks.
 */
const workstation = configWorkstations();

const MAP = 'GLU=5792-7 mg/dL; ASC=5792-7 mg/dL; LEU=5799-2';
const SETUP = {
  format: CONFIG_FORMAT,
  version: 1,
  discovery: { autoConnect: false, pollMs: 5_000 },
  review: { resultAgeMinutes: 120 },
  ports: [
    { transport: 'serial', path: '/dev/ttyS4', driverId: 'astm-urine', settings: { baudRate: 19200, dataBits: 8, parity: 'none', stopBits: 1, flowControl: 'none' }, options: { codeMap: 'generic', testCodes: MAP }, autoConnect: true },
    { transport: 'listen', path: '0.0.0.0:5000', driverId: 'astm-urine', options: { codeMap: 'none', testCodes: 'GLU=25428-4' }, autoConnect: true },
  ],
  exportTargets: [],
} satisfies WorkstationConfigInput;

const withoutStamp = ({ exportedAt: _at, exportedFrom: _from, ...rest }: WorkstationConfig) => rest;

describe('the test-code map in the configuration file', () => {
  it('is exported and imported unchanged, on a serial port and on a port the hub listens on', () => {
    const first = workstation('lab-1');
    expect(first.config.importConfig(SETUP)).toMatchObject({ ports: 2 });
    const file = JSON.parse(JSON.stringify(first.config.exportConfig())) as WorkstationConfig;
    expect(file.ports.map((p) => [p.transport, p.options?.['testCodes']])).toEqual(
      expect.arrayContaining([
        ['serial', MAP],
        ['listen', 'GLU=25428-4'],
      ]),
    );
    const second = workstation('lab-2');
    second.config.importConfig(file);
    expect(withoutStamp(second.config.exportConfig())).toEqual(withoutStamp(first.config.exportConfig()));
  });

  it('refuses a file whose map names a code the catalog lacks, naming the entry, and changes nothing', () => {
    const ws = workstation('lab-1');
    ws.config.importConfig(SETUP);
    const before = ws.config.exportConfig();
    const bad = { ...SETUP, ports: [{ ...SETUP.ports[0], options: { testCodes: 'GLU=5792-7 mg/dL; ASC=12345-6' } }] };
    const error = thrown(() => ws.config.importConfig(bad));
    expect((error as Error).message).toMatch(/testCodes: test-code map refused: ASC: 12345-6 is not a code in the catalog/);
    expect(withoutStamp(ws.config.exportConfig())).toEqual(withoutStamp(before));
  });
});
