import { describe, expect, it } from 'vitest';
import { isensCaresensDriver as driver } from '../../drivers/devices/isens-caresens/index.ts';
import { SHINE_HID } from '../../drivers/devices/isens-caresens/links.ts';
import { runAgainstSimulator } from '../../drivers/kit/index.ts';
import { linkSpecFor } from '../devices/ports/port-links.ts';
import { readingFingerprint } from '../store/fingerprint.ts';
import { comparable, hidDownload, type HidDownload, type HidDownloadOptions } from '../../test/helpers/hid-download.ts';

/**
 * isens-caresens on the GLUCOCARD Shine Connex / Express (plain HID 0483:a18b, PROTOCOL.md §2.3,
 * [INFERRED] and untested on a meter) through the real HID transport, its simulator behind a fake
 * node-hid device opened by path as the hub opens a discovered port: the device's ids come from
 * node-hid (`getDeviceInfo`), and the driver frames by them.
 */
const START = Date.UTC(2026, 0, 15, 9, 0, 0);
const REPORT_SIZE = driver.manifest.transport.type === 'hid' ? driver.manifest.transport.reportSize : 0;

/** One download from the Shine opened by path; the Link must carry the ids node-hid gave. */
async function shineSession(opts: HidDownloadOptions = {}): Promise<HidDownload> {
  const run = await hidDownload(driver, START, { ...opts, byPath: { path: '/dev/hidraw7', usb: SHINE_HID } });
  expect(run.usb).toEqual(SHINE_HID);
  return run;
}

describe('isens-caresens through the HID transport (GLUCOCARD Shine Connex plain HID)', () => {
  it('sends no feature report, pings 01 01 80 and writes each frame after report id 1 and its exact count, unpadded', async () => {
    const run = await shineSession();
    expect(run.result.end).toBe('completed');
    expect(run.result.problems).toEqual({});
    expect(run.result.readings).toHaveLength(40);
    expect(run.result.readings[0]?.device.model).toBe('GLUCOCARD Shine Connex / Express');
    expect(run.fake.features).toEqual([]);
    expect(run.fake.written[0]).toEqual([0x01, 0x01, 0x80]);
    expect(run.fake.written[1]).toEqual([0x01, 0x0d, 0x02, 0x69, 0x53, 0x50, 0x63, 0x07, 0x52, 0x53, 0x4e, 0x42, 0xb1, 0x4c, 0x03]);
    for (const report of run.fake.written) {
      expect(report[0]).toBe(0x01);
      expect(report).toHaveLength((report[1] ?? 0) + 2);
    }
    // The transport adds nothing: the same readings as over the in-memory link.
    const memory = await runAgainstSimulator(driver, { scenario: 'memory', startMs: START, link: 'hid', usb: SHINE_HID });
    expect(comparable(run.result.readings)).toEqual(comparable(memory.result.readings));
    expect(run.timersLeft).toBe(0);
  });

  it('reads the same when the meter pads its reports to 64 bytes, splits its frames and answers ECHO with a bare byte', async () => {
    const baseline = await shineSession({ scenario: 'notes' });
    const run = await shineSession({
      scenario: 'notes',
      onReport: (report, _fake, deliver) => {
        const data = report.slice(1, 1 + (report[0] ?? 0));
        const padded = (bytes: Uint8Array, counted: boolean): Uint8Array => {
          const out = new Uint8Array(64);
          if (counted) out.set([bytes.length, ...bytes]);
          else out.set(bytes);
          return out;
        };
        // The ECHO answer as Tidepool reads a lone byte: the byte, then zeros.
        if (data.length === 1 && data[0] === 0x2e) return deliver(padded(data, false));
        for (const part of [data.slice(0, 4), data.slice(4)]) if (part.length > 0) deliver(padded(part, true));
      },
    });
    expect(run.result.problems).toEqual({});
    expect(comparable(run.result.readings)).toEqual(comparable(baseline.result.readings));
    expect(run.result.readings.map((r) => r.deviceTime)).toEqual(['2024-03-05T07:42:00', '2024-03-04T21:05:00']);
  });

  it('a second download of the same meter offers nothing new to the store', async () => {
    // Two plugs of one meter: the simulated memory is the same at each power-up at START.
    const first = await shineSession();
    const second = await shineSession();
    const seen = new Set(first.result.readings.map(readingFingerprint));
    expect(seen.size).toBe(40);
    expect(second.result.readings.every((r) => seen.has(readingFingerprint(r)))).toBe(true);
  });

  it('the hub opens a discovered Shine port with its ids, so the driver frames for it', () => {
    const spec = linkSpecFor({ id: 'hid:/dev/hidraw7', transport: 'hid', path: '/dev/hidraw7', origin: 'discovered', usb: { ...SHINE_HID } }, driver.manifest);
    expect(spec).toMatchObject({ type: 'hid', path: '/dev/hidraw7', vendorId: 0x0483, productId: 0xa18b, reportSize: REPORT_SIZE, numberedByDriver: true });
  });
});
