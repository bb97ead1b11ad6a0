import { describe, expect, it } from 'vitest';
import { ReadingSchema, type Reading } from '../../../shared/reading.ts';
import { byteChunks, createLinkPair, type DriverEvent, DriverManifestSchema, fromLatin1, resolveOptions, runAgainstSimulator, runSession, type SessionEvent, type SessionResult, TrackedClock, VirtualClock } from '../../kit/index.ts';
import { siemensClinitekStatusDriver as driver } from './index.ts';

const START = Date.UTC(2026, 0, 15, 9, 0, 0);

/** A driver session against the simulator over an in-memory link pair on a virtual clock. */
async function simulate(scenario: string, opts: { fault?: 'truncate'; bytewise?: boolean } = {}): Promise<{ result: SessionResult; events: SessionEvent[]; timersLeft: number }> {
  const virtual = new VirtualClock(START);
  const clock = new TrackedClock(virtual);
  const pair = createLinkPair(opts.bytewise ? { deviceChunker: byteChunks } : {});
  const stop = new AbortController();
  const events: SessionEvent[] = [];
  const device = driver.simulator
    .run({ link: pair.device, clock, signal: stop.signal, scenario, ...(opts.fault ? { fault: opts.fault } : {}) })
    .then(() => pair.device.close()); // the scenario is over: the cable is pulled
  const session = runSession({ driver, link: pair.host, clock, onEvent: (e) => events.push(e) });
  await virtual.runUntilIdle();
  const [result] = await Promise.all([session, device]);
  stop.abort();
  return { result, events, timersLeft: clock.pending };
}

const sequences = (readings: readonly Reading[]): (string | undefined)[] => readings.map((r) => r.context?.sequence);
const problems = (events: readonly SessionEvent[]): Extract<SessionEvent, { type: 'problem' }>[] =>
  events.flatMap((e) => (e.type === 'problem' ? [e] : []));

describe('manifest', () => {
  it('is valid and describes a discrete RS-232 urine analyzer', () => {
    expect(DriverManifestSchema.safeParse(driver.manifest).success).toBe(true);
    expect(driver.manifest).toMatchObject({
      id: 'siemens-clinitek-status',
      manufacturer: 'Siemens',
      models: ['Clinitek Status', 'Clinitek Status+'],
      category: 'urine',
      kind: 'discrete',
      transport: { type: 'serial', serial: { baudRate: 9600, dataBits: 8, parity: 'none', stopBits: 1, flowControl: 'xonxoff' } },
      usb: [],
      checksum: false,
    });
    expect(resolveOptions(driver.manifest)).toEqual({ dateOrder: 'dmy' });
  });
});

describe('driver sessions against the simulator', () => {
  it('results: three readings, identified, nothing reported, no timer left', async () => {
    const run = await simulate('results');
    expect(run.result.end).toBe('ended');
    expect(run.result.identity).toEqual({ manufacturer: 'Siemens', model: 'Clinitek Status / Status+' });
    expect(sequences(run.result.readings)).toEqual(['1822', '1823', '1824']);
    expect(run.result.readings.map((r) => r.deviceTime)).toEqual(['2021-12-24T17:33:00', '2021-12-24T17:41:00', '2021-12-24T18:02:00']);
    expect(run.result.readings.every((r) => ReadingSchema.safeParse(r).success && r.kind === 'patient')).toBe(true);
    expect(run.result.problems).toEqual({});
    expect(run.timersLeft).toBe(0);
  });

  it('error: two readings and one DEVICE_ERROR problem for the E58 record', async () => {
    const run = await simulate('error');
    expect(sequences(run.result.readings)).toEqual(['5419', '5421']);
    expect(run.result.problems).toEqual({ DEVICE_ERROR: 1 });
    const [problem] = problems(run.events);
    expect(problem?.message).toContain('E58');
    expect(problem?.message).toContain('test 5420 (sample BM20070002)');
    expect(run.timersLeft).toBe(0);
  });

  it('spanish: the two Spanish captures, both flagged abnormal (and clock-skew: their clocks say 2017–2018)', async () => {
    const run = await simulate('spanish');
    expect(sequences(run.result.readings)).toEqual(['1596', '5401']);
    expect(run.result.readings.map((r) => r.flags)).toEqual([
      ['abnormal', 'clock-skew'],
      ['abnormal', 'clock-skew'],
    ]);
  });

  it('twelve-hour: 12:05AM is 00:05, 12:30PM is 12:30, 11:59PM is 23:59', async () => {
    const run = await simulate('twelve-hour');
    expect(run.result.readings.map((r) => r.deviceTime)).toEqual(['2025-02-03T00:05:00', '2025-02-03T01:15:00', '2025-02-03T12:30:00', '2025-02-03T23:59:00']);
  });

  it('gives the same readings when the bytes arrive one at a time', async () => {
    for (const scenario of ['results', 'spanish', 'error', 'twelve-hour']) {
      const strip = (rs: readonly Reading[]): unknown[] => rs.map(({ receivedAt: _r, ...rest }) => rest);
      expect(strip((await simulate(scenario, { bytewise: true })).result.readings)).toEqual(strip((await simulate(scenario)).result.readings));
    }
  });

  it('fault truncate: records glued together make no reading, and are reported', async () => {
    for (const scenario of ['results', 'spanish', 'error', 'twelve-hour']) {
      const run = await simulate(scenario, { fault: 'truncate' });
      expect(run.result.readings).toEqual([]);
      expect(Object.values(run.result.problems).reduce((a, b) => a + (b ?? 0), 0)).toBeGreaterThan(0);
      expect(run.timersLeft).toBe(0);
    }
  });

  it('stream: a record every 15 s with the clock as device time; abort ends promptly with no timer left', async () => {
    const virtual = new VirtualClock(START);
    const clock = new TrackedClock(virtual);
    const pair = createLinkPair();
    const stopDevice = new AbortController();
    const stopSession = new AbortController();
    const device = driver.simulator.run({ link: pair.device, clock, signal: stopDevice.signal, scenario: 'stream' });
    const session = runSession({ driver, link: pair.host, clock, signal: stopSession.signal });
    await virtual.runUntilIdle(40_000); // records at 2 s, 17 s and 32 s
    const abortedAt = virtual.now();
    stopSession.abort();
    stopDevice.abort();
    const [result] = await Promise.all([session, device]);
    expect(virtual.now()).toBe(abortedAt); // stopping needed no more (virtual) time
    expect(result.end).toBe('aborted');
    expect(clock.pending).toBe(0);
    expect(sequences(result.readings)).toEqual(['1', '2', '3']);
    expect(result.readings.map((r) => r.deviceTime)).toEqual(['2026-01-15T09:00:00', '2026-01-15T09:00:00', '2026-01-15T09:00:00']);
    expect(result.readings.every((r) => !r.flags.includes('clock-skew') && r.clock?.source === 'device')).toBe(true);
    expect(pair.host.closed).toBe(false);
  });

  it('stream under the kit harness: aborted after 20 s, two readings, no timer left', async () => {
    const run = await runAgainstSimulator(driver, { scenario: 'stream', abortAfterMs: 20_000 });
    expect(run.result.end).toBe('aborted');
    expect(run.result.readings.length).toBe(2);
    expect(run.timersLeft).toBe(0);
  });

  it('stream stops by itself when the host hangs up, without being aborted', async () => {
    const virtual = new VirtualClock(START);
    const clock = new TrackedClock(virtual);
    const pair = createLinkPair();
    const device = driver.simulator.run({ link: pair.device, clock, signal: new AbortController().signal, scenario: 'stream' });
    await virtual.runUntilIdle(20_000);
    await pair.host.close();
    await virtual.runUntilIdle(0);
    await expect(device).resolves.toBeUndefined();
    expect(clock.pending).toBe(0);
  });

  it('rejects an unknown scenario plainly', async () => {
    const pair = createLinkPair();
    const run = driver.simulator.run({ link: pair.device, clock: new VirtualClock(), signal: new AbortController().signal, scenario: 'nope' });
    await expect(run).rejects.toMatchObject({ code: 'INPUT_INVALID' });
  });
});

describe('driver steps', () => {
  const capture = '1822,24-12-2021, 5:33PM,,2756,,,,,Multistix 10 SG,Not Entered,Not Entered,GLU,Negative,,BIL,Negative,,KET,Negative,,SG ,1.020,,BLD,Trace-intact,,pH ,7.0,,PRO,Negative,,UBG,3.2 umol/L,,NIT,Negative,,LEU,Negative,\r';

  function session(options: Record<string, unknown> = {}) {
    const virtual = new VirtualClock(START);
    const clock = new TrackedClock(virtual);
    const pair = createLinkPair();
    const events: DriverEvent[] = [];
    const s = driver.createSession({ link: pair.host, clock, signal: new AbortController().signal, options: resolveOptions(driver.manifest, options), emit: (e) => events.push(e) });
    return { s, pair, virtual, clock, events };
  }

  it('identify answers at once with what the wire cannot say', async () => {
    const { s } = session();
    await expect(s.identify(new AbortController().signal)).resolves.toEqual({ manufacturer: 'Siemens', model: 'Clinitek Status / Status+' });
  });

  it('probe finds a record, and acquire still turns it into a reading', async () => {
    const { s, pair, virtual, clock, events } = session();
    await pair.device.write(fromLatin1(`garbage\r${capture}`));
    const found = s.probe(new AbortController().signal);
    await virtual.runUntilIdle(100);
    await expect(found).resolves.toBe(true);
    const acquiring = s.acquire(new AbortController().signal);
    await pair.device.close();
    await virtual.runUntilIdle();
    await acquiring;
    await s.close();
    expect(events.filter((e) => e.type === 'reading')).toHaveLength(1);
    expect(events.filter((e) => e.type === 'problem').map((e) => (e.type === 'problem' ? e.code : ''))).toEqual(['PROTOCOL_GARBAGE']);
    expect(clock.pending).toBe(0);
  });

  it('probe gives up at the deadline when the analyzer is silent, leaving no timer', async () => {
    const { s, virtual, clock } = session();
    const found = s.probe(new AbortController().signal);
    await virtual.runUntilIdle();
    await expect(found).resolves.toBe(false);
    expect(virtual.now()).toBe(START + driver.manifest.deadlines.probeMs);
    await s.close();
    expect(clock.pending).toBe(0);
  });

  it("reads month-first dates with dateOrder 'mdy', and refuses an unknown date order", async () => {
    const pair = createLinkPair();
    const session = runSession({ driver, link: pair.host, clock: new VirtualClock(START), options: { dateOrder: 'mdy' } });
    await pair.device.write(fromLatin1(capture.replace('24-12-2021', '12-24-2021')));
    await pair.device.write(fromLatin1(capture));
    await pair.device.close();
    const result = await session;
    expect(result.readings.map((r) => r.deviceTime)).toEqual(['2021-12-24T17:33:00']);
    expect(result.problems).toEqual({ PROTOCOL_GARBAGE: 1 });
    const bad = await runSession({ driver, link: createLinkPair().host, clock: new VirtualClock(START), options: { dateOrder: 'ymd' } });
    expect(bad.end).toBe('failed');
    expect(bad.error?.code).toBe('CONFIG_INVALID');
  });
});
