import { describe, expect, it } from 'vitest';
import { abbottFreestyleNeoDriver as driver } from '../../drivers/devices/abbott-freestyle-neo/index.ts';
import { encodeReport, formatTextReply, parseReport, splitPayloads } from '../../drivers/devices/abbott-freestyle-neo/protocol.ts';
import { latin1, runAgainstSimulator, type Link, type TappedChunk } from '../../drivers/kit/index.ts';
import type { FakeHidDevice } from '../../test/helpers/fake-hid.ts';
import { comparable, hidDownload, type HidDownload, type HidDownloadOptions } from '../../test/helpers/hid-download.ts';

/**
 * abbott-freestyle-neo end to end through the real HID transport (main/transports/hid.ts) with
 * the driver's simulator, or a scripted meter, behind a fake node-hid device object.
 */
const START = Date.UTC(2026, 0, 15, 9, 0, 0);
const REPORT_SIZE = 64;
/** How many keep-alive reports (type 0x22) the host received. */
const keepAlives = (traffic: readonly TappedChunk[]): number => traffic.filter((c) => c.direction === 'in' && c.bytes[0] === 0x22).length;

/** The command text of the last report the host wrote (report-id byte first, then type, length). */
const lastCommand = (fake: FakeHidDevice): string => {
  const report = fake.written.at(-1) ?? [];
  return report[1] === 0x60 ? String.fromCharCode(...report.slice(3, 3 + (report[2] ?? 0))) : '';
};

/**
 * One session over the real HID Link. `meter` plays the device on `fake.deviceLink` (default:
 * the driver's simulator); `onReport` sees every input report before node-hid "reads" it.
 */
const hidSession = (opts: HidDownloadOptions = {}): Promise<HidDownload> => hidDownload(driver, START, opts);

describe('abbott-freestyle-neo through the HID transport', () => {
  it('downloads the memory: readings, progress, meter clock; every report written is 65 bytes after a 0x00 report id', async () => {
    const run = await hidSession();
    expect(run.result.end).toBe('completed');
    expect(run.result.problems).toEqual({});
    expect(run.result.readings).toHaveLength(57);
    expect(run.result.readings.filter((r) => r.kind === 'control')).toHaveLength(3);
    const progress = run.events.flatMap((e) => (e.type === 'progress' ? [e] : []));
    expect(progress[0]).toEqual({ type: 'progress', done: 0 });
    expect(progress.at(-1)).toEqual({ type: 'progress', done: 60, total: 60 });
    expect(run.result.deviceClock).toMatchObject({ deviceTime: '2026-01-15T09:00:00', canSet: true });
    expect(run.fake.written.length).toBe(7);
    for (const report of run.fake.written) {
      expect(report).toHaveLength(REPORT_SIZE + 1);
      expect(report[0]).toBe(0x00);
    }
    expect(run.fake.written.map((r) => (r[1] === 0x01 ? 'INIT' : String.fromCharCode(...r.slice(3, 3 + (r[2] ?? 0)))))).toEqual(['INIT', '$serlnum?', '$swver?', '$date?', '$time?', '$gunits?', '$result?']);
    // The transport adds nothing: the same readings as over the in-memory link.
    const memory = await runAgainstSimulator(driver, { scenario: 'memory', startMs: START });
    expect(comparable(run.result.readings)).toEqual(comparable(memory.result.readings));
    expect(run.timersLeft).toBe(0);
  });

  it('skips a keep-alive report injected by the test in the middle of the multi-report $result? reply', async () => {
    const baseline = await hidSession();
    let textReports = 0;
    const run = await hidSession({
      onReport: (report, fake, deliver) => {
        deliver(report);
        if (lastCommand(fake) === '$result?' && report[0] === 0x60 && ++textReports === 2) deliver([0x22, 0x01, 0x05]);
      },
    });
    expect(textReports).toBeGreaterThan(2);
    expect(run.result.problems).toEqual({});
    expect(comparable(run.result.readings)).toEqual(comparable(baseline.result.readings));
    expect(keepAlives(run.traffic)).toBe(keepAlives(baseline.traffic) + 1);
  });

  it('reads the same records when the reply payload is split at every offset', async () => {
    const records = ['7,224,3,21,15,16,45,0,81,0,1,0,0,0,0,0,0,0,0', '9,225,3,21,15,17,2,0,9,1', '7,226,3,22,15,7,58,0,HI,0,1,0,0,0,0,0,0,0,0'];
    const reply = formatTextReply(`${records.map((r) => `${r}\r\n`).join('')}3,0000152C\r\n`); // the example of drivers/devices/abbott-freestyle-neo/PROTOCOL.md §3
    const answers: Record<string, string> = { '$serlnum?': 'JGGA123-K1234\r\n', '$swver?': '2.1.2\r\n', '$date?': '1,15,26\r\n', '$time?': '9,0\r\n', '$gunits?': '1\r\n' };
    /** A meter that sends the $result? reply cut at `offset`, each side in reports of up to 62 bytes. */
    const meter = (offset: number) => (device: Link): void => {
      device.onData((bytes) => {
        const parsed = parseReport(bytes);
        if (!parsed.ok) return;
        if (parsed.report.type === 0x01) return void device.write(Uint8Array.of(0x71, 0x01, 0x01));
        const command = latin1(parsed.report.payload);
        const payloads = command === '$result?'
          ? [...splitPayloads(reply.slice(0, offset)), ...splitPayloads(reply.slice(offset))]
          : splitPayloads(formatTextReply(answers[command] ?? '', command in answers));
        for (const p of payloads) void device.write(encodeReport(0x60, p));
      });
    };
    const whole = await hidSession({ meter: meter(reply.length) });
    expect(whole.result.readings.map((r) => r.context?.sequence)).toEqual(['224', '225', '226']);
    for (let offset = 1; offset < reply.length; offset++) {
      const run = await hidSession({ meter: meter(offset) });
      expect(run.result.problems, `offset ${offset}`).toEqual({});
      expect(comparable(run.result.readings), `offset ${offset}`).toEqual(comparable(whole.result.readings));
    }
  });

  it('an unplug in the middle of the download ends with TRANSPORT_CLOSED and no reading; the next download has each record once', async () => {
    let textReports = 0;
    const run = await hidSession({
      onReport: (report, fake, deliver) => {
        deliver(report);
        if (lastCommand(fake) === '$result?' && report[0] === 0x60 && ++textReports === 2) fake.unplug();
      },
    });
    expect(run.result.end).toBe('failed');
    expect(run.result.error?.code).toBe('TRANSPORT_CLOSED');
    expect(run.result.readings).toEqual([]);
    expect(run.timersLeft).toBe(0);
    const replugged = await hidSession();
    const sequences = replugged.result.readings.map((r) => r.context?.sequence);
    expect(sequences).toHaveLength(57);
    expect(new Set(sequences).size).toBe(57);
  });
});
