import { describe, expect, it } from 'vitest';
import type { Reading } from '../../shared/reading.ts';
import { TrackedClock, VirtualClock, encodeAstmFrame, runSession, type SessionEvent, type SessionResult } from '../../drivers/kit/index.ts';
import { ascensiaContourNextDriver as driver } from '../../drivers/devices/ascensia-contour-next/index.ts';
import type { MeterLog, MeterPlan } from '../../drivers/devices/ascensia-contour-next/simulated-device.ts';
import { runContourMeter, scenarioPlan } from '../../drivers/devices/ascensia-contour-next/simulator.ts';
import { openHidLink } from './hid.ts';
import { FakeHidDevice } from '../../test/helpers/fake-hid.ts';

/**
 * The Contour driver end to end through the real HID transport (main/transports/hid.ts), with
 * its simulated meter behind a fake node-hid device object (test/helpers/fake-hid.ts).
 */

const START = Date.UTC(2026, 0, 15, 9, 0, 20);
const REPORT_BYTES = 64;
const strip = (rs: readonly Reading[]): unknown[] => rs.map(({ receivedAt: _r, ...rest }) => rest);

interface ContourHidRun {
  result: SessionResult;
  events: SessionEvent[];
  fake: FakeHidDevice;
  meter: MeterLog;
  timersLeft: number;
  /** Input reports the fake device delivered to the host. */
  reportsIn: number;
}

async function hidSession(plan: MeterPlan, opts: { unplugAfterReadings?: number } = {}): Promise<ContourHidRun> {
  const virtual = new VirtualClock(START);
  const clock = new TrackedClock(virtual);
  const fake = new FakeHidDevice(REPORT_BYTES);
  let reportsIn = 0;
  fake.on('data', () => reportsIn++);
  const link = await openHidLink({ vendorId: 0x1a79, productId: 0x7410 }, { reportSize: REPORT_BYTES, open: async () => fake });
  const stopMeter = new AbortController();
  const meter = runContourMeter({ link: fake.deviceLink, clock, signal: stopMeter.signal, scenario: 'hid' }, plan);
  const events: SessionEvent[] = [];
  let readings = 0;
  const session = runSession({
    driver,
    link,
    clock,
    onEvent: (e) => {
      events.push(e);
      if (e.type === 'reading' && ++readings === opts.unplugAfterReadings) fake.unplug();
    },
  });
  await virtual.runUntilIdle();
  const result = await session;
  stopMeter.abort();
  await link.close();
  const log = await meter;
  await virtual.runUntilIdle();
  return { result, events, fake, meter: log, timersLeft: clock.pending, reportsIn };
}

/** The memory scenario cut to five results, for the many split runs. */
function shortPlan(extra: Partial<MeterPlan> = {}): MeterPlan {
  const base = scenarioPlan('memory');
  return { ...base, records: (now) => base.records(now).slice(0, 6).concat('L|1||N'), ...extra };
}

function expectWellFormedWrites(fake: FakeHidDevice): void {
  expect(fake.written.length).toBeGreaterThan(0);
  for (const report of fake.written) {
    expect(report).toHaveLength(REPORT_BYTES + 1);
    expect(report[0]).toBe(0x00); // report id
    expect(report.slice(1, 4)).toEqual([0x41, 0x42, 0x43]); // ABC
    expect(report[4]).toBeGreaterThan(0);
  }
}

describe('Contour over the HID transport (fake node-hid device)', () => {
  it('downloads the whole memory: readings, progress, device clock; every write is report id 0 + 64 bytes', async () => {
    const run = await hidSession(scenarioPlan('memory'));
    expect(run.result.end).toBe('completed');
    expect(run.result.error).toBeUndefined();
    expect(run.result.problems).toEqual({});
    expect(run.result.identity).toMatchObject({ model: 'Contour Next USB', serial: '7410-1234567' });
    expect(run.result.readings).toHaveLength(60);
    expect(run.result.readings.filter((r) => r.kind === 'control')).toHaveLength(1);
    const clock = run.events.find((e) => e.type === 'device-clock');
    expect(clock).toMatchObject({ deviceTime: '2026-01-15T09:00:00', canSet: true });
    const progress = run.events.flatMap((e) => (e.type === 'progress' ? [[e.done, e.total]] : []));
    expect(progress[0]).toEqual([0, 60]);
    expect(progress.at(-1)).toEqual([60, 60]);
    expectWellFormedWrites(run.fake);
    expect(run.fake.written).toHaveLength(65); // kick, ENQ, 63 frames: all ACK
    expect(run.timersLeft).toBe(0);
  });

  it('an R frame split across two reports at every offset gives the same records', async () => {
    const baseline = await hidSession(shortPlan());
    expect(baseline.result.readings).toHaveLength(5);
    // Frame index 3 is R|2 (H, P, R|1, R|2): a 50-odd byte frame that normally fits one report.
    const frameLength = encodeAstmFrame(4, `${shortPlan().records(START)[2]}\r`, false).length;
    expect(frameLength).toBeLessThan(60);
    for (let at = 1; at < frameLength; at++) {
      const run = await hidSession(shortPlan({ splitFrame: { index: 3, at } }));
      expect(run.reportsIn, 'the frame came in two reports').toBe(baseline.reportsIn + 1);
      expect(run.result.problems, `split at ${at}`).toEqual({});
      expect(strip(run.result.readings), `split at ${at}`).toEqual(strip(baseline.result.readings));
    }
  });

  it('the header frame (four reports) split at every offset gives the same identity and records', async () => {
    const baseline = await hidSession(shortPlan());
    const frameLength = encodeAstmFrame(1, `${shortPlan().header(START)}\r`, false).length;
    expect(frameLength).toBeGreaterThan(120);
    for (let at = 1; at < frameLength; at++) {
      const run = await hidSession(shortPlan({ splitFrame: { index: 0, at } }));
      expect(run.result.problems, `split at ${at}`).toEqual({});
      expect(run.result.identity, `split at ${at}`).toEqual(baseline.result.identity);
      expect(strip(run.result.readings), `split at ${at}`).toEqual(strip(baseline.result.readings));
    }
  });

  it('a NAKed frame is retransmitted and read once', async () => {
    const clean = await hidSession(scenarioPlan('memory'));
    const run = await hidSession(scenarioPlan('checksum-error'));
    expect(run.result.problems).toEqual({ PROTOCOL_CHECKSUM: 1 });
    expect(strip(run.result.readings)).toEqual(strip(clean.result.readings));
    const naks = run.fake.written.filter((r) => r[4] === 1 && r[5] === 0x15);
    expect(naks).toHaveLength(1);
    expect(run.meter.sends[5]).toBe(2);
    expectWellFormedWrites(run.fake);
  });

  it('an unplug mid-download ends with TRANSPORT_CLOSED, keeping what was read, no timer left', async () => {
    const run = await hidSession(scenarioPlan('memory'), { unplugAfterReadings: 10 });
    expect(run.result.end).toBe('failed');
    expect(run.result.error?.code).toBe('TRANSPORT_CLOSED');
    expect(run.result.error?.message).toMatch(/disconnected/);
    expect(run.result.readings).toHaveLength(10);
    expect(run.timersLeft).toBe(0);
  });
});
