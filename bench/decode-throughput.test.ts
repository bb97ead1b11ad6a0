import { describe, expect, it } from 'vitest';
import { requireDriver } from '../drivers/index.ts';
import { measureThroughput, unexpectedProblems } from './decode-throughput.ts';

/** The stream path measures what it says (counts, not time: nothing here is timed). */
describe('decode throughput of streaming drivers', () => {
  it('feeds a driver that times lines by arrival (nonin-ascii) at the device pace, so every pass makes its readings', async () => {
    const r = await measureThroughput(requireDriver('nonin-ascii'), { targetBytes: 5_000, runs: 1 });
    expect(r.paced).toBe(true);
    expect(r.warning).toBeUndefined();
    expect(r.readings).toBe(r.expectedReadings);
    expect(r.readings).toBeGreaterThan(0);
  }, 120_000);

  it('writes a driver with its own time base (masimo-rad8: the device clock) unpaced', async () => {
    const r = await measureThroughput(requireDriver('masimo-rad8'), { targetBytes: 20_000, runs: 1 });
    expect(r.paced).toBe(false);
    expect(r.warning).toBeUndefined();
    expect(r.readings).toBe(r.expectedReadings);
  }, 120_000);

  it("takes a scenario's own problems (an empty-platform print) as expected, once per pass", async () => {
    const r = await measureThroughput(requireDriver('detecto-solo'), { targetBytes: 2_000, runs: 1 });
    expect(r.problemsPerScenario).toEqual({ DEVICE_ERROR: 1 });
    expect(r.problems).toEqual({ DEVICE_ERROR: r.repetitions });
    expect(r.warning).toBeUndefined();
  }, 120_000);

  it('names the problem counts that are not the scenario\'s own', () => {
    expect(unexpectedProblems({ DEVICE_ERROR: 4 }, { DEVICE_ERROR: 1 }, 4)).toEqual([]);
    expect(unexpectedProblems({ DEVICE_ERROR: 4, PROTOCOL_GARBAGE: 1 }, { DEVICE_ERROR: 1 }, 3)).toEqual(['DEVICE_ERROR ×4 (the scenario\'s own: 3)', 'PROTOCOL_GARBAGE ×1 (the scenario\'s own: 0)']);
  });
});
