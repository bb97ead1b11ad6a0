import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CONFIG_FORMAT, type WorkstationConfigInput } from '../../shared/config/workstation-config.ts';
import { DRIVERS } from '../../drivers/index.ts';
import { ConfigService } from './config-service.ts';
import type { HubDatabase } from '../store/hub-database.ts';
import { openStore } from '../store/open-store.ts';
import { HubWorkflow } from '../workflow/hub-workflow.ts';
import { thrown } from '../../test/helpers/thrown.ts';
import { tempDir } from '../../test/helpers/store-fixtures.ts';

/**
 * The `drivers` section of the workstation configuration file (docs/architecture.md §6, fleet
 * configuration): option values and roles per driver, whatever a port's path, over real stores.
 */
let tmp: ReturnType<typeof tempDir>;
const opened: HubDatabase[] = [];
beforeEach(() => (tmp = tempDir()));
afterEach(() => {
  for (const s of opened.splice(0)) s.close();
  tmp.cleanup();
});

function workstation(name: string) {
  const store = openStore(join(tmp.dir, `${name}.sqlite`));
  opened.push(store);
  const workflow = new HubWorkflow(store, name);
  const config = new ConfigService({ manifests: DRIVERS.map((d) => d.manifest), tables: store, audit: (...a) => workflow.audit(...a), workstation: name });
  const audit = (action: string): Record<string, unknown>[] =>
    store.db
      .prepare<[string], { details: string }>('SELECT details FROM audit_log WHERE action = ? ORDER BY seq')
      .all(action)
      .map((r) => JSON.parse(r.details) as Record<string, unknown>);
  return { store, config, audit };
}

const DRIVER_SECTION = [
  { driverId: 'masimo-rad8', options: { autoCapture: false, stabilityWindowSeconds: 20 } },
  { driverId: 'ascensia-contour-next', role: 'bedside' },
  { driverId: 'siemens-clinitek-status', options: { dateOrder: 'dmy' }, role: 'bedside' },
] as const;

const file = (drivers?: unknown): WorkstationConfigInput => ({ format: CONFIG_FORMAT, version: 1, ...(drivers === undefined ? {} : { drivers }) }) as WorkstationConfigInput;
const source = (bytes = 'x') => ({ url: 'https://it.example/pochub.json', bytes: Buffer.from(bytes), sha256: 'a'.repeat(64) });

describe('central driver defaults in the configuration file', () => {
  it('import stores them, export carries them, a second workstation gets the same; a file without the section keeps them', () => {
    const first = workstation('room-3');
    first.config.importConfig(file(DRIVER_SECTION));
    expect(first.store.driverDefaults.list()).toEqual([...DRIVER_SECTION].sort((a, b) => a.driverId.localeCompare(b.driverId)));
    const exported = JSON.parse(JSON.stringify(first.config.exportConfig())) as { drivers: unknown };
    expect(exported.drivers).toEqual(first.store.driverDefaults.list());
    expect(first.audit('config.import')[0]).toMatchObject({ drivers: DRIVER_SECTION });

    const second = workstation('room-4');
    second.config.importConfig(exported);
    expect(second.store.driverDefaults.list()).toEqual(first.store.driverDefaults.list());

    // A file from before (no section) keeps them; an empty section clears them.
    second.config.importConfig(file());
    expect(second.store.driverDefaults.list()).toHaveLength(3);
    second.config.importConfig(file([]));
    expect(second.store.driverDefaults.list()).toEqual([]);
    expect(second.config.exportConfig()).not.toHaveProperty('drivers');
  });

  it.each([
    ['an unknown driver', [{ driverId: 'no-such-meter' }], 'drivers[0].driverId', /unknown driver "no-such-meter"/],
    ['an unknown option', [{ driverId: 'masimo-rad8', options: { averagingSeconds: 8 } }], 'drivers[0].options.averagingSeconds', /unknown option averagingSeconds/],
    ['an option out of range', [{ driverId: 'ascensia-contour-next' }, { driverId: 'masimo-rad8', options: { stabilityWindowSeconds: 500 } }], 'drivers[1].options.stabilityWindowSeconds', /stabilityWindowSeconds/],
    ['an option of the wrong type', [{ driverId: 'masimo-rad8', options: { autoCapture: 'yes' } }], 'drivers[0].options.autoCapture', /must be a boolean/],
    ['a role that is not one', [{ driverId: 'masimo-rad8', role: 'ward' }], 'drivers[0].role', /bedside, shared or memory/],
    ['a driver listed twice', [{ driverId: 'masimo-rad8' }, { driverId: 'masimo-rad8', role: 'shared' }], 'drivers[1].driverId', /listed twice \(also drivers\[0\]\)/],
    ['a field the section does not have', [{ driverId: 'masimo-rad8', settings: {} }], 'drivers[0]', /settings/],
  ])('refuses %s naming the field, changing nothing', (_what, drivers, field, message) => {
    const ws = workstation('room-3');
    ws.config.importConfig(file(DRIVER_SECTION));
    const e = thrown(() => ws.config.importConfig(file(drivers)));
    expect(e.details).toMatchObject({ field });
    expect(e.message).toMatch(message);
    expect(e.message.startsWith(field)).toBe(true);
    expect(() => ws.config.applyFollowed(file(drivers), source())).toThrow(message);
    expect(ws.store.driverDefaults.list()).toHaveLength(3);
  });

  // safety: SR-CONFIG-1
  it('follow applies them with its audit row, and lists each port whose own value differs (never dropped)', () => {
    const ws = workstation('room-3');
    const now = '2026-12-07T10:00:00Z';
    // This workstation's own setup: one Rad-8 with its own capture choice and role, one left at the driver's.
    ws.store.ports.save({ id: 'serial:/dev/ttyUSB0', transport: 'serial', path: '/dev/ttyUSB0', origin: 'manual', assignment: { driverId: 'masimo-rad8', options: { autoCapture: true, stabilityWindowSeconds: 20 }, autoConnect: true, by: 'person', role: 'shared' } }, now);
    ws.store.ports.save({ id: 'serial:/dev/ttyUSB1', transport: 'serial', path: '/dev/ttyUSB1', origin: 'manual', assignment: { driverId: 'masimo-rad8', options: {}, autoConnect: true, by: 'person' } }, now);
    const central = file([{ driverId: 'masimo-rad8', options: { autoCapture: false, stabilityWindowSeconds: 20 }, role: 'bedside' }]);
    const { overrides } = ws.config.applyFollowed(central, source());
    expect(ws.store.driverDefaults.get('masimo-rad8')).toEqual({ driverId: 'masimo-rad8', options: { autoCapture: false, stabilityWindowSeconds: 20 }, role: 'bedside' });
    expect(overrides).toEqual([
      { field: 'drivers[0].options.autoCapture /dev/ttyUSB0', central: 'masimo-rad8 autoCapture false', local: 'autoCapture true' },
      { field: 'drivers[0].role /dev/ttyUSB0', central: 'masimo-rad8 role bedside', local: 'role shared' },
    ]);
    // The port keeps its own values: the file changed no assignment.
    expect(ws.store.ports.get('serial:/dev/ttyUSB0')?.assignment).toMatchObject({ options: { autoCapture: true }, role: 'shared' });
    const [row] = ws.audit('config.follow.applied');
    expect(row).toMatchObject({ drivers: [{ driverId: 'masimo-rad8', role: 'bedside' }], localOverrides: overrides });
  });
});
