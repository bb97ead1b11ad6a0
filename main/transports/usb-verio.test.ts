import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { lifescanOnetouchVerioDriver as driver } from '../../drivers/devices/lifescan-onetouch-verio/index.ts';
import { runSession, VirtualClock, type SessionResult } from '../../drivers/kit/index.ts';
import { FakeUsbDevice, fakeFinder } from '../../test/helpers/fake-usb.ts';
import { tempDir } from '../../test/helpers/store-fixtures.ts';
import { storeFile } from '../paths.ts';
import { openStore } from '../store/open-store.ts';
import { openUsbLink } from './usb.ts';

/**
 * lifescan-onetouch-verio end to end through the real USB transport (usb.ts): the meter's
 * simulator (Bulk-Only Transport and the register protocol) sits behind a fake `usb` device
 * object, and the readings go into a real SQLite store. The clock is virtual and never advanced:
 * the meter's memory is the same on every plug (its times come from the clock), and no deadline
 * fires — everything moves on the fake device's own transfer completions.
 */
const START = Date.UTC(2026, 2, 2, 14, 0, 0);
const IDS = { vendorId: 0x2766, productId: 0x0000 };

interface UsbRun {
  result: SessionResult;
  raw: Uint8Array[][];
  device: FakeUsbDevice;
}

/** One download; `after` fires once, when the host has received more than `bytes` bytes. */
async function download(after?: { bytes: number; then: (device: FakeUsbDevice) => void }): Promise<UsbRun> {
  const device = new FakeUsbDevice(IDS);
  const clock = new VirtualClock(START);
  const stopMeter = new AbortController();
  const meter = driver.simulator.run({ link: device.deviceLink, clock, signal: stopMeter.signal, scenario: 'memory' });
  const link = await openUsbLink(IDS, { find: fakeFinder(device), platform: 'linux' });
  let bytes = 0;
  let fired = false;
  link.onData((chunk) => {
    bytes += chunk.length;
    if (after && !fired && bytes > after.bytes) {
      fired = true;
      after.then(device);
    }
  });
  const raw: Uint8Array[][] = [];
  try {
    const result = await runSession({ driver, link, clock, signal: new AbortController().signal, onEvent: (e) => e.type === 'reading' && raw.push(e.raw) });
    return { result, raw, device };
  } finally {
    stopMeter.abort();
    await link.close();
    await meter.catch(() => undefined);
  }
}

let tmp: ReturnType<typeof tempDir>;
beforeEach(() => {
  tmp = tempDir();
});
afterEach(() => tmp.cleanup());

/** Store a run's readings; how many were new. */
function ingest(run: UsbRun): boolean[] {
  const store = openStore(storeFile(tmp.dir));
  try {
    return run.result.readings.map((reading, i) => store.readings.ingest(reading, (run.raw[i] ?? []).map((b) => ({ direction: 'in' as const, bytes: b, at: reading.receivedAt })), undefined).isNew);
  } finally {
    store.close();
  }
}

describe('lifescan-onetouch-verio through the USB transport and a fake usb device', () => {
  it('downloads the whole memory with usb-storage detached and given back; a second download imports nothing new', async () => {
    const first = await download();
    expect(first.result.error, first.result.error?.message).toBeUndefined();
    expect(first.result.readings).toHaveLength(20);
    expect(first.result.readings.filter((r) => r.kind === 'control')).toHaveLength(2);
    expect(first.device.calls).toEqual(['open', 'detach', 'claim', 'release', 'attach', 'close']);
    // Every OUT transfer is a whole CBW or a whole 512-byte sector.
    expect(new Set(first.device.sent.map((t) => t.length))).toEqual(new Set([31, 512]));
    expect(ingest(first).every((isNew) => isNew)).toBe(true);

    const second = await download();
    expect(second.result.readings).toHaveLength(20);
    expect(ingest(second).some((isNew) => isNew)).toBe(false);
  }, 60_000);

  it('a stalled IN endpoint mid-download is cleared and nothing is lost', async () => {
    const run = await download({ bytes: 3000, then: (d) => d.stall('in') });
    expect(run.result.error, run.result.error?.message).toBeUndefined();
    expect(run.device.endpointIn.clearHalts).toBeGreaterThanOrEqual(1);
    expect(run.result.readings).toHaveLength(20);
  }, 60_000);

  it('unplugged mid-download: TRANSPORT_CLOSED, and the next download imports only the rest', async () => {
    const cut = await download({ bytes: 8000, then: (d) => d.unplug() });
    expect(cut.result.error?.code).toBe('TRANSPORT_CLOSED');
    expect(cut.result.error?.message).toMatch(/disconnected/);
    const partial = cut.result.readings.length;
    expect(partial).toBeGreaterThan(0);
    expect(partial).toBeLessThan(20);
    expect(ingest(cut).every((isNew) => isNew)).toBe(true);

    const replugged = await download();
    expect(replugged.result.error).toBeUndefined();
    const fresh = ingest(replugged);
    expect(fresh).toHaveLength(20);
    expect(fresh.filter((isNew) => isNew)).toHaveLength(20 - partial);
  }, 60_000);
});
