import { afterEach, describe, expect, it } from 'vitest';
import type { DriverInfo, EventPayload } from '../../../shared/api/contract.ts';
import { createHub, type Hub } from '../../app.ts';
import { serialPort } from '../../../test/helpers/ports-fixtures.ts';
import type { PortLister } from './listers.ts';

/** The biomed console wired into the hub (docs/architecture.md §6): discovery → ports event → handlers → audit. */
let hub: Hub | undefined;
afterEach(async () => {
  await hub?.close();
  hub = undefined;
});

/** A demo hub (operators to sign in) whose ports come from `lister` alone: no polling, no hardware. */
function hubListing(lister: PortLister): Hub {
  return createHub({
    dataDir: ':memory:',
    demo: true,
    discovery: false,
    workstation: 'room-3',
    log: () => undefined,
    exportWorkers: false,
    ports: { listers: [lister], openLink: () => Promise.reject(new Error('no hardware in this test')), pathExists: () => false },
  });
}

describe('the hub with discovery', () => {
  it('announces discovered ports, serves them to biomed staff and audits a person\'s assignment', async () => {
    const listed = [serialPort('/dev/ttyUSB0', 0x067b, 0x2303), serialPort('/dev/ttyUSB1', 0x0403, 0x6001)];
    hub = hubListing(async () => ({ ports: listed }));
    const events: EventPayload<'ports'>[] = [];
    hub.bus.on('ports', (ports) => events.push(ports));
    await hub.discovery.scan();
    expect(events.at(-1)?.map((p) => [p.id, p.match.kind])).toEqual([
      ['serial:/dev/ttyUSB0', 'several'],
      ['serial:/dev/ttyUSB1', 'unknown-adapter'],
    ]);

    const ctx = { binding: 'internal', session: 'internal' } as const;
    await hub.call('signIn', { badgeId: '1001', pin: '1234' }, ctx);
    expect(await hub.call('listPorts', {}, ctx)).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    await hub.call('signOut', {}, ctx);
    await hub.call('signIn', { badgeId: '2001', pin: '2345' }, ctx);
    const assigned = await hub.call('assignPort', { portId: 'serial:/dev/ttyUSB0', driverId: 'lifescan-onetouch-ultra2', autoConnect: false }, ctx);
    expect(assigned).toMatchObject({ ok: true, value: { assignment: { driverId: 'lifescan-onetouch-ultra2', by: 'person', autoConnect: false, settings: { baudRate: 9600 } }, state: 'idle' } });
    const drivers = await hub.call('listDrivers', {}, ctx);
    expect(drivers).toMatchObject({ ok: true, value: expect.arrayContaining([expect.objectContaining({ id: 'lifescan-onetouch-ultraeasy', scenarios: expect.arrayContaining(['memory']) })]) });
    // The console gets each driver's options with their rules, to build its form.
    const rad8 = drivers.ok ? (drivers.value as DriverInfo[]).find((d) => d.id === 'masimo-rad8') : undefined;
    expect(rad8?.options.find((o) => o.key === 'stabilityWindowSeconds')).toMatchObject({ type: 'number', default: 10, min: 2, max: 120, unit: 's' });
    // A value outside an option's range is refused over the API, naming the option; nothing is saved.
    const refused = await hub.call('assignPort', { portId: 'serial:/dev/ttyUSB0', driverId: 'lifescan-onetouch-ultra2', options: { turbo: true } }, ctx);
    expect(refused).toMatchObject({ ok: false, error: { code: 'INPUT_INVALID', message: expect.stringContaining('unknown option turbo') } });
    const audit = hub.store.audit.listNewest(5);
    expect(audit[0]).toMatchObject({ action: 'port.assign', subject: 'serial:/dev/ttyUSB0', operatorId: expect.any(String) });

    // The configuration goes out as a file; an admin applies it (here: back onto the same hub).
    const exported = await hub.call('exportConfig', {}, ctx);
    expect(exported).toMatchObject({ ok: true, value: { ports: [{ path: '/dev/ttyUSB0', driverId: 'lifescan-onetouch-ultra2', autoConnect: false }] } });
    expect(await hub.call('importConfig', { config: exported.ok ? exported.value : {} }, ctx)).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    await hub.call('signOut', {}, ctx);
    await hub.call('signIn', { badgeId: '9001', pin: '9999' }, ctx);
    const bad = await hub.call('importConfig', { config: { format: 'pochub-workstation-config', version: 1, ports: [{ transport: 'serial', path: '/dev/ttyUSB0', driverId: 'acme-x' }] } }, ctx);
    expect(bad).toMatchObject({ ok: false, error: { code: 'DRIVER_UNKNOWN', message: expect.stringMatching(/^ports\[0\]\.driverId: unknown driver "acme-x" \(known drivers: /) } });
    expect(await hub.call('importConfig', { config: exported.ok ? exported.value : {} }, ctx)).toEqual({ ok: true, value: { ports: 1, exportTargets: 1 } });
    expect(hub.store.audit.listNewest(1)[0]).toMatchObject({ action: 'config.import' });
  });

  it('Scan now lists at once and the status names a listing problem with what to do', async () => {
    const listed = [serialPort('/dev/ttyUSB0', 0x067b, 0x2303)];
    const problem = 'USB ids cannot be read: udevadm is missing. Install udev (apt-get install udev), then scan again.';
    let udev = false;
    hub = hubListing(async () => (udev ? { ports: listed } : { ports: [], problem }));
    const ctx = { binding: 'internal', session: 'internal' } as const;
    await hub.call('signIn', { badgeId: '2001', pin: '2345' }, ctx);
    // Demo mode does not poll; nothing listed yet.
    expect(await hub.call('getDiscovery', {}, ctx)).toEqual({ ok: true, value: { polling: false, pollMs: 2000, problems: [] } });
    const first = await hub.call('scanPorts', {}, ctx);
    expect(first).toMatchObject({ ok: true, value: { polling: false, lastScanAt: expect.any(String), problems: [problem] } });
    expect(await hub.call('listPorts', {}, ctx)).toEqual({ ok: true, value: [] });
    // udev installed: the next Scan now finds the port, and the problem is gone.
    udev = true;
    expect(await hub.call('scanPorts', {}, ctx)).toMatchObject({ ok: true, value: { problems: [] } });
    expect(await hub.call('listPorts', {}, ctx)).toMatchObject({ ok: true, value: [{ id: 'serial:/dev/ttyUSB0', match: { kind: 'several' } }] });
  });
});
