import { describe, expect, it } from 'vitest';
import { LinkSpecSchema, listenTcpLink, openLink, type LinkSpec } from './index.ts';

const serialSettings = { baudRate: 9600, dataBits: 8, parity: 'none', stopBits: 1, flowControl: 'none' } as const;

describe('LinkSpecSchema', () => {
  it.each([
    { type: 'serial', path: '/dev/ttyUSB0', settings: serialSettings },
    { type: 'hid', path: '/dev/hidraw0', reportSize: 64 },
    { type: 'hid', vendorId: 0x1a79, productId: 0x6002, reportSize: 64, reportId: 0 },
    { type: 'tcp', host: '10.0.0.5', port: 4001, connectTimeoutMs: 3000 },
    { type: 'usb', vendorId: 0x2766, productId: 0x0000 },
    { type: 'usb', busPath: '1-4.2', interfaceNumber: 0 },
  ])('accepts %o', (spec) => {
    expect(LinkSpecSchema.safeParse(spec).success).toBe(true);
  });

  it.each([
    [{ type: 'hid', vendorId: 0x1a79, reportSize: 64 }, 'a HID device without a path needs both USB ids'],
    [{ type: 'hid', path: '/dev/hidraw0', reportSize: 0 }, 'report size must be positive'],
    [{ type: 'tcp', host: 'box', port: 70_000 }, 'port out of range'],
    [{ type: 'serial', path: '/dev/ttyS0', settings: { ...serialSettings, dataBits: 9 } }, 'no 9 data bits'],
    [{ type: 'bluetooth', address: 'x' }, 'unknown transport'],
    [{ type: 'usb', vendorId: 0x2766 }, 'a USB device without a bus path needs both ids'],
    [{ type: 'usb', busPath: '/dev/bus/usb/001/007' }, 'a bus path is not a device node'],
  ])('rejects %o (%s)', (spec, _why) => {
    expect(LinkSpecSchema.safeParse(spec).success).toBe(false);
  });
});

describe('openLink', () => {
  it('rejects an invalid spec with CONFIG_INVALID before touching any device', async () => {
    const spec = { type: 'tcp', host: '', port: 1 } as LinkSpec;
    await expect(openLink(spec)).rejects.toMatchObject({ code: 'CONFIG_INVALID' });
  });

  it('opens a tcp spec as a bytes link', async () => {
    const listener = await listenTcpLink(0);
    try {
      const link = await openLink({ type: 'tcp', host: '127.0.0.1', port: listener.port });
      const device = await listener.accept();
      expect(link.mode).toBe('bytes');
      await link.close();
      await device.close();
    } finally {
      await listener.close();
    }
  });

  it('routes a serial spec to the serial transport', async () => {
    await expect(openLink({ type: 'serial', path: '/dev/ttyPOCHUB-NOPE', settings: serialSettings })).rejects.toMatchObject({
      code: 'TRANSPORT_NOT_FOUND',
    });
  });

  it('routes a hid spec to the HID transport', async () => {
    // No such hidraw node on any machine; node-hid answers "No such file or directory".
    await expect(openLink({ type: 'hid', path: '/dev/hidraw-pochub-nope', reportSize: 64 })).rejects.toMatchObject({
      code: 'TRANSPORT_NOT_FOUND',
    });
  });
});
