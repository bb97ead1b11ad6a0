import { describe, expect, it } from 'vitest';
import { CancelledError, HubError } from '../../shared/errors.ts';
import { ReplayLink, TappedLink, formatTrace, parseTrace, systemClock, traceEventOf, type Link, type TappedChunk } from '../../drivers/kit/index.ts';
import { FakeUsbDevice, fakeFinder, usbError } from '../../test/helpers/fake-usb.ts';
import { LIBUSB_ERROR, bulkTransfer } from './usb-device.ts';
import { listUsbDevices, openUsbLink, type UsbLinkOptions } from './usb.ts';

const VERIO = { vendorId: 0x2766, productId: 0x0000 };

function received(link: Link): number[] {
  const bytes: number[] = [];
  link.onData((chunk) => bytes.push(...chunk));
  return bytes;
}

function closedWith(link: Link): Promise<HubError | undefined> {
  return new Promise((resolve) => link.onClose(resolve));
}

async function open(device: FakeUsbDevice, options: UsbLinkOptions = {}): Promise<Link> {
  return openUsbLink(VERIO, { find: fakeFinder(device), platform: 'linux', ...options });
}

describe('openUsbLink with a fake usb device', () => {
  it('detaches the kernel driver, claims the interface, and gives everything back on close', async () => {
    const device = new FakeUsbDevice(VERIO);
    const link = await open(device);
    expect(link.mode).toBe('bytes');
    expect(device.calls).toEqual(['open', 'detach', 'claim']);
    await link.close();
    expect(device.calls).toEqual(['open', 'detach', 'claim', 'release', 'attach', 'close']);
    expect(device.kernelDriverActive).toBe(true);
    expect(device.pendingIn).toBe(0);
  });

  it('leaves kernel drivers alone off Linux, and does not re-attach one it did not detach', async () => {
    const mac = new FakeUsbDevice(VERIO);
    await (await open(mac, { platform: 'darwin' })).close();
    expect(mac.calls).toEqual(['open', 'claim', 'release', 'close']);
    const idle = new FakeUsbDevice(VERIO);
    idle.kernelDriverActive = false;
    await (await open(idle)).close();
    expect(idle.calls).toEqual(['open', 'claim', 'release', 'close']);
  });

  it('moves bytes both ways, choosing endpoints by direction, one IN transfer per packet', async () => {
    const device = new FakeUsbDevice({ ...VERIO, endpointsOutFirst: true, packetSize: 8 });
    const link = await open(device);
    const fromDevice = received(link);
    const atDevice = received(device.deviceLink);
    await link.write(Uint8Array.of(0x02, 0x09, 0x00, 0x03, 0x27, 0x00, 0x03, 0x26, 0x71));
    expect(device.sent).toEqual([[0x02, 0x09, 0x00, 0x03, 0x27, 0x00, 0x03, 0x26, 0x71]]);
    await expect.poll(() => atDevice.length).toBe(9);
    const reply = [0x02, 0x0a, 0x00, 0x03, 0x06, 0x25, 0x00, 0x03, 0xc8, 0xd9];
    await device.deviceLink.write(Uint8Array.from(reply));
    await expect.poll(() => fromDevice).toEqual(reply);
    await link.close();
  });

  it('finds the device by bus path, and refuses one that is not there', async () => {
    const first = new FakeUsbDevice({ ...VERIO, portNumbers: [1] });
    const second = new FakeUsbDevice({ ...VERIO, portNumbers: [3, 1] });
    const link = await openUsbLink({ busPath: '1-3.1' }, { find: fakeFinder(first, second), platform: 'linux' });
    expect(second.calls).toContain('claim');
    expect(first.calls).toEqual([]);
    await link.close();
    await expect(openUsbLink({ busPath: '2-1' }, { find: fakeFinder(first, second) })).rejects.toMatchObject({ code: 'TRANSPORT_NOT_FOUND' });
    await expect(openUsbLink({ vendorId: 0x2766 }, { find: fakeFinder(first) })).rejects.toMatchObject({ code: 'INPUT_INVALID' });
  });

  it('recovers a stalled IN endpoint with clearHalt and keeps reading', async () => {
    const device = new FakeUsbDevice(VERIO);
    const link = await open(device);
    const fromDevice = received(link);
    await expect.poll(() => device.pendingIn).toBe(1);
    device.stall('in');
    await expect.poll(() => device.endpointIn.clearHalts).toBe(1);
    await device.deviceLink.write(Uint8Array.of(0x55, 0x53, 0x42, 0x53));
    await expect.poll(() => fromDevice).toEqual([0x55, 0x53, 0x42, 0x53]);
    expect(link.closed).toBe(false);
    await link.close();
  });

  it('recovers a stalled OUT endpoint and sends the write once more', async () => {
    const device = new FakeUsbDevice(VERIO);
    const link = await open(device);
    device.stall('out');
    await link.write(Uint8Array.of(0x01, 0x02, 0x03));
    expect(device.endpointOut.clearHalts).toBe(1);
    expect(device.sent).toEqual([[0x01, 0x02, 0x03]]);
    await link.close();
  });

  it('ends the link with a clear error when a device that keeps stalling will not recover', async () => {
    const device = new FakeUsbDevice(VERIO);
    const link = await open(device);
    const ended = closedWith(link);
    // Halted again after every clear: the device is broken, not busy.
    const original = device.endpointIn.clearHalt.bind(device.endpointIn);
    device.endpointIn.clearHalt = (callback) => original((error) => (callback(error), device.stall('in')));
    device.stall('in');
    const error = await ended;
    expect(error).toMatchObject({ code: 'TRANSPORT_CLOSED' });
    expect(error?.message).toMatch(/USB device 2766:0000 failed during a read/);
  });

  it('unplugged mid-transfer: the link ends with "disconnected", later writes are refused', async () => {
    const device = new FakeUsbDevice(VERIO);
    const link = await open(device);
    const ended = closedWith(link);
    await expect.poll(() => device.pendingIn).toBe(1);
    device.unplug();
    const error = await ended;
    expect(error).toBeInstanceOf(HubError);
    expect(error).toMatchObject({ code: 'TRANSPORT_CLOSED' });
    expect(error?.message).toMatch(/the device was disconnected \(USB 2766:0000, during a read\)/);
    await expect(link.write(Uint8Array.of(1))).rejects.toMatchObject({ code: 'TRANSPORT_CLOSED' });
    await expect.poll(() => device.calls.at(-1)).toBe('close');
  });

  it('unplugged during a write: the write fails with "disconnected"', async () => {
    const device = new FakeUsbDevice(VERIO);
    const link = await open(device);
    device.holdOut = true;
    const writing = link.write(Uint8Array.of(0x02, 0x03));
    await expect.poll(() => device.endpointOut.pending.length).toBe(1);
    device.unplug();
    await expect(writing).rejects.toMatchObject({ code: 'TRANSPORT_CLOSED', message: expect.stringMatching(/disconnected/) });
    expect(link.closed).toBe(true);
  });

  it('gives up on a write the device does not take within the deadline', async () => {
    const device = new FakeUsbDevice(VERIO);
    const link = await open(device, { writeTimeoutMs: 30 });
    device.holdOut = true;
    await expect(link.write(Uint8Array.of(9))).rejects.toMatchObject({ code: 'TRANSPORT_TIMEOUT' });
    expect(link.closed).toBe(false);
    device.releaseOut();
    await link.write(Uint8Array.of(10));
    expect(device.sent).toEqual([[10]]);
    await link.close();
  });

  it('close aborts the pending IN transfer before releasing the interface', async () => {
    const device = new FakeUsbDevice(VERIO);
    const link = await open(device);
    await expect.poll(() => device.pendingIn).toBe(1);
    device.holdOut = true;
    const writing = link.write(Uint8Array.of(1)).catch((e: unknown) => e);
    await expect.poll(() => device.endpointOut.pending.length).toBe(1);
    await link.close();
    expect(await writing).toMatchObject({ code: 'TRANSPORT_CLOSED' });
    expect(device.pendingIn).toBe(0);
    expect(device.calls.slice(-3)).toEqual(['release', 'attach', 'close']);
  });

  it('a bulk transfer honours its AbortSignal and its deadline', async () => {
    const device = new FakeUsbDevice(VERIO);
    device.open();
    const controller = new AbortController();
    const reading = bulkTransfer(device.endpointIn, Buffer.alloc(64), { timeoutMs: 0, signal: controller.signal });
    await expect.poll(() => device.pendingIn).toBe(1);
    controller.abort(new CancelledError('reading the meter: cancelled'));
    await expect(reading).rejects.toThrow('reading the meter: cancelled');
    expect(device.pendingIn).toBe(0);
    await expect(bulkTransfer(device.endpointIn, Buffer.alloc(64), { timeoutMs: 20 })).rejects.toMatchObject({ failure: 'timeout' });
    await expect(bulkTransfer(device.endpointIn, Buffer.alloc(1), { timeoutMs: 0, signal: AbortSignal.abort() })).rejects.toBeInstanceOf(CancelledError);
  });
});

describe('USB open errors name the fix', () => {
  it('no permission on Linux: the udev rule for this device', async () => {
    const device = new FakeUsbDevice(VERIO);
    device.openError = usbError(LIBUSB_ERROR.ACCESS, 'LIBUSB_ERROR_ACCESS');
    const error = await open(device).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'TRANSPORT_ACCESS_DENIED' });
    expect((error as Error).message).toContain('SUBSYSTEM=="usb", ATTRS{idVendor}=="2766", ATTRS{idProduct}=="0000", MODE="0660", GROUP="plugdev", TAG+="uaccess"');
    expect((error as Error).message).toContain('udevadm control --reload-rules');
  });

  it('on Windows: the one-time WinUSB binding, said plainly', async () => {
    for (const errno of [LIBUSB_ERROR.ACCESS, LIBUSB_ERROR.NOT_SUPPORTED]) {
      const device = new FakeUsbDevice(VERIO);
      device.openError = usbError(errno);
      const error = await open(device, { platform: 'win32' }).catch((e: unknown) => e);
      expect(error).toMatchObject({ code: 'TRANSPORT_ACCESS_DENIED' });
      expect((error as Error).message).toMatch(/WinUSB.*Zadig.*2766:0000/);
    }
  });

  it('a kernel driver that will not let go, and an interface in use', async () => {
    const stuck = new FakeUsbDevice(VERIO);
    stuck.detachError = usbError(LIBUSB_ERROR.ACCESS);
    await expect(open(stuck)).rejects.toMatchObject({ code: 'TRANSPORT_ACCESS_DENIED' });
    expect(stuck.calls).toEqual(['open', 'close']);
    const busy = new FakeUsbDevice(VERIO);
    busy.claimError = usbError(LIBUSB_ERROR.BUSY);
    await expect(open(busy)).rejects.toMatchObject({ code: 'TRANSPORT_ACCESS_DENIED', message: expect.stringMatching(/in use by another program/) });
    // The kernel driver it took is given back.
    expect(busy.calls).toEqual(['open', 'detach', 'attach', 'close']);
  });

  it('gone between listing and opening', async () => {
    const device = new FakeUsbDevice(VERIO);
    device.unplug();
    await expect(open(device)).rejects.toMatchObject({ code: 'TRANSPORT_NOT_FOUND' });
  });
});

describe('listUsbDevices', () => {
  it('lists ids and bus paths without opening anything', async () => {
    const device = new FakeUsbDevice({ vendorId: 0x173a, productId: 0x21d5, busNumber: 3, portNumbers: [2] });
    expect(await listUsbDevices(fakeFinder(device))).toEqual({
      ok: true,
      devices: [{ vendorId: 0x173a, productId: 0x21d5, busPath: '3-2', busNumber: 3, deviceAddress: 7 }],
    });
    expect(device.calls).toEqual([]);
  });

  it('never throws: a libusb that will not load is a problem in words', async () => {
    const result = await listUsbDevices(async () => {
      throw new Error('libusb-1.0.so.0: cannot open shared object file');
    });
    expect(result).toMatchObject({ ok: false, devices: [], error: { code: 'TRANSPORT_LIST_FAILED' } });
  });
});

describe('record and replay over USB', () => {
  it('a tapped USB link records its transfers as a byte trace that replays', async () => {
    const device = new FakeUsbDevice(VERIO);
    const chunks: TappedChunk[] = [];
    const link = new TappedLink(await open(device), (c) => chunks.push(c), systemClock);
    const fromDevice = received(link);
    device.deviceLink.onData(() => void device.deviceLink.write(Uint8Array.of(0x02, 0x0a, 0x00, 0x03, 0x06, 0x25, 0x00, 0x03, 0xc8, 0xd9)));
    await link.write(Uint8Array.of(0x02, 0x09, 0x00, 0x03, 0x27, 0x00, 0x03, 0x26, 0x71));
    await expect.poll(() => fromDevice.length).toBe(10);
    await link.close();
    const startAt = chunks[0]?.at ?? 0;
    const text = formatTrace({ header: { driver: 'test', transport: 'usb 2766:0000' }, events: chunks.map((c) => traceEventOf(c, startAt)) });
    const trace = parseTrace(text);
    expect(trace.events.map((e) => e.direction)).toEqual(['>', '<']);

    const replay = new ReplayLink(trace, { idleMs: 50 });
    expect(replay.mode).toBe('bytes');
    const replayed = received(replay);
    await replay.write(Uint8Array.of(0x02, 0x09, 0x00, 0x03, 0x27, 0x00, 0x03, 0x26, 0x71));
    await expect.poll(() => replayed).toEqual(fromDevice);
    await replay.close();
  });
});
