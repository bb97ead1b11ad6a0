import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { trividiaTrueMetrixDriver as driver } from '../../drivers/devices/trividia-true-metrix/index.ts';
import { runAgainstSimulator } from '../../drivers/kit/index.ts';
import { comparable, hidDownload, type HidDownload, type HidDownloadOptions, ingestDownload } from '../../test/helpers/hid-download.ts';
import { tempDir } from '../../test/helpers/store-fixtures.ts';

/**
 * trividia-true-metrix end to end through the real HID transport (main/transports/hid.ts) with
 * the driver's simulator behind a fake node-hid device object, and into a real SQLite store.
 */
const START = Date.UTC(2026, 2, 2, 14, 0, 0);
const REPORT_SIZE = 64;
/** The command text of a report the host wrote (report id 0x00, then A0, length, ASCII). */
const commandOf = (report: readonly number[]): string => (report[1] === 0xa0 ? String.fromCharCode(...report.slice(3, 3 + (report[2] ?? 0))) : '?');
/** One download over the real HID Link; `onReport` sees every input report before node-hid "reads" it. */
const hidSession = (opts: HidDownloadOptions = {}): Promise<HidDownload> => hidDownload(driver, START, opts);

describe('trividia-true-metrix through the HID transport', () => {
  let tmp: { dir: string; cleanup(): void };
  beforeEach(() => {
    tmp = tempDir();
  });
  afterEach(() => tmp.cleanup());

  it('downloads the memory in Tidepool order; every report written is 65 bytes after a 0x00 report id', async () => {
    const run = await hidSession();
    expect(run.result.end).toBe('completed');
    expect(run.result.problems).toEqual({});
    expect(run.result.readings).toHaveLength(40);
    expect(run.fake.written.map(commandOf)).toEqual(['(_)B0', '(^)AF', '(I)9A', '(Z1)DC', '(V)A7', '(T)A5', '(G)98']);
    for (const report of run.fake.written) {
      expect(report).toHaveLength(REPORT_SIZE + 1);
      expect(report[0]).toBe(0x00);
    }
    expect(run.result.readings[0]?.device).toEqual({ manufacturer: 'Trividia Health', model: 'TRUE METRIX', serial: 'TM4418207', firmware: '1.10' });
    expect(run.result.deviceClock).toMatchObject({ deviceTime: '2026-03-02T14:00:00', canSet: false });
    const controls = run.result.readings.filter((r) => r.kind === 'control');
    expect(controls.length).toBeGreaterThan(0);
    for (const c of controls) expect(c.flags).toContain('control-solution');
    const high = run.result.readings.find((r) => r.flags.includes('out-of-range:high'));
    expect(high?.observations[0]?.value).toEqual({ kind: 'quantity', value: 600, unit: 'mg/dL', comparator: '>' });
    const low = run.result.readings.find((r) => r.flags.includes('out-of-range:low'));
    expect(low?.observations[0]?.value).toEqual({ kind: 'quantity', value: 20, unit: 'mg/dL', comparator: '<' });
    // The undecoded parts of each record are kept as sent.
    expect(run.result.readings.every((r) => r.context?.notes?.[0]?.startsWith('TRUE Metrix record g5'))).toBe(true);
    expect(run.result.readings.some((r) => r.context?.notes?.[0]?.includes('character 10 "3", characters 12+ "00"'))).toBe(true);
    const progress = run.events.flatMap((e) => (e.type === 'progress' ? [e] : []));
    expect(progress.at(-1)).toEqual({ type: 'progress', done: 40, total: 40 });
    const memory = await runAgainstSimulator(driver, { scenario: 'memory', startMs: START });
    expect(comparable(run.result.readings)).toEqual(comparable(memory.result.readings));
    expect(run.timersLeft).toBe(0);
  });

  it('the same readings when the replies come in input reports of 1 to 63 bytes', async () => {
    const split = await hidSession({ scenario: 'split' });
    expect(split.result.problems).toEqual({});
    expect(split.result.readings).toHaveLength(20);
    const inReports = split.traffic.filter((c) => c.direction === 'in').length;
    expect(inReports).toBeGreaterThan(20);
  });

  it('a download whose x sum fails is asked again; each record once', async () => {
    const run = await hidSession({ scenario: 'checksum-error' });
    expect(run.result.end).toBe('completed');
    expect(run.result.problems).toEqual({ PROTOCOL_CHECKSUM: 1 });
    expect(run.fake.written.map(commandOf).filter((c) => c === '(G)98')).toHaveLength(2);
    expect(run.result.readings).toHaveLength(20);
  });

  it('a report with a damaged message checksum in the record stream makes the driver ask (G) again', async () => {
    let hit = false;
    const run = await hidSession({
      onReport: (report, fake, deliver) => {
        const text = String.fromCharCode(...report.slice(1, 1 + (report[0] ?? 0)));
        if (!hit && commandOf(fake.written.at(-1) ?? []) === '(G)98' && text.includes('(g5')) {
          hit = true;
          const damaged = Uint8Array.from(report);
          const at = 1 + text.indexOf('(g5') + 4;
          damaged[at] = (damaged[at] ?? 0) ^ 0x01;
          return deliver(damaged);
        }
        deliver(report);
      },
    });
    expect(hit).toBe(true);
    expect(run.result.end).toBe('completed');
    expect(run.result.problems['PROTOCOL_CHECKSUM']).toBeGreaterThanOrEqual(1);
    expect(run.result.readings).toHaveLength(40);
  });

  it('an unplug in the middle of the download ends with TRANSPORT_CLOSED and no reading', async () => {
    let reports = 0;
    const run = await hidSession({
      onReport: (report, fake, deliver) => {
        deliver(report);
        if (commandOf(fake.written.at(-1) ?? []) === '(G)98' && ++reports === 2) fake.unplug();
      },
    });
    expect(run.result.end).toBe('failed');
    expect(run.result.error?.code).toBe('TRANSPORT_CLOSED');
    expect(run.result.readings).toEqual([]);
    expect(run.timersLeft).toBe(0);
  });

  it('a second download into the same store imports nothing new', async () => {
    const ingestAll = async (): Promise<boolean[]> => {
      const run = await hidSession();
      expect(run.result.end).toBe('completed');
      return ingestDownload(tmp.dir, run);
    };
    const first = await ingestAll();
    expect(first).toHaveLength(40);
    expect(first.every((isNew) => isNew)).toBe(true);
    const second = await ingestAll();
    expect(second.some((isNew) => isNew)).toBe(false);
  });

  it('a meter clock 3 h behind is flagged and the record times corrected', async () => {
    const run = await hidSession({ scenario: 'clock-off' });
    expect(Math.abs((run.result.deviceClock?.skewMs ?? 0) - 3 * 60 * 60 * 1000)).toBeLessThan(1000);
    expect(run.result.readings[0]?.device.model).toBe('TRUE METRIX AIR');
    expect(run.result.readings.every((r) => r.flags.includes('clock-skew') && r.clock?.source === 'device-corrected')).toBe(true);
  });
});
