import { describe, expect, it } from 'vitest';
import { runAgainstSimulator, type Driver } from '../../kit/index.ts';
import { abbottFreestyleLiteDriver as driver } from './driver.ts';

const glucose = (r: { observations: readonly { value?: unknown }[] }): unknown => r.observations[0]?.value;

describe('abbott-freestyle-lite against its simulator', () => {
  it('downloads the memory oldest first, control solution apart, HI/LO as >500 / <20 mg/dL, clock before records', async () => {
    const run = await runAgainstSimulator(driver, { scenario: 'memory' });
    expect(run.result.error).toBeUndefined();
    const readings = run.result.readings;
    expect(readings).toHaveLength(60);
    expect(readings.filter((r) => r.kind === 'control')).toHaveLength(2);
    expect(readings.map(glucose)).toContainEqual({ kind: 'quantity', value: 500, unit: 'mg/dL', comparator: '>' });
    expect(readings.map(glucose)).toContainEqual({ kind: 'quantity', value: 20, unit: 'mg/dL', comparator: '<' });
    const times = readings.map((r) => r.deviceTime ?? '');
    expect([...times].sort()).toEqual(times);
    expect(readings[0]?.device).toMatchObject({ manufacturer: 'Abbott', model: 'FreeStyle Lite', serial: 'SIMFL01-A0001', firmware: '1.43     -P' });
    const types = run.events.map((e) => e.type);
    expect(types.indexOf('device-clock')).toBeLessThan(types.indexOf('reading'));
    expect(run.events.filter((e) => e.type === 'problem')).toEqual([]);
  });

  it("reads the notes' constructed dump (checksum 0x1DB6): 104, HI, control 128", async () => {
    const run = await runAgainstSimulator(driver, { scenario: 'notes' });
    expect(run.result.error).toBeUndefined();
    const readings = run.result.readings;
    expect(readings.map((r) => [r.deviceTime, r.kind])).toEqual([
      ['2024-03-04T08:10:00', 'control'],
      ['2024-03-04T21:05:00', 'patient'],
      ['2024-03-05T07:42:00', 'patient'],
    ]);
    expect(readings[0]?.device.serial).toBe('DBMN169-C4824');
    expect(readings.map(glucose)[2]).toEqual({ kind: 'quantity', value: 104, unit: 'mg/dL' });
  });

  it.each(['empty', 'empty-two-lines'])('an empty meter (%s) gives no reading and no error', async (scenario) => {
    const run = await runAgainstSimulator(driver, { scenario });
    expect(run.result.error).toBeUndefined();
    expect(run.result.readings).toHaveLength(0);
    expect(run.events.some((e) => e.type === 'device-clock')).toBe(true);
  });

  it('an empty meter answering the single line "Log Empty END" (no header) gives no reading, no problem, no error', async () => {
    const run = await runAgainstSimulator(driver, { scenario: 'empty-no-header' });
    expect(run.result.error).toBeUndefined();
    expect(run.result.readings).toHaveLength(0);
    expect(run.events.filter((e) => e.type === 'problem')).toEqual([]);
    expect(run.events.some((e) => e.type === 'device-clock')).toBe(false);
  });

  it('asks for the whole dump again after a checksum failure: nothing lost, nothing doubled', async () => {
    const run = await runAgainstSimulator(driver, { scenario: 'checksum-error' });
    expect(run.result.error).toBeUndefined();
    expect(run.result.readings).toHaveLength(20);
    expect(run.events.filter((e) => e.type === 'problem').map((e) => (e.type === 'problem' ? e.code : ''))).toEqual(['PROTOCOL_CHECKSUM']);
    const progress = run.events.flatMap((e) => (e.type === 'progress' ? [e.done] : []));
    for (let i = 1; i < progress.length; i++) expect(progress[i]).toBeGreaterThanOrEqual(progress[i - 1] ?? 0);
  });

  it('skips stray 0x03 bytes before the dump', async () => {
    const run = await runAgainstSimulator(driver, { scenario: 'leading-03' });
    expect(run.result.error).toBeUndefined();
    expect(run.result.readings).toHaveLength(8);
  });

  it('flags a meter clock 2 h behind and can set it with $tim', async () => {
    const run = await runAgainstSimulator(driver, { scenario: 'clock-off' });
    const clock = run.events.find((e) => e.type === 'device-clock');
    expect(clock?.type === 'device-clock' ? Math.round(clock.skewMs / 60_000) : undefined).toBe(120);
    expect(run.result.readings.every((r) => r.flags.includes('clock-skew'))).toBe(true);
  });

  it('a meter that never answers ends with a clear error after three requests, nothing imported', async () => {
    const silent: Driver = {
      ...driver,
      simulator: {
        scenarios: [{ name: 'silent', description: 'never answers' }],
        run: (ctx) => new Promise<void>((resolve) => ctx.signal.addEventListener('abort', () => resolve(), { once: true })),
      },
    };
    const run = await runAgainstSimulator(silent, { scenario: 'silent' });
    expect(run.result.error?.code).toBe('DEVICE_NO_RESPONSE');
    expect(run.result.error?.message).toMatch(/could not be read in 3 tries.*Nothing was imported/);
    expect(run.result.readings).toHaveLength(0);
    expect(run.timersLeft).toBe(0);
  });

  it('a dump cut short (fault truncate) never makes a reading and ends with an error', async () => {
    const run = await runAgainstSimulator(driver, { scenario: 'memory', fault: 'truncate' });
    expect(run.result.readings).toHaveLength(0);
    expect(run.result.error).toBeDefined();
  });
});
