import { describe, expect, it } from 'vitest';
import { findDriver } from '../../drivers/index.ts';
import { runSession, systemClock, type SessionResult } from '../../drivers/kit/index.ts';
import { FakeUsbDevice, fakeFinder } from '../../test/helpers/fake-usb.ts';
import { openUsbLink } from './usb.ts';

/**
 * A whole driver session through the real USB transport: a byte-protocol meter's simulator sits
 * behind a fake `usb` device object (test/helpers/fake-usb.ts), the driver sees only the Link.
 * The Verio IQ stands in for the USB meters still to come (it speaks bytes; no driver reads over
 * USB bulk yet), so the transport is shown carrying a real download, a stall and an unplug.
 */
const driver = findDriver('lifescan-onetouch-verio-iq');
if (!driver) throw new Error('lifescan-onetouch-verio-iq is not registered');
const IDS = { vendorId: 0x2766, productId: 0x0000 };

/** Run one download; `after` fires once, as soon as the host has received more than `bytes` bytes. */
async function download(device: FakeUsbDevice, after?: { bytes: number; then: () => void }): Promise<SessionResult> {
  const stopMeter = new AbortController();
  if (!driver) throw new Error('no driver');
  const meter = driver.simulator.run({ link: device.deviceLink, clock: systemClock, signal: stopMeter.signal, scenario: 'memory' });
  const link = await openUsbLink(IDS, { find: fakeFinder(device), platform: 'linux' });
  let bytes = 0;
  let fired = false;
  // Counted from the link's first listener; the driver's session subscribes after it and still
  // gets every chunk (a Link hands every chunk to every listener).
  link.onData((chunk) => {
    bytes += chunk.length;
    if (after && !fired && bytes > after.bytes) {
      fired = true;
      after.then();
    }
  });
  try {
    return await runSession({ driver, link, clock: systemClock, signal: new AbortController().signal });
  } finally {
    stopMeter.abort();
    await link.close();
    await meter.catch(() => undefined);
  }
}

describe('a download through the USB transport and a fake usb device', () => {
  it('downloads the whole memory, in 64-byte IN transfers', async () => {
    const device = new FakeUsbDevice(IDS);
    const result = await download(device);
    expect(result.error, result.error?.message).toBeUndefined();
    expect(result.readings.length).toBe(60);
    expect(result.readings.filter((r) => r.kind === 'control').length).toBe(2);
    expect(device.calls).toEqual(['open', 'detach', 'claim', 'release', 'attach', 'close']);
  }, 60_000);

  it('a stalled IN endpoint mid-download is cleared and nothing is lost', async () => {
    const device = new FakeUsbDevice(IDS);
    const result = await download(device, { bytes: 200, then: () => device.stall('in') });
    expect(result.error, result.error?.message).toBeUndefined();
    expect(device.endpointIn.clearHalts).toBeGreaterThanOrEqual(1);
    expect(result.readings.length).toBe(60);
  }, 60_000);

  it('unplugged mid-download: the session ends with "disconnected", keeping the readings already made', async () => {
    const device = new FakeUsbDevice(IDS);
    const result = await download(device, { bytes: 400, then: () => device.unplug() });
    expect(result.error?.code).toBe('TRANSPORT_CLOSED');
    expect(result.error?.message).toMatch(/disconnected/);
    expect(result.readings.length).toBeGreaterThan(0);
    expect(result.readings.length).toBeLessThan(60);
  }, 60_000);
});
