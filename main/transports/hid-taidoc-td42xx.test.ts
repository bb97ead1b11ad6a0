import { describe, expect, it } from 'vitest';
import { taidocTd42xxDriver as driver } from '../../drivers/devices/taidoc-td42xx/index.ts';
import { runAgainstSimulator } from '../../drivers/kit/index.ts';
import { openHidLink } from './hid.ts';
import { FakeHidDevice } from '../../test/helpers/fake-hid.ts';
import { comparable, expectResumedAfterUnplug, hidDownload, splitPaddedReports, unplugAfter, type HidDownload, type HidDownloadOptions } from '../../test/helpers/hid-download.ts';

/**
 * taidoc-td42xx end to end through the real HID transport (main/transports/hid.ts) with its
 * simulator behind a fake node-hid device: the CP2110 layer's feature reports and numbered data
 * reports as node-hid receives them.
 */
const START = Date.UTC(2026, 0, 15, 9, 0, 0);
const REPORT_SIZE = driver.manifest.transport.type === 'hid' ? driver.manifest.transport.reportSize : 0;

/** One download over the real HID Link; `onReport` sees every input report before node-hid "reads" it. */
const hidSession = (opts: HidDownloadOptions = {}): Promise<HidDownload> => hidDownload(driver, START, opts);

describe('taidoc-td42xx through the HID transport (CP2110)', () => {
  it('configures the UART (19200 8N1, then enable) by feature reports and sends each packet as report id 8, unpadded', async () => {
    const run = await hidSession();
    expect(run.result.end).toBe('completed');
    expect(run.result.problems).toEqual({});
    expect(run.result.readings).toHaveLength(40);
    expect(run.fake.features).toEqual([[0x50, 0x00, 0x00, 0x4b, 0x00, 0x00, 0x00, 0x03, 0x00], [0x41, 0x01]]);
    expect(run.fake.written[0]).toEqual([0x08, 0x51, 0x22, 0x00, 0x00, 0x00, 0x00, 0xa3, 0x16]);
    for (const report of run.fake.written) {
      expect(report).toHaveLength(9);
      expect(report[0]).toBe(8);
    }
    // The transport adds nothing: the same readings as over the in-memory link.
    const memory = await runAgainstSimulator(driver, { scenario: 'memory', startMs: START });
    expect(comparable(run.result.readings)).toEqual(comparable(memory.result.readings));
    expect(run.timersLeft).toBe(0);
  });

  it('reads the same when the meter’s packets arrive split over reports and padded to 64 bytes, with a stray non-data report', async () => {
    const baseline = await hidSession({ scenario: 'notes' });
    const run = await hidSession({
      scenario: 'notes',
      // Cut every packet 3 + 5, each report padded as hidapi may return it.
      onReport: splitPaddedReports(3),
    });
    expect(comparable(run.result.readings)).toEqual(comparable(baseline.result.readings));
    expect(run.result.readings.map((r) => r.deviceTime)).toEqual(['2019-08-04T13:37:00', '2019-01-01T21:14:00', '2018-01-01T21:14:00']);
    expect(run.events.some((e) => e.type === 'problem' && /input report dropped/.test(e.message))).toBe(true);
  });

  it('an unplug mid-download ends with TRANSPORT_CLOSED after the records read so far; the next download reads each record once', async () => {
    const run = await hidSession({ onReport: unplugAfter(20) });
    const again = await hidSession();
    expectResumedAfterUnplug(run, again, 40);
  });

  it('the numbered transport refuses an oversized report instead of cutting it', async () => {
    const fake = new FakeHidDevice(REPORT_SIZE, { numberedByDriver: true });
    const link = await openHidLink({ vendorId: 0x10c4, productId: 0xea80 }, { reportSize: REPORT_SIZE, numberedByDriver: true, open: async () => fake });
    await expect(link.write(new Uint8Array(REPORT_SIZE + 2))).rejects.toThrow(RangeError);
    await link.close();
  });
});
