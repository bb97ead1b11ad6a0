import type { DriverInfo } from '../../shared/api/contract.ts';
import type { Port, TraceEntry } from '../../shared/api/ports-model.ts';
import { signInAs } from '../export/outbox-fixtures.ts';
import { createFakeHub, type FakeHub } from '../testing/fake-hub.ts';

/** Tests only: ports, drivers and trace entries as the hub would answer them. */

export function port(path: string, over: Partial<Port> = {}): Port {
  return {
    id: `serial:${path}`,
    transport: 'serial',
    path,
    origin: 'discovered',
    present: true,
    match: { kind: 'none', driverIds: [], message: 'No USB ids: a built-in port.' },
    state: 'idle',
    health: { readings: 0, checksumErrors: 0, timeouts: 0, sessions: 0, hints: [] },
    recording: false,
    ...over,
  };
}

function driver(id: string, over: Partial<DriverInfo> = {}): DriverInfo {
  return {
    id,
    name: id,
    manufacturer: 'Maker',
    models: [id],
    category: 'vitals',
    kind: 'discrete',
    transport: 'serial',
    defaults: { baudRate: 9600, dataBits: 8, parity: 'none', stopBits: 1, flowControl: 'none' },
    usb: [],
    scenarios: ['normal'],
    hints: [],
    options: [],
    ...over,
  };
}

const CLINITEK = driver('siemens-clinitek-status', {
  name: 'CLINITEK Status+',
  options: [{ key: 'dateOrder', description: 'Order of day and month', type: 'string', default: 'dmy', choices: ['dmy', 'mdy'] }],
  manufacturer: 'Siemens',
  category: 'urine',
  defaults: { baudRate: 9600, dataBits: 8, parity: 'none', stopBits: 1, flowControl: 'none' },
  scenarios: ['normal', 'abnormal', 'bad-checksum'],
});
const RAD8 = driver('masimo-rad8', {
  name: 'Rad-8',
  manufacturer: 'Masimo',
  kind: 'continuous',
  scenarios: ['steady'],
  options: [
    { key: 'stabilityWindowSeconds', description: 'Seconds the values must stay stable', type: 'number', default: 10, unit: 's', min: 2, max: 120 },
    { key: 'autoCapture', description: 'Capture automatically when stable', type: 'boolean', default: true },
  ],
});
const ONETOUCH = driver('lifescan-onetouch-ultra2', {
  name: 'OneTouch Ultra 2',
  manufacturer: 'LifeScan',
  category: 'glucose',
  defaults: { baudRate: 9600, dataBits: 8, parity: 'none', stopBits: 1, flowControl: 'none' },
});
const ULTRAEASY = driver('lifescan-onetouch-ultraeasy', {
  name: 'OneTouch UltraEasy',
  manufacturer: 'LifeScan',
  category: 'glucose',
  defaults: { baudRate: 38400, dataBits: 8, parity: 'none', stopBits: 1, flowControl: 'none' },
});
const CONTOUR = driver('ascensia-contour-next', { name: 'Contour Next', manufacturer: 'Ascensia', transport: 'hid', scenarios: [] });
const MINDRAY = driver('mindray-hl7', { name: 'Mindray monitor', manufacturer: 'Mindray', kind: 'continuous', transport: 'tcp', tcpRole: 'both', scenarios: ['pcd01'] });
const { defaults: _serialOnly, ...WELCH_BASE } = driver('welch-allyn-connex-sdk', { name: 'Welch Allyn Connex', manufacturer: 'Welch Allyn', transport: 'http', scenarios: ['normal'] });
const WELCH: DriverInfo = WELCH_BASE;
const { defaults: _noLine, ...ACCU_CHEK_BASE } = driver('roche-accu-chek-usb', { name: 'Roche Accu-Chek (USB, IEEE 11073)', manufacturer: 'Roche', category: 'glucose', kind: 'download', transport: 'usb', scenarios: ['memory'] });
const ACCU_CHEK: DriverInfo = ACCU_CHEK_BASE;
const { defaults: _noSerial, ...ACCU_CHEK_MOBILE_BASE } = driver('roche-accu-chek-mobile', { name: 'Roche Accu-Chek Mobile (Reports files)', manufacturer: 'Roche', category: 'glucose', kind: 'download', transport: 'folder', scenarios: ['memory'] });
const ACCU_CHEK_MOBILE: DriverInfo = ACCU_CHEK_MOBILE_BASE;
const DRIVERS = [CLINITEK, RAD8, ONETOUCH, ULTRAEASY, CONTOUR, MINDRAY, WELCH, ACCU_CHEK, ACCU_CHEK_MOBILE];

let seq = 0;
export function entry(over: Partial<TraceEntry> = {}): TraceEntry {
  return { portId: 'serial:/dev/pts/7', seq: ++seq, at: '2026-01-14T08:30:00.125Z', direction: 'in', hex: '02 31 03', text: '<STX>1<ETX>', ...over };
}
export function resetSeq(): void {
  seq = 0;
}

/** A biomed's hub with `ports` and the drivers; commands answer with the port changed as asked. */
export function biomedHub(ports: Port[], role: 'biomed' | 'admin' = 'biomed'): FakeHub {
  const hub = createFakeHub();
  signInAs(hub, role);
  hub.handle('listPorts', () => ({ ok: true, value: ports }));
  hub.handle('listDrivers', () => ({ ok: true, value: DRIVERS }));
  hub.handle('listSimulators', () => ({ ok: true, value: [] }));
  hub.handle('getTrace', () => ({ ok: true, value: [] }));
  hub.handle('getDiscovery', () => ({ ok: true, value: { polling: true, pollMs: 2000, problems: [] } }));
  const find = (id: string): Port => ports.find((p) => p.id === id) ?? port('/dev/null');
  hub.handle('assignPort', ({ portId, driverId, settings, options, autoConnect }) => ({
    ok: true,
    value: {
      ...find(portId),
      assignment: { driverId, ...(settings ? { settings } : {}), ...(options && Object.keys(options).length > 0 ? { options } : {}), autoConnect: autoConnect ?? true, by: 'person' },
    },
  }));
  hub.handle('connectPort', ({ portId }) => ({ ok: true, value: { ...find(portId), state: 'connected' } }));
  hub.handle('disconnectPort', ({ portId }) => ({ ok: true, value: { ...find(portId), state: 'idle' } }));
  // Forgetting a port added by hand removes it; one discovery sees stays, without its assignment.
  hub.handle('removePort', ({ portId }) => ({
    ok: true,
    value: ports.flatMap((p) => (p.id !== portId ? [p] : p.origin === 'manual' ? [] : [{ ...p, assignment: undefined }])),
  }));
  hub.handle('startRecording', ({ portId }) => ({ ok: true, value: { ...find(portId), recording: true } }));
  return hub;
}
