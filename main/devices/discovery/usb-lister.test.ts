import { describe, expect, it } from 'vitest';
import { DRIVERS } from '../../../drivers/index.ts';
import { listUsbDevices } from '../../transports/index.ts';
import { FakeUsbDevice, fakeFinder } from '../../../test/helpers/fake-usb.ts';
import { usbBulkIds, usbLister } from './usb-lister.ts';

describe('usbLister', () => {
  it('keeps only the USB ids asked for, each as a usb port under its bus path', async () => {
    const meter = new FakeUsbDevice({ vendorId: 0x173a, productId: 0x21d5, busNumber: 1, portNumbers: [4, 2] });
    const webcam = new FakeUsbDevice({ vendorId: 0x046d, productId: 0x0825, busNumber: 1, portNumbers: [3] });
    const list = usbLister([{ vendorId: 0x173a, productId: 0x21d5 }], () => listUsbDevices(fakeFinder(meter, webcam)));
    expect(await list()).toEqual({ ports: [{ id: 'usb:1-4.2', transport: 'usb', path: '1-4.2', usb: { vendorId: 0x173a, productId: 0x21d5 } }] });
    // Listing opens nothing: a meter is only opened when it is read.
    expect(meter.calls).toEqual([]);
  });

  it('says why the list may be incomplete instead of failing', async () => {
    const list = usbLister([{ vendorId: 0x173a, productId: 0x21d5 }], () =>
      listUsbDevices(async () => {
        throw new Error('libusb-1.0.so.0: cannot open shared object file');
      }),
    );
    const listing = await list();
    expect(listing.ports).toEqual([]);
    expect(listing.problem).toMatch(/could not list USB devices .*libusb-1\.0-0/);
  });

  it('asks for the ids of USB bulk drivers only: every Accu-Chek model, no HID meter', () => {
    const ids = usbBulkIds(DRIVERS.map((d) => d.manifest)).map((u) => `${u.vendorId.toString(16)}:${u.productId.toString(16)}`);
    expect(ids).toEqual(expect.arrayContaining(['173a:21cf', '173a:21d5', '173a:21d6', '173a:21d7', '173a:21d8']));
    // The FreeStyle Neo is read as HID: the HID lister lists it.
    expect(ids).not.toContain('1a61:3850');
  });
});
