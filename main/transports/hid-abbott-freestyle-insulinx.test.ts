import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { abbottFreestyleInsulinxDriver as driver } from '../../drivers/devices/abbott-freestyle-insulinx/index.ts';
import { runAgainstSimulator } from '../../drivers/kit/index.ts';
import { comparable, hidDownload, type HidDownload, ingestDownload } from '../../test/helpers/hid-download.ts';
import { tempDir } from '../../test/helpers/store-fixtures.ts';

/**
 * abbott-freestyle-insulinx end to end through the real HID transport (main/transports/hid.ts)
 * with the driver's simulator behind a fake node-hid device object, and into a real SQLite store.
 */
const START = Date.UTC(2026, 0, 15, 9, 0, 0);
const REPORT_SIZE = 64;
/** The command of a report the host wrote (report id 0x00, then type, length, ASCII). */
const commandOf = (r: readonly number[]): string => (r[1] === 0x01 ? 'INIT' : String.fromCharCode(...r.slice(3, 3 + (r[2] ?? 0))));

/** One download over the real HID Link. */
const hidSession = (scenario = 'memory'): Promise<HidDownload> => hidDownload(driver, START, { scenario });

describe('abbott-freestyle-insulinx through the HID transport', () => {
  let tmp: { dir: string; cleanup(): void };
  beforeEach(() => {
    tmp = tempDir();
  });
  afterEach(() => tmp.cleanup());

  it('downloads the memory: glucose results only, the other record types reported, the meter clock read', async () => {
    const run = await hidSession();
    expect(run.result.end).toBe('completed');
    expect(run.result.readings).toHaveLength(26);
    expect(run.result.readings.every((r) => r.kind === 'patient' && r.device.serial === 'JAGA184-C2108')).toBe(true);
    const problems = run.events.flatMap((e) => (e.type === 'problem' ? [e.message] : []));
    expect(problems).toEqual(['records that are not blood-glucose results were not imported (4 of type 2)']);
    // A value that is no number (the simulator's HI) is kept as printed, never made a quantity.
    expect(run.result.readings.filter((r) => r.observations[0]?.value?.kind === 'unmapped')).toHaveLength(1);
    expect(run.result.deviceClock).toMatchObject({ deviceTime: '2026-01-15T09:00:00', canSet: true });
    expect(run.fake.written.map(commandOf)).toEqual(['INIT', '$serlnum?', '$swver?', '$date?', '$time?', '$result?']);
    for (const report of run.fake.written) expect(report).toHaveLength(REPORT_SIZE + 1);
    const memory = await runAgainstSimulator(driver, { scenario: 'memory', startMs: START });
    expect(comparable(run.result.readings)).toEqual(comparable(memory.result.readings));
    expect(run.timersLeft).toBe(0);
  });

  it('re-sends $result? after a bad CKSM and imports every record once', async () => {
    const run = await hidSession('checksum-error');
    expect(run.result.end).toBe('completed');
    expect(run.result.problems).toMatchObject({ PROTOCOL_CHECKSUM: 1 });
    const sequences = run.result.readings.map((r) => r.context?.sequence);
    expect(new Set(sequences).size).toBe(sequences.length);
    expect(sequences).toHaveLength(9);
  });

  it('a meter clock 3 h behind is flagged and the record times corrected', async () => {
    const run = await hidSession('clock-off');
    expect(Math.abs((run.result.deviceClock?.skewMs ?? 0) - 3 * 60 * 60 * 1000)).toBeLessThan(1000);
    expect(run.result.readings.every((r) => r.flags.includes('clock-skew') && r.clock?.source === 'device-corrected')).toBe(true);
  });

  it('a second download into the same store imports nothing new', async () => {
    const ingestAll = async (): Promise<boolean[]> => {
      const run = await hidSession();
      return ingestDownload(tmp.dir, run);
    };
    const first = await ingestAll();
    expect(first).toHaveLength(26);
    expect(first.every((isNew) => isNew)).toBe(true);
    expect((await ingestAll()).some((isNew) => isNew)).toBe(false);
  });
});
