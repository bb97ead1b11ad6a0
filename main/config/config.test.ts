import { describe, expect, it } from 'vitest';
import { CONFIG_FORMAT, type WorkstationConfig, type WorkstationConfigInput } from '../../shared/config/workstation-config.ts';
import { DRIVERS } from '../../drivers/index.ts';
import { ConfigService } from './config-service.ts';
import { thrown } from '../../test/helpers/thrown.ts';
import { configWorkstations } from '../../test/helpers/config-workstation.ts';

/** A workstation: its own store and the configuration service over it. */
const workstation = configWorkstations();

const SETUP = {
  format: CONFIG_FORMAT,
  version: 1,
  discovery: { autoConnect: false, pollMs: 5_000 },
  review: { resultAgeMinutes: 120 },
  ports: [
    { transport: 'serial', path: '/dev/serial/by-id/usb-FTDI_FT232R-if00-port0', driverId: 'masimo-rad8', settings: { baudRate: 9600, dataBits: 8, parity: 'none', stopBits: 1, flowControl: 'none' }, options: { stabilityWindowSeconds: 15, autoCapture: false }, autoConnect: true },
    // A Clinitek in one room only: biomed staff made it a bedside device (its default is shared).
    { transport: 'tcp', path: '10.0.0.7:4001', driverId: 'siemens-clinitek-status', options: { dateOrder: 'mdy' }, autoConnect: false, role: 'bedside' },
    { transport: 'hid', path: '/dev/hidraw3', driverId: 'ascensia-contour-next', autoConnect: true },
  ],
  memoryImport: { recentWindowMinutes: 90 },
  exportTargets: [
    {
      id: 'ehr',
      name: 'Hospital FHIR',
      kind: 'fhir',
      enabled: true,
      retry: { baseMs: 2_000, maxMs: 300_000 },
      baseUrl: 'https://ehr.example.org/fhir',
      patientIdentifierSystem: 'urn:oid:2.16.840.1.113883.19.5',
      auth: { type: 'bearer' },
      timeoutMs: 30_000,
    },
    { id: 'lis', name: 'Interface engine', kind: 'hl7', host: '10.0.0.5', port: 2575, profile: 'oru-r01-2.5.1' },
  ],
} satisfies WorkstationConfigInput;

const withoutStamp = ({ exportedAt: _at, exportedFrom: _from, ...rest }: WorkstationConfig) => rest;

describe('the workstation configuration file', () => {
  it('export then import on a fresh store gives the same setup', () => {
    const first = workstation('room-3');
    expect(first.config.importConfig(SETUP)).toMatchObject({ ports: 3, exportTargets: 2 });
    const file = JSON.parse(JSON.stringify(first.config.exportConfig())) as unknown;
    expect(file).toMatchObject({ format: CONFIG_FORMAT, version: 1, exportedFrom: 'room-3' });

    const second = workstation('room-4');
    expect(second.config.importConfig(file)).toMatchObject({ ports: 3, exportTargets: 2 });
    expect(withoutStamp(second.config.exportConfig())).toEqual(withoutStamp(first.config.exportConfig()));
    expect(second.store.ports.list()).toEqual(first.store.ports.list());
    expect(second.store.ports.discovery()).toEqual({ autoConnect: false, pollMs: 5_000 });
    expect(second.store.ports.list().find((p) => p.path === '10.0.0.7:4001')?.assignment?.role).toBe('bedside');
    expect(second.store.memoryImport.recentWindowMinutes()).toBe(90);
    const audit = second.store.db.prepare<[], { action: string }>('SELECT action FROM audit_log').all();
    expect(audit.map((r) => r.action)).toContain('config.import');
  });

  it('carries the inactivity lock time: stored, applied to the running sessions, exported; a file without it keeps it', () => {
    const ws = workstation('room-3');
    expect(ws.config.exportConfig().sessions).toEqual({ lockAfterMinutes: 5 }); // the default
    const applied: number[] = [];
    const config = new ConfigService({ manifests: DRIVERS.map((d) => d.manifest), tables: ws.store, audit: (...a) => ws.workflow.audit(...a), workstation: 'room-3', onLockAfter: (ms) => applied.push(ms) });
    config.importConfig({ ...SETUP, sessions: { lockAfterMinutes: 2 } });
    expect(applied).toEqual([120_000]);
    expect(ws.store.signInFailures.lockAfterMs()).toBe(120_000);
    config.importConfig(SETUP);
    expect(config.exportConfig().sessions).toEqual({ lockAfterMinutes: 2 });
    expect(applied).toEqual([120_000]);
    for (const wrong of [0, -1, 721, '5']) {
      expect(thrown(() => config.importConfig({ ...SETUP, sessions: { lockAfterMinutes: wrong } })).message, String(wrong)).toMatch(/^sessions\.lockAfterMinutes: /);
    }
  });

  it('an import replaces the assignments of the workstation', () => {
    const ws = workstation('room-3');
    ws.config.importConfig(SETUP);
    ws.config.importConfig({ ...SETUP, ports: [SETUP.ports[1]] });
    expect(ws.config.exportConfig().ports).toEqual([SETUP.ports[1]]);
    expect(ws.config.exportConfig().exportTargets.map((t) => t.id)).toEqual(['ehr', 'lis']);
  });

  const refusals: [string, (c: Record<string, unknown>) => unknown, RegExp][] = [
    ['not a configuration at all', () => ['ports'], /^\(the file\): /],
    ['the wrong format', (c) => ({ ...c, format: 'pochub-backup' }), /^format: /],
    ['ports not a list', (c) => ({ ...c, ports: { '0': 1 } }), /^ports: /],
    ['an unknown field', (c) => ({ ...c, colour: 'blue' }), /colour/],
    ['a bad baud rate', (c) => ({ ...c, ports: [{ ...SETUP.ports[0], settings: { ...SETUP.ports[0]?.settings, baudRate: 'fast' } }] }), /^ports\[0\]\.settings\.baudRate: /],
    ['settings on a HID port', (c) => ({ ...c, ports: [{ ...SETUP.ports[2], settings: SETUP.ports[0]?.settings }] }), /^ports\[0\]\.settings: line settings apply to serial ports only/],
    ['a serial driver on a HID port', (c) => ({ ...c, ports: [{ ...SETUP.ports[2], driverId: 'masimo-rad8' }] }), /^ports\[0\]\.transport: /],
    ['an option the driver does not know', (c) => ({ ...c, ports: [{ ...SETUP.ports[0], options: { turbo: true } }] }), /^ports\[0\]\.options: unknown option turbo/],
    ['an option of the wrong type', (c) => ({ ...c, ports: [{ ...SETUP.ports[0], options: { autoCapture: 'yes' } }] }), /^ports\[0\]\.options: option autoCapture must be a boolean/],
    ['a TCP port without a port number', (c) => ({ ...c, ports: [{ ...SETUP.ports[1], path: '10.0.0.7' }] }), /^ports\[0\]\.path: /],
    ['the same port twice', (c) => ({ ...c, ports: [SETUP.ports[0], SETUP.ports[0]] }), /^ports\[1\]\.path: .* listed twice/],
    ['a bad target URL', (c) => ({ ...c, exportTargets: [{ ...SETUP.exportTargets[0], baseUrl: 'ftp://ehr.example.org' }] }), /^exportTargets\[0\]\.baseUrl: /],
    ['a role that is not one', (c) => ({ ...c, ports: [{ ...SETUP.ports[0], role: 'ward' }] }), /^ports\[0\]\.role: a device role is one of bedside, shared or memory$/],
    ['a recent window of seconds', (c) => ({ ...c, memoryImport: { recentWindowMinutes: 1 } }), /^memoryImport\.recentWindowMinutes: the recent window is at least 5 minutes$/],
    ['plain http to another machine', (c) => ({ ...c, exportTargets: [{ ...SETUP.exportTargets[0], baseUrl: 'http://ehr.example.org/fhir' }] }), /^exportTargets\[0\]\.baseUrl: use https/],
  ];

  it.each(refusals)('refuses %s as a whole, naming the field, and changes nothing', (_what, change, field) => {
    const ws = workstation('room-3');
    ws.config.importConfig({ ...SETUP, ports: [SETUP.ports[1]], exportTargets: [] });
    const before = ws.config.exportConfig();
    const error = thrown(() => ws.config.importConfig(change({ ...SETUP })));
    expect(error).toMatchObject({ code: 'CONFIG_INVALID' });
    expect((error as Error).message).toMatch(field);
    expect(withoutStamp(ws.config.exportConfig())).toEqual(withoutStamp(before));
  });

  it('carries listening ports and local web services, and refuses a driver that cannot be read on one', () => {
    const ws = workstation('room-3');
    const ports = [
      { transport: 'listen', path: '0.0.0.0:3000', driverId: 'mindray-hl7', autoConnect: true },
      { transport: 'http', path: 'http://127.0.0.1:9233', driverId: 'welch-allyn-connex-sdk', autoConnect: true },
    ] as const;
    ws.config.importConfig({ ...SETUP, ports: [...ports], exportTargets: [] });
    expect(ws.store.ports.list().map((r) => [r.id, r.assignment?.driverId])).toEqual([
      ['http:http://127.0.0.1:9233', 'welch-allyn-connex-sdk'],
      ['listen:0.0.0.0:3000', 'mindray-hl7'],
    ]);
    expect(ws.config.exportConfig().ports.map((p) => [p.transport, p.path])).toEqual(
      expect.arrayContaining([
        ['listen', '0.0.0.0:3000'],
        ['http', 'http://127.0.0.1:9233'],
      ]),
    );
    const oximeter = thrown(() => ws.config.importConfig({ ...SETUP, ports: [{ ...ports[0], driverId: 'masimo-rad8' }], exportTargets: [] }));
    expect((oximeter as Error).message).toMatch(/^ports\[0\]\.transport: .*serial device; a port the hub listens on/);
    const remote = thrown(() => ws.config.importConfig({ ...SETUP, ports: [{ ...ports[1], path: 'http://10.0.0.9:9233' }], exportTargets: [] }));
    expect((remote as Error).message).toMatch(/^ports\[0\]\.path: .*not a local web service/);
  });

  it("carries a meter's folder (stored without its trailing separator) and refuses a relative path or another driver on it", () => {
    const ws = workstation('room-4');
    const folder = { transport: 'folder', path: '/media/ACCU-CHEK/', driverId: 'roche-accu-chek-mobile', autoConnect: true } as const;
    ws.config.importConfig({ ...SETUP, ports: [folder], exportTargets: [] });
    expect(ws.store.ports.list().map((r) => [r.id, r.transport, r.path, r.origin, r.assignment?.driverId])).toEqual([['folder:/media/ACCU-CHEK', 'folder', '/media/ACCU-CHEK', 'manual', 'roche-accu-chek-mobile']]);
    expect(ws.config.exportConfig().ports).toEqual([{ transport: 'folder', path: '/media/ACCU-CHEK', driverId: 'roche-accu-chek-mobile', autoConnect: true }]);
    const relative = thrown(() => ws.config.importConfig({ ...SETUP, ports: [{ ...folder, path: 'media/ACCU-CHEK' }], exportTargets: [] }));
    expect((relative as Error).message).toMatch(/^ports\[0\]\.path: .*not an absolute folder path/);
    const twice = thrown(() => ws.config.importConfig({ ...SETUP, ports: [folder, { ...folder, path: '/media/ACCU-CHEK' }], exportTargets: [] }));
    expect((twice as Error).message).toMatch(/^ports\[1\]\.path: .*listed twice/);
    const oximeter = thrown(() => ws.config.importConfig({ ...SETUP, ports: [{ ...folder, driverId: 'masimo-rad8' }], exportTargets: [] }));
    expect((oximeter as Error).message).toMatch(/^ports\[0\]\.transport: .*serial device; a meter's mounted folder of report files cannot reach it/);
  });

  it('takes a driver with several links on a port of any of them, and names them all when none fits', () => {
    const ws = workstation('room-4');
    const ports = [
      { transport: 'serial', path: '/dev/ttyUSB4', driverId: 'isens-caresens', settings: { baudRate: 9600, dataBits: 8, parity: 'none', stopBits: 1, flowControl: 'none' }, autoConnect: true },
      { transport: 'hid', path: '/dev/hidraw5', driverId: 'isens-caresens', autoConnect: true },
    ] as const;
    ws.config.importConfig({ ...SETUP, ports: [...ports], exportTargets: [] });
    expect(ws.store.ports.list().map((r) => [r.transport, r.assignment?.driverId])).toEqual(expect.arrayContaining([['serial', 'isens-caresens'], ['hid', 'isens-caresens']]));
    const listen = thrown(() => ws.config.importConfig({ ...SETUP, ports: [{ transport: 'listen', path: '0.0.0.0:3001', driverId: 'isens-caresens', autoConnect: true }], exportTargets: [] }));
    expect((listen as Error).message).toMatch(/^ports\[0\]\.transport: .* is a USB HID device or a serial device; a port the hub listens on/);
  });

  it('refuses an unknown driver as a whole, as DRIVER_UNKNOWN naming the field and the known drivers, and changes nothing', () => {
    const ws = workstation('room-3');
    ws.config.importConfig({ ...SETUP, ports: [SETUP.ports[1]], exportTargets: [] });
    const before = ws.config.exportConfig();
    const error = thrown(() => ws.config.importConfig({ ...SETUP, ports: [SETUP.ports[0], { ...SETUP.ports[1], driverId: 'acme-x' }] }));
    expect(error).toMatchObject({ code: 'DRIVER_UNKNOWN', details: { field: 'ports[1].driverId', driverId: 'acme-x' } });
    expect((error as Error).message).toMatch(/^ports\[1\]\.driverId: unknown driver "acme-x" \(known drivers: .*masimo-rad8/);
    expect(withoutStamp(ws.config.exportConfig())).toEqual(withoutStamp(before));
  });

  it('refuses a target whose kind differs from the one on this workstation', () => {
    const ws = workstation('room-3');
    ws.config.importConfig(SETUP);
    const changed = { ...SETUP, exportTargets: [{ id: 'ehr', name: 'Now HL7', kind: 'hl7', host: '10.0.0.9', port: 2575 }] };
    expect(thrown(() => ws.config.importConfig(changed))).toMatchObject({ code: 'CONFIG_INVALID', message: expect.stringMatching(/^exportTargets\[0\]\.kind: target "ehr" is a fhir target/) });
  });
});

describe('patient sources in the configuration file', () => {
  const SOURCES = [
    { id: 'clinic-ehr', name: 'Clinic EHR', kind: 'fhir', baseUrl: 'https://ehr.example.org/fhir', identifierSystem: 'urn:oid:2.16.840.1.113883.19.5', location: 'Location/room-4', auth: { type: 'bearer' } },
    { id: 'ward-adt', name: 'Ward ADT', kind: 'hl7-adt', listen: '127.0.0.1:2576' },
  ] as const;

  it('travel with the file (never a token) and are applied on import, keeping a token already stored', () => {
    const first = workstation('room-3');
    first.config.importConfig({ ...SETUP, patientSources: SOURCES });
    first.store.transaction(() => first.store.patientSources.save(first.store.patientSources.get('clinic-ehr')!.source, true, new Date().toISOString()));
    const file = first.config.exportConfig();
    expect(file.patientSources?.map((s) => s.id)).toEqual(['clinic-ehr', 'ward-adt']);
    expect(JSON.stringify(file)).not.toMatch(/secret|token"/i);
    const second = workstation('room-4');
    second.config.importConfig(JSON.parse(JSON.stringify(file)));
    expect(second.store.patientSources.list().map((r) => r.source)).toEqual(first.store.patientSources.list().map((r) => r.source));
    // A file without sources (from before) leaves them as they are.
    second.config.importConfig(SETUP);
    expect(second.store.patientSources.list()).toHaveLength(2);
  });

  it("refuses a source whose kind differs from the workstation's source of that id, naming the field", () => {
    const ws = workstation('room-3');
    ws.config.importConfig({ ...SETUP, patientSources: SOURCES });
    const e = thrown(() => ws.config.importConfig({ ...SETUP, patientSources: [{ id: 'ward-adt', name: 'x', kind: 'fhir', baseUrl: 'https://x.example/fhir' }] }));
    expect(e).toMatchObject({ code: 'CONFIG_INVALID', details: { field: 'patientSources[0].kind' } });
  });

  it('a workstation without sources exports no patientSources field (files stay as before)', () => {
    expect(workstation('room-5').config.exportConfig().patientSources).toBeUndefined();
  });
});

describe('control lots in the configuration file', () => {
  const LOT = { lotNumber: 'GL-2291', analyte: 'glucoseMassMeter', unit: 'mg/dL', expiresOn: '2099-12-31', levels: [{ level: 'low', low: 40, high: 60 }, { level: 'high', low: 280, high: 340 }] } as const;

  it('adds lots by number and analyte, changes them on a second import, exports those in use, keeps a retired one retired', () => {
    const ws = workstation('ws-lots');
    ws.config.importConfig({ format: CONFIG_FORMAT, version: 1, qcLots: [LOT] });
    expect(ws.store.qc.lots()).toEqual([expect.objectContaining({ lotNumber: 'GL-2291', levels: LOT.levels, retired: false })]);
    const changed = { ...LOT, expiresOn: '2099-06-30' };
    ws.config.importConfig({ format: CONFIG_FORMAT, version: 1, qcLots: [changed] });
    expect(ws.store.qc.lots()).toEqual([expect.objectContaining({ lotNumber: 'GL-2291', expiresOn: '2099-06-30' })]);
    expect(ws.config.exportConfig().qcLots).toEqual([changed]);
    const id = ws.store.qc.lots()[0]?.id ?? '';
    ws.store.qc.retireLot(id, '2026-01-01T00:00:00.000Z');
    ws.config.importConfig({ format: CONFIG_FORMAT, version: 1, qcLots: [LOT] });
    expect(ws.store.qc.lots()).toEqual([expect.objectContaining({ id, retired: true, expiresOn: '2099-06-30' })]);
    expect(ws.config.exportConfig().qcLots).toBeUndefined();
  });

  it('refuses a lot in a unit its analyte is not measured in, or listed twice, naming the field', () => {
    const ws = workstation('ws-bad-lots');
    expect(thrown(() => ws.config.importConfig({ format: CONFIG_FORMAT, version: 1, qcLots: [{ ...LOT, unit: 'mmol/L' }] }))).toMatchObject({ code: 'CONFIG_INVALID', message: expect.stringMatching(/^qcLots\[0\]\.unit: /) });
    expect(thrown(() => ws.config.importConfig({ format: CONFIG_FORMAT, version: 1, qcLots: [LOT, LOT] }))).toMatchObject({ code: 'CONFIG_INVALID', message: expect.stringMatching(/^qcLots\[1\]\.lotNumber: .*listed twice/) });
    expect(ws.store.qc.lots()).toEqual([]);
  });
});
