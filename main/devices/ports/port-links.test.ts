import { describe, expect, it } from 'vitest';
import { siemensClinitek50Driver } from '../../../drivers/devices/siemens-clinitek-50/index.ts';
import { siemensClinitekStatusDriver } from '../../../drivers/devices/siemens-clinitek-status/index.ts';
import { rocheAccuChekMobileDriver } from '../../../drivers/devices/roche-accu-chek-mobile/index.ts';
import { isensCaresensDriver } from '../../../drivers/devices/isens-caresens/index.ts';
import { LinkSpecSchema } from '../../transports/index.ts';
import type { PortSettings } from '../../../shared/api/ports-model.ts';
import type { PortRecord } from '../../store/ports-repo.ts';
import { linkSpecFor } from './port-links.ts';

const port = (settings?: PortSettings): PortRecord => ({
  id: 'p1',
  transport: 'serial',
  path: '/dev/ttyUSB0',
  origin: 'manual',
  assignment: { driverId: 'x', options: {}, autoConnect: false, by: 'person', ...(settings ? { settings } : {}) },
});

describe('linkSpecFor: the DTR level a driver needs (manifest transport.dtr)', () => {
  it('carries dtr: false for the Clinitek 50, also when a person set the line settings', () => {
    const spec = linkSpecFor(port(), siemensClinitek50Driver.manifest);
    expect(spec).toMatchObject({ type: 'serial', dtr: false, settings: { baudRate: 9600 } });
    expect(LinkSpecSchema.safeParse(spec).success).toBe(true);
    const custom = linkSpecFor(port({ baudRate: 4800, dataBits: 8, parity: 'none', stopBits: 1, flowControl: 'none' }), siemensClinitek50Driver.manifest);
    expect(custom).toMatchObject({ dtr: false, settings: { baudRate: 4800 } });
  });

  it('leaves DTR to the system for a driver that does not ask', () => {
    expect(linkSpecFor(port(), siemensClinitekStatusDriver.manifest)).not.toHaveProperty('dtr');
  });
});

describe("linkSpecFor: a meter's folder", () => {
  const folder: PortRecord = { id: 'folder:/media/ACCU-CHEK', transport: 'folder', path: '/media/ACCU-CHEK', origin: 'manual' };

  it("opens the file link with the driver's report pattern", () => {
    const spec = linkSpecFor(folder, rocheAccuChekMobileDriver.manifest);
    expect(spec).toEqual({ type: 'folder', path: '/media/ACCU-CHEK', pattern: 'Reports/*.csv' });
    expect(LinkSpecSchema.safeParse(spec).success).toBe(true);
  });

  it('refuses a serial driver on a folder and the report driver on a serial port, naming both', () => {
    expect(() => linkSpecFor(folder, siemensClinitekStatusDriver.manifest)).toThrow(/does not read report files; \/media\/ACCU-CHEK is a meter's folder/);
    expect(() => linkSpecFor(port(), rocheAccuChekMobileDriver.manifest)).toThrow(/reads report files from a meter's folder; \/dev\/ttyUSB0 is not one/);
  });
});

describe('linkSpecFor: a driver with several links (manifest otherTransports)', () => {
  it('opens a serial port with the serial link’s settings and a HID device with the HID link’s spec, whichever is primary', () => {
    const m = isensCaresensDriver.manifest;
    expect(m.transport.type).toBe('hid');
    expect(linkSpecFor(port(), m)).toEqual({ type: 'serial', path: '/dev/ttyUSB0', settings: { baudRate: 9600, dataBits: 8, parity: 'none', stopBits: 1, flowControl: 'none' } });
    const hid: PortRecord = { id: 'hid:/dev/hidraw3', transport: 'hid', path: '/dev/hidraw3', origin: 'discovered', usb: { vendorId: 0x10c4, productId: 0x8a32 } };
    expect(linkSpecFor(hid, m)).toEqual({ type: 'hid', path: '/dev/hidraw3', vendorId: 0x10c4, productId: 0x8a32, reportSize: 63, numberedByDriver: true });
    // A serial-only driver still refuses a HID device.
    expect(() => linkSpecFor(hid, siemensClinitekStatusDriver.manifest)).toThrow(/is not a HID device/);
  });
});
