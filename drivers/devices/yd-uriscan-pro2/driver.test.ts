import { describe, expect, it } from 'vitest';
import { ReadingSchema, type Reading } from '../../../shared/reading.ts';
import { DriverManifestSchema, VirtualClock, byteChunks, createLinkPair, runAgainstSimulator, type SessionEvent } from '../../kit/index.ts';
import { ydUriscanPro2Driver as driver } from './index.ts';

const sampleIds = (readings: readonly Reading[]): (string | undefined)[] => readings.map((r) => r.context?.sampleId);
const problemEvents = (events: readonly SessionEvent[]): Extract<SessionEvent, { type: 'problem' }>[] =>
  events.flatMap((e) => (e.type === 'problem' ? [e] : []));

describe('manifest', () => {
  it('is valid and describes a discrete, one-way RS-232 urine analyzer without checksum', () => {
    expect(DriverManifestSchema.safeParse(driver.manifest).success).toBe(true);
    expect(driver.manifest).toMatchObject({
      id: 'yd-uriscan-pro2',
      manufacturer: 'YD Diagnostics',
      category: 'urine',
      kind: 'discrete',
      transport: { type: 'serial', serial: { baudRate: 9600, dataBits: 8, parity: 'none', stopBits: 1, flowControl: 'none' } },
      usb: [],
      checksum: false,
    });
    expect(driver.simulator.scenarios.map((s) => s.name)).toEqual(['normal', 'abnormal', 'two-patients', 'stream']);
  });
});

describe('driver sessions against the simulator', () => {
  it('normal: one 10-pad strip, sample 0037, device time from the report, nothing reported, no timer left', async () => {
    const run = await runAgainstSimulator(driver, { scenario: 'normal', startMs: Date.UTC(2026, 2, 2, 10, 0, 0) });
    const [reading] = run.result.readings;
    expect(run.result.readings).toHaveLength(1);
    expect(ReadingSchema.safeParse(reading).success).toBe(true);
    expect(reading?.device).toEqual({ manufacturer: 'YD Diagnostics', model: 'URiSCAN PRO II' });
    expect(reading?.context).toEqual({ sampleId: '0037' });
    expect(reading?.observations).toHaveLength(10);
    expect(reading?.observations.every((o) => o.value?.kind !== 'unmapped')).toBe(true);
    expect(reading?.flags).toEqual([]);
    expect(reading?.clock?.source).toBe('device');
    expect(run.result.problems).toEqual({});
    expect(run.timersLeft).toBe(0);
  });

  it('abnormal: the document lines read as grades and concentrations', async () => {
    const run = await runAgainstSimulator(driver, { scenario: 'abnormal' });
    const values = run.result.readings[0]?.observations.map((o) => (o.value?.kind === 'quantity' ? `${o.code}=${o.value.comparator ?? ''}${o.value.value}` : o.value?.kind === 'ordinal' ? `${o.code}:${o.value.code}` : `${o.code}?`));
    expect(values).toEqual(['20405-7=4', '5792-7=100', '5770-3:1+', '2514-8:neg', '5804-0=2000', '5802-4:pos', '5803-2=9', '5794-3:3+', '5811-5=>=1.03', '5799-2:3+']);
  });

  it('two-patients: two readings told apart by sample ID; the printed names are on no reading', async () => {
    const run = await runAgainstSimulator(driver, { scenario: 'two-patients', chunker: byteChunks });
    expect(sampleIds(run.result.readings)).toEqual(['0039', '0040-2']);
    const text = JSON.stringify(run.result.readings);
    expect(text).not.toMatch(/DOE|ROE|JANE|RICHARD|OPD/);
  });

  it('truncate: every report cut short → no reading, a PROTOCOL_TRUNCATED problem', async () => {
    const run = await runAgainstSimulator(driver, { scenario: 'two-patients', fault: 'truncate' });
    expect(run.result.readings).toEqual([]);
    expect(run.result.problems.PROTOCOL_TRUNCATED).toBe(2);
  });

  it('stream: runs until stopped, a report every 15 s', async () => {
    const run = await runAgainstSimulator(driver, { scenario: 'stream', abortAfterMs: 50_000 });
    expect(run.result.end).toBe('aborted');
    expect(sampleIds(run.result.readings)).toEqual(['0001', '0002', '0003', '0004']);
    expect(run.timersLeft).toBe(0);
  });

  it('an unknown scenario is a configuration error naming it', async () => {
    const run = driver.simulator.run({ link: createLinkPair().device, clock: new VirtualClock(), signal: new AbortController().signal, scenario: 'nope' });
    await expect(run).rejects.toThrow(/no scenario "nope"/);
  });

  it('a report with an unreadable date: read without device time, the problem reported with the reason', async () => {
    const run = await runAgainstSimulator(
      { ...driver, simulator: { ...driver.simulator, run: async ({ link }) => { await link.write(new TextEncoder().encode('\x02Date :OCX-01-2026 10:00:00\r\nGLU - neg\r\n\x03')); } } },
      {},
    );
    expect(run.result.readings).toHaveLength(1);
    expect(run.result.readings[0]?.deviceTime).toBeUndefined();
    expect(run.result.readings[0]?.clock?.source).toBe('workstation');
    const [problem] = problemEvents(run.events);
    expect(problem?.code).toBe('PROTOCOL_UNEXPECTED');
    expect(problem?.message).toMatch(/"OCX" is not a month.*received time/);
  });
});
