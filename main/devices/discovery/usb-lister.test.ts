import { describe, expect, it } from 'vitest';
import { listUsbDevices } from '../../transports/index.ts';
import { FakeUsbDevice, fakeFinder } from '../../../test/helpers/fake-usb.ts';
import { usbLister } from './usb-lister.ts';

describe('usbLister', () => {
  it('keeps only the USB ids asked for, each under its bus path', async () => {
    const meter = new FakeUsbDevice({ vendorId: 0x2766, productId: 0x0000, busNumber: 1, portNumbers: [4, 2] });
    const webcam = new FakeUsbDevice({ vendorId: 0x046d, productId: 0x0825, busNumber: 1, portNumbers: [3] });
    const list = usbLister([{ vendorId: 0x2766, productId: 0x0000 }], () => listUsbDevices(fakeFinder(meter, webcam)));
    expect(await list()).toEqual({ devices: [{ id: 'usb:1-4.2', transport: 'usb', busPath: '1-4.2', usb: { vendorId: 0x2766, productId: 0x0000 } }] });
    // Listing opens nothing: a meter is only opened when it is read.
    expect(meter.calls).toEqual([]);
  });

  it('says why the list may be incomplete instead of failing', async () => {
    const list = usbLister([{ vendorId: 0x2766, productId: 0x0000 }], () =>
      listUsbDevices(async () => {
        throw new Error('libusb-1.0.so.0: cannot open shared object file');
      }),
    );
    const listing = await list();
    expect(listing.devices).toEqual([]);
    expect(listing.problem).toMatch(/could not list USB devices .*libusb-1\.0-0/);
  });
});
