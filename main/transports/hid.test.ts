import { describe, expect, it } from 'vitest';
import { EventEmitter } from 'node:events';
import { HubError } from '../../shared/errors.ts';
import { hidOpenError, listHidDevices, openHidLink, type HidDeviceHandle, type HidTarget } from './hid.ts';

/** A stand-in for node-hid's HIDAsync: records writes, lets the test push reports and errors. */
class FakeHidHandle extends EventEmitter implements HidDeviceHandle {
  writes: Buffer[] = [];
  closed = false;
  failWritesWith: Error | undefined;

  async write(report: number[] | Buffer): Promise<number> {
    if (this.failWritesWith) throw this.failWritesWith;
    const copy = Buffer.from(report);
    this.writes.push(copy);
    return copy.length;
  }
  async close(): Promise<void> {
    this.closed = true;
    this.removeAllListeners();
  }
  /** What node-hid does for each report hidapi reads. */
  report(bytes: number[]): void {
    this.emit('data', Buffer.from(bytes));
  }
}

function opener(device: FakeHidHandle, seen: HidTarget[] = []): (t: HidTarget) => Promise<HidDeviceHandle> {
  return async (target) => {
    seen.push(target);
    return device;
  };
}

describe('openHidLink with a fake device', () => {
  it('prefixes report id 0 and pads each write to the report size', async () => {
    const device = new FakeHidHandle();
    const link = await openHidLink({ path: '/dev/hidraw3' }, { reportSize: 8, open: opener(device) });
    expect(link.mode).toBe('reports');
    expect(link.reportSize).toBe(8);
    await link.write(Uint8Array.of(0x02, 0x41, 0x03));
    expect(device.writes).toEqual([Buffer.from([0x00, 0x02, 0x41, 0x03, 0, 0, 0, 0, 0])]);
  });

  it('uses the configured report id and passes the target through', async () => {
    const device = new FakeHidHandle();
    const seen: HidTarget[] = [];
    const link = await openHidLink({ vendorId: 0x1a79, productId: 0x6002 }, { reportSize: 4, reportId: 0x05, open: opener(device, seen) });
    await link.write(Uint8Array.of(0xaa, 0xbb, 0xcc, 0xdd));
    expect(device.writes[0]).toEqual(Buffer.from([0x05, 0xaa, 0xbb, 0xcc, 0xdd]));
    expect(seen).toEqual([{ vendorId: 0x1a79, productId: 0x6002 }]);
  });

  it('refuses a write longer than one report rather than cutting a command short', async () => {
    const device = new FakeHidHandle();
    const link = await openHidLink({ path: 'p' }, { reportSize: 2, open: opener(device) });
    await expect(link.write(Uint8Array.of(1, 2, 3))).rejects.toThrow(RangeError);
    expect(device.writes).toEqual([]);
  });

  it('delivers each incoming report as one chunk, unchanged', async () => {
    const device = new FakeHidHandle();
    const link = await openHidLink({ path: 'p' }, { reportSize: 4, open: opener(device) });
    const chunks: number[][] = [];
    link.onData((chunk) => chunks.push([...chunk]));
    device.report([0x01, 0x02, 0x03, 0x04]);
    device.report([0x05]);
    device.report([0x06, 0x07, 0x08, 0x09]);
    expect(chunks).toEqual([[0x01, 0x02, 0x03, 0x04], [0x05], [0x06, 0x07, 0x08, 0x09]]);
  });

  it('keeps reports that arrive before anyone listens', async () => {
    const device = new FakeHidHandle();
    const link = await openHidLink({ path: 'p' }, { reportSize: 4, open: opener(device) });
    device.report([0x10, 0x20]);
    const chunks: number[][] = [];
    link.onData((chunk) => chunks.push([...chunk]));
    expect(chunks).toEqual([[0x10, 0x20]]);
  });

  it('ends with TRANSPORT_CLOSED when the device reports an error after open (unplug)', async () => {
    const device = new FakeHidHandle();
    const link = await openHidLink({ path: '/dev/hidraw3' }, { reportSize: 4, open: opener(device) });
    const closed = new Promise<HubError | undefined>((resolve) => link.onClose(resolve));
    device.emit('error', new Error('could not read from HID device: No such device'));
    const error = await closed;
    expect(error?.code).toBe('TRANSPORT_CLOSED');
    expect(error?.message).toMatch(/disconnected.*hidraw3/);
    expect(link.closed).toBe(true);
    expect(device.closed).toBe(true);
    await expect(link.write(Uint8Array.of(1))).rejects.toMatchObject({ code: 'TRANSPORT_CLOSED' });
  });

  it('ends with TRANSPORT_CLOSED when a write fails', async () => {
    const device = new FakeHidHandle();
    const link = await openHidLink({ path: 'p' }, { reportSize: 4, open: opener(device) });
    device.failWritesWith = new Error('Cannot write to hid device');
    await expect(link.write(Uint8Array.of(1))).rejects.toMatchObject({ code: 'TRANSPORT_CLOSED' });
    expect(link.closed).toBe(true);
  });

  it('closes the device on close() and ends without error', async () => {
    const device = new FakeHidHandle();
    const link = await openHidLink({ path: 'p' }, { reportSize: 4, open: opener(device) });
    const closed = new Promise<HubError | undefined>((resolve) => link.onClose(resolve));
    await link.close();
    expect(await closed).toBeUndefined();
    expect(device.closed).toBe(true);
  });
});

describe('openHidLink open failures', () => {
  const failing = (message: string) => async (): Promise<HidDeviceHandle> => {
    throw new Error(message);
  };

  it('maps "Permission denied" to TRANSPORT_ACCESS_DENIED with the udev rule to add', async () => {
    const error = await openHidLink(
      { vendorId: 0x1a79, productId: 0x6002 },
      { reportSize: 64, open: failing("cannot open device with path /dev/hidraw0: Failed to open a device with path '/dev/hidraw0': Permission denied") },
    ).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HubError);
    expect(error).toMatchObject({ code: 'TRANSPORT_ACCESS_DENIED' });
    if (process.platform === 'linux') {
      expect((error as HubError).message).toContain('SUBSYSTEM=="hidraw", ATTRS{idVendor}=="1a79", MODE="0660", GROUP="plugdev"');
      expect((error as HubError).message).toMatch(/replug/);
    }
  });

  it.each([
    ['No HID devices with requested VID/PID found in the system.', 'TRANSPORT_NOT_FOUND'],
    ["Failed to open a device with path '/dev/hidraw9': No such file or directory", 'TRANSPORT_NOT_FOUND'],
    ['Failed to open a device: Device or resource busy', 'TRANSPORT_ACCESS_DENIED'],
    ["ioctl(GRDESCSIZE) error for '/tmp/x', not a HIDRAW device?: Inappropriate ioctl for device", 'TRANSPORT_OPEN_FAILED'],
  ])('maps "%s" to %s', (text, code) => {
    const error = hidOpenError({ path: '/dev/hidraw0' }, new Error(text));
    expect(error.code).toBe(code);
    expect(error.cause).toBeInstanceOf(Error);
  });

  it('rejects a target with neither a path nor both USB ids', async () => {
    await expect(openHidLink({ vendorId: 0x1a79 }, { reportSize: 8, open: failing('unused') })).rejects.toMatchObject({ code: 'INPUT_INVALID' });
  });
});

describe('listHidDevices', () => {
  it('enumerates through the real node-hid binding without throwing', async () => {
    const result = await listHidDevices();
    if (!result.ok) {
      // e.g. libudev missing: reported, not thrown.
      expect(result.error.code).toBe('TRANSPORT_LIST_FAILED');
      return;
    }
    for (const device of result.devices) {
      expect(Number.isInteger(device.vendorId) && device.vendorId >= 0 && device.vendorId <= 0xffff).toBe(true);
      expect(Number.isInteger(device.productId) && device.productId >= 0 && device.productId <= 0xffff).toBe(true);
    }
  });
});
