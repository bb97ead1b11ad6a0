import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { omronHem790itDriver as driver } from '../../drivers/devices/omron-hem-790it/index.ts';
import { TrackedClock, VirtualClock, runSession, runAgainstSimulator } from '../../drivers/kit/index.ts';
import { openHidLink } from './hid.ts';
import { FakeHidDevice } from '../../test/helpers/fake-hid.ts';
import { comparable, hidDownload, type HidDownload, type HidDownloadOptions, ingestDownload } from '../../test/helpers/hid-download.ts';
import { storeFile } from '../paths.ts';
import { openStore } from '../store/open-store.ts';
import { tempDir } from '../../test/helpers/store-fixtures.ts';

/**
 * omron-hem-790it end to end through the real HID transport (main/transports/hid.ts) with the
 * driver's simulator behind a fake node-hid device object, and into a real SQLite store.
 */
const START = Date.UTC(2026, 0, 15, 9, 0, 0);
const REPORT_SIZE = 8;
/** One download over the real HID Link; `onReport` sees every input report before node-hid "reads" it. */
const hidSession = (opts: HidDownloadOptions = {}): Promise<HidDownload> => hidDownload(driver, START, opts);

let tmp: ReturnType<typeof tempDir>;
beforeEach(() => {
  tmp = tempDir();
});
afterEach(() => tmp.cleanup());

describe('omron-hem-790it through the HID transport', () => {
  it('downloads the memory: mode selects as feature reports, every output report 9 bytes after a 0x00 report id', async () => {
    const run = await hidSession();
    expect(run.result.end).toBe('completed');
    expect(run.result.problems).toEqual({});
    expect(run.result.readings).toHaveLength(14);
    // Device information for VER00, then individual readings for GDC/GME (PROTOCOL.md §2).
    expect(run.fake.features).toEqual([
      [0x00, 0x01, 0x01],
      [0x00, 0x74, 0xbc],
    ]);
    for (const report of run.fake.written) {
      expect(report).toHaveLength(REPORT_SIZE + 1);
      expect(report[0]).toBe(0x00);
    }
    const progress = run.events.flatMap((e) => (e.type === 'progress' ? [e] : []));
    expect(progress.at(-1)).toEqual({ type: 'progress', done: 14, total: 14 });
    // The transport adds nothing: the same readings as over the in-memory link.
    const memory = await runAgainstSimulator(driver, { scenario: 'memory', startMs: START });
    expect(comparable(run.result.readings)).toEqual(comparable(memory.result.readings));
    expect(run.timersLeft).toBe(0);
  });

  it('a second download into the same store imports nothing new', async () => {
    const ingestAll = async (): Promise<boolean[]> => {
      const run = await hidSession();
      expect(run.result.end).toBe('completed');
      return ingestDownload(tmp.dir, run);
    };
    const first = await ingestAll();
    expect(first).toHaveLength(14);
    expect(first.every((isNew) => isNew)).toBe(true);
    const second = await ingestAll();
    expect(second).toHaveLength(14);
    expect(second.some((isNew) => isNew)).toBe(false);
    const store = openStore(storeFile(tmp.dir));
    try {
      expect(store.readings.listReadings({ driverId: 'omron-hem-790it' })).toHaveLength(14);
    } finally {
      store.close();
    }
  });

  it('an unplug in the middle of the download ends with TRANSPORT_CLOSED and no reading; the next download has each once', async () => {
    let answers = 0;
    const run = await hidSession({
      onReport: (report, fake, deliver) => {
        deliver(report);
        if (report[1] === 0x4f && report[2] === 0x4b && report[0] === 7 && ++answers === 6) fake.unplug();
      },
    });
    expect(run.result.end).toBe('failed');
    expect(run.result.error?.code).toBe('TRANSPORT_CLOSED');
    expect(run.result.readings).toEqual([]);
    expect(run.timersLeft).toBe(0);
    const replugged = await hidSession();
    const times = replugged.result.readings.map((r) => r.deviceTime);
    expect(new Set(times).size).toBe(14);
  });

  it('a feature report that fails (unplugged at open) ends the session with TRANSPORT_CLOSED', async () => {
    const fake = new FakeHidDevice(REPORT_SIZE);
    fake.sendFeatureReport = async () => {
      throw new Error('could not send feature report: No such device');
    };
    const link = await openHidLink({ vendorId: 0x0590, productId: 0x0028 }, { reportSize: REPORT_SIZE, open: async () => fake });
    const virtual = new VirtualClock(START);
    const clock = new TrackedClock(virtual);
    const session = runSession({ driver, link, clock });
    await virtual.runUntilIdle();
    const result = await session;
    expect(result.error?.code).toBe('TRANSPORT_CLOSED');
    expect(clock.pending).toBe(0);
  });
});
