import { describe, expect, it } from 'vitest';
import { hidLister } from './listers.ts';
import type { LinkSpec } from '../../transports/index.ts';
import { DRIVERS } from '../../../drivers/index.ts';
import { usePortRigs, driver, hidPort, serialPort, simulatedDevice } from '../../../test/helpers/ports-fixtures.ts';

const rigs = usePortRigs();

describe('discovery matches ports to drivers by USB id', () => {
  it('one driver: assigned by discovery, connected, and the meter downloaded', async () => {
    const rig = rigs.start();
    const contour = driver('ascensia-contour-next');
    rig.lists.hid = [hidPort('/dev/hidraw3', 0x1a79, 0x7410, 'SN-A')];
    rig.behind.set('/dev/hidraw3', simulatedDevice(contour, contour.simulator.scenarios[0]?.name ?? 'memory', rig.clock));
    await rig.scan();
    const port = rig.port('hid:/dev/hidraw3');
    expect(port.match).toMatchObject({ kind: 'one', driverIds: ['ascensia-contour-next'] });
    expect(port.assignment).toEqual({ driverId: 'ascensia-contour-next', autoConnect: true, by: 'discovery', role: 'memory', roleChosen: false });
    expect(rig.opened).toEqual(['/dev/hidraw3']);
    expect(port.health.sessions).toBe(1);
    expect(port.health.readings).toBeGreaterThan(0);
    expect(port.deviceKey).toMatch(/^ascensia-contour-next:/);
    expect(port.state).toBe('idle');
    expect(rig.arrivals.length).toBe(port.health.readings);
  });

  it('two drivers for one cable (LifeScan PL2303): asks, connects nothing', async () => {
    const rig = rigs.start();
    rig.lists.serial = [serialPort('/dev/ttyUSB0', 0x067b, 0x2303)];
    await rig.scan();
    const port = rig.port('serial:/dev/ttyUSB0');
    expect(port.match.kind).toBe('several');
    expect(port.match.driverIds.sort()).toEqual(['lifescan-onetouch-ultra2', 'lifescan-onetouch-ultraeasy']);
    expect(port.match.message).toMatch(/Prolific PL2303.*OneTouch Ultra 2 or .*UltraEasy.*choose/);
    expect(port.assignment).toBeUndefined();
    expect(rig.opened).toEqual([]);
  });

  it('two identical devices plugged at once: asks which, connects neither', async () => {
    const rig = rigs.start();
    rig.lists.hid = [hidPort('/dev/hidraw3', 0x1a61, 0x3850), hidPort('/dev/hidraw4', 0x1a61, 0x3850)];
    await rig.scan();
    for (const id of ['hid:/dev/hidraw3', 'hid:/dev/hidraw4']) {
      const port = rig.port(id);
      expect(port.match).toMatchObject({ kind: 'several', driverIds: ['abbott-freestyle-neo'] });
      expect(port.match.message).toMatch(/^2 identical .* assign each port by hand/);
      expect(port.assignment).toBeUndefined();
    }
    expect(rig.opened).toEqual([]);
  });

  it('a generic adapter drivers claim (CP210x: Health o meter, SD CodeFree cable) is offered, not connected', async () => {
    const rig = rigs.start();
    rig.lists.serial = [serialPort('/dev/ttyUSB2', 0x10c4, 0xea60)];
    await rig.scan();
    const port = rig.port('serial:/dev/ttyUSB2');
    expect(port.match).toMatchObject({ kind: 'several', driverIds: ['healthometer-professional', 'sd-codefree'] });
    expect(port.match.message).toMatch(/CP210x .* is used by .*Health o meter.* or SD Biosensor SD CodeFree: choose the driver/);
    expect(port.assignment).toBeUndefined();
    expect(rig.opened).toEqual([]);
  });

  it('the CP2110 HID bridge of the TaiDoc meters is offered, not connected (other gadgets use it too)', async () => {
    const rig = rigs.start();
    rig.lists.hid = [hidPort('/dev/hidraw5', 0x10c4, 0xea80)];
    await rig.scan();
    const port = rig.port('hid:/dev/hidraw5');
    expect(port.match).toMatchObject({ kind: 'several', driverIds: ['taidoc-td42xx'] });
    expect(port.assignment).toBeUndefined();
    expect(rig.opened).toEqual([]);
  });

  it('the i-SENS CareSens cable (CP2110 with its own product id 10c4:8a32) is matched to isens-caresens alone', async () => {
    const rig = rigs.start();
    rig.lists.hid = [hidPort('/dev/hidraw6', 0x10c4, 0x8a32)];
    await rig.scan();
    expect(rig.port('hid:/dev/hidraw6').match).toMatchObject({ driverIds: ['isens-caresens'] });
  });

  it('isens-caresens in the hub on its other links: the Shine Connex HID (0483:a18b) matched and downloaded, a serial port assigned by hand at 9600 8N1', async () => {
    const rig = rigs.start();
    const isens = driver('isens-caresens');
    rig.lists.hid = [hidPort('/dev/hidraw8', 0x0483, 0xa18b, 'SHINE-1')];
    const specs: LinkSpec[] = [];
    const meter = simulatedDevice(isens, 'notes', rig.clock);
    rig.behind.set('/dev/hidraw8', (spec) => (specs.push(spec), meter(spec)));
    await rig.scan();
    // Opened with the device's ids, by which the driver (and the simulated meter) frame for the Shine.
    expect(specs).toMatchObject([{ type: 'hid', vendorId: 0x0483, productId: 0xa18b }]);
    const shine = rig.port('hid:/dev/hidraw8');
    expect(shine.match).toMatchObject({ kind: 'one', driverIds: ['isens-caresens'] });
    expect(shine.health.readings).toBe(2);
    rig.files.add('/tmp/pochub-pty-i');
    rig.behind.set('/tmp/pochub-pty-i', simulatedDevice(isens, 'notes', rig.clock));
    rig.ports.addPort('serial', '/tmp/pochub-pty-i');
    const serial = await rig.ports.assign('serial:/tmp/pochub-pty-i', { driverId: 'isens-caresens' });
    expect(serial.assignment?.settings).toEqual({ baudRate: 9600, dataBits: 8, parity: 'none', stopBits: 1, flowControl: 'none' });
    await rig.clock.runUntilIdle(30_000);
    expect(rig.port('serial:/tmp/pochub-pty-i').health.readings).toBe(2);
  });

  it('the CH9102 bridge of the Mission U120 / Consult 120 is offered, not connected', async () => {
    const rig = rigs.start();
    rig.lists.serial = [serialPort('/dev/ttyACM0', 0x1a86, 0x55d4)];
    await rig.scan();
    const port = rig.port('serial:/dev/ttyACM0');
    expect(port.match).toMatchObject({ kind: 'several', driverIds: ['acon-mission-u120'] });
    expect(port.match.message).toMatch(/CH9102 .*Mission U120.* any serial device may be behind it/);
    expect(port.assignment).toBeUndefined();
    expect(rig.opened).toEqual([]);
  });

  it('a generic adapter no driver claims is offered, not connected', async () => {
    const rig = rigs.start();
    rig.lists.serial = [serialPort('/dev/ttyUSB1', 0x0403, 0x6001)];
    await rig.scan();
    const port = rig.port('serial:/dev/ttyUSB1');
    expect(port.match).toEqual({ kind: 'unknown-adapter', driverIds: [], message: 'FTDI FT232R USB-serial adapter (0403:6001): any serial device may be behind it; choose its driver by hand.' });
    expect(port.assignment).toBeUndefined();
    expect(port.state).toBe('idle');
    expect(rig.opened).toEqual([]);
  });

  it('a device known but not supported is said so by name', async () => {
    const rig = rigs.start();
    rig.lists.hid = [hidPort('/dev/hidraw5', 0x1a61, 0x3950)];
    await rig.scan();
    expect(rig.port('hid:/dev/hidraw5').match).toEqual({ kind: 'unsupported', driverIds: [], message: 'Abbott FreeStyle Libre 2 reader (1a61:3950) is recognised, but POC Hub has no driver for it.' });
    expect(rig.opened).toEqual([]);
  });

  it('a port without USB ids is listed for a person to choose', async () => {
    const rig = rigs.start();
    rig.lists.serial = [serialPort('/dev/ttyS0')];
    await rig.scan();
    const port = rig.port('serial:/dev/ttyS0');
    expect(port.match.kind).toBe('none');
    expect(port.match.message).toMatch(/No USB ids/);
    expect(port.present).toBe(true);
  });

  it('unplugged ports go absent; a person-unassigned port is not assigned again by discovery', async () => {
    const rig = rigs.start();
    rig.lists.hid = [hidPort('/dev/hidraw3', 0x1a79, 0x7410)];
    await rig.discovery.scan();
    await rig.ports.unassign('hid:/dev/hidraw3');
    rig.lists.hid = [];
    await rig.scan();
    expect(rig.port('hid:/dev/hidraw3')).toMatchObject({ present: false, state: 'absent' });
    rig.lists.hid = [hidPort('/dev/hidraw3', 0x1a79, 0x7410)];
    await rig.scan();
    expect(rig.port('hid:/dev/hidraw3').assignment).toBeUndefined();
  });
});

describe('driver options per port', () => {
  it('are checked against the driver, shown on the port, reach the session, and do not follow to another driver', async () => {
    const rig = rigs.start();
    const oximeter = driver('masimo-rad8');
    rig.files.add('/tmp/pochub-pty-b');
    rig.behind.set('/tmp/pochub-pty-b', simulatedDevice(oximeter, 'stream', rig.clock));
    rig.ports.addPort('serial', '/tmp/pochub-pty-b');
    const id = 'serial:/tmp/pochub-pty-b';
    await expect(rig.ports.assign(id, { driverId: 'masimo-rad8', options: { stabilityWindowSeconds: 0 } })).rejects.toMatchObject({
      code: 'INPUT_INVALID',
      message: 'Masimo Rad-8 / Radical-7 / Rad-87 (ASCII 1): option stabilityWindowSeconds must be at least 2.',
    });
    expect(rig.port(id).assignment).toBeUndefined();
    // Auto-capture off: a stable patient for a whole round gives no reading by itself.
    const port = await rig.ports.assign(id, { driverId: 'masimo-rad8', options: { autoCapture: false } });
    expect(port.assignment?.options).toEqual({ autoCapture: false });
    await rig.clock.runUntilIdle(30_000);
    expect(rig.port(id).state).toBe('connected');
    expect(rig.arrivals).toEqual([]);
    // Saved again without options: kept for the same driver…
    expect((await rig.ports.assign(id, { driverId: 'masimo-rad8', autoConnect: false })).assignment?.options).toEqual({ autoCapture: false });
    // …dropped for another one, whose own defaults apply.
    expect((await rig.ports.assign(id, { driverId: 'siemens-clinitek-status', autoConnect: false })).assignment?.options).toBeUndefined();
  });

  it('a port’s role: the driver’s default until biomed staff choose, kept for the same driver, reaching the readings at once', async () => {
    const rig = rigs.start();
    const analyzer = driver('siemens-clinitek-status');
    rig.files.add('/tmp/pochub-pty-c');
    rig.behind.set('/tmp/pochub-pty-c', simulatedDevice(analyzer, 'results', rig.clock));
    rig.ports.addPort('serial', '/tmp/pochub-pty-c');
    const id = 'serial:/tmp/pochub-pty-c';
    expect(() => rig.ports.setRole(id, 'bedside')).toThrow(/Choose a driver/);
    expect((await rig.ports.assign(id, { driverId: 'siemens-clinitek-status', autoConnect: false })).assignment).toMatchObject({ role: 'shared', roleChosen: false });
    expect(rig.ports.setRole(id, 'bedside').assignment).toMatchObject({ role: 'bedside', roleChosen: true });
    expect((await rig.ports.assign(id, { driverId: 'siemens-clinitek-status' })).assignment?.role).toBe('bedside');
    await rig.clock.runUntilIdle(30_000);
    expect(rig.arrivals.length).toBe(3);
    const stored = rigs.store.db.prepare<[], { device_role: string }>('SELECT device_role FROM reviews').all();
    expect(stored.map((r) => r.device_role)).toEqual(['bedside', 'bedside', 'bedside']);
    expect(rig.devices.listDevices()[0]?.role).toBe('bedside');
  });
});

describe('forgetting a port', () => {
  it('a pty added by hand: its session stops, its driver and settings are deleted, it leaves the list', async () => {
    const rig = rigs.start();
    const oximeter = driver('masimo-rad8');
    rig.files.add('/tmp/pochub-pty-a');
    rig.behind.set('/tmp/pochub-pty-a', simulatedDevice(oximeter, 'stream', rig.clock));
    rig.ports.addPort('serial', '/tmp/pochub-pty-a');
    await rig.ports.assign('serial:/tmp/pochub-pty-a', { driverId: 'masimo-rad8' });
    await rig.clock.runUntilIdle(3_000);
    expect(rig.port('serial:/tmp/pochub-pty-a').state).toBe('connected');
    await rig.ports.forget('serial:/tmp/pochub-pty-a');
    expect(rig.ports.list().map((p) => p.id)).not.toContain('serial:/tmp/pochub-pty-a');
    expect(rigs.store.ports.get('serial:/tmp/pochub-pty-a')).toBeUndefined();
    await expect(rig.ports.forget('serial:/tmp/pochub-pty-a')).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('a port discovery still sees stays listed as newly seen; it is not connected again until replugged', async () => {
    const rig = rigs.start();
    const contour = driver('ascensia-contour-next');
    rig.lists.hid = [hidPort('/dev/hidraw3', 0x1a79, 0x7410, 'SN-A')];
    rig.behind.set('/dev/hidraw3', simulatedDevice(contour, 'memory', rig.clock));
    await rig.scan();
    await rig.ports.unassign('hid:/dev/hidraw3');
    expect(rig.opened).toEqual(['/dev/hidraw3']);
    await rig.ports.forget('hid:/dev/hidraw3');
    expect(rig.port('hid:/dev/hidraw3')).toMatchObject({ present: true, match: { kind: 'one' } });
    expect(rigs.store.ports.get('hid:/dev/hidraw3')).toBeUndefined();
    // Forgotten, the person's "no driver" is gone too: discovery assigns the single match again…
    await rig.scan();
    expect(rig.port('hid:/dev/hidraw3').assignment).toMatchObject({ driverId: 'ascensia-contour-next', by: 'discovery' });
    // …but does not download the meter again while it stays plugged in; a replug does.
    expect(rig.opened).toEqual(['/dev/hidraw3']);
    rig.lists.hid = [];
    await rig.scan();
    rig.lists.hid = [hidPort('/dev/hidraw3', 0x1a79, 0x7410, 'SN-A')];
    await rig.scan();
    expect(rig.opened).toEqual(['/dev/hidraw3', '/dev/hidraw3']);
  });
});

describe('the HID lister', () => {
  it('keeps meters a driver claims or we know, never keyboards and mice', async () => {
    const list = hidLister(
      DRIVERS.map((d) => d.manifest),
      async () => ({
        ok: true,
        devices: [
          { path: '/dev/hidraw0', vendorId: 0x046d, productId: 0xc52b, interface: 0, product: 'Unifying Receiver' },
          { path: '/dev/hidraw1', vendorId: 0x1a79, productId: 0x7410, interface: 0, serialNumber: 'X1', product: 'Contour Next USB' },
          { path: '/dev/hidraw2', vendorId: 0x1a61, productId: 0x3950, interface: 0 },
        ],
      }),
    );
    const listing = await list();
    expect(listing.ports.map((p) => p.id)).toEqual(['hid:/dev/hidraw1', 'hid:/dev/hidraw2']);
    expect(listing.ports[0]?.usb).toEqual({ vendorId: 0x1a79, productId: 0x7410, serialNumber: 'X1', product: 'Contour Next USB' });
  });
});
