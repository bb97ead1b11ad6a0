import { describe, expect, it } from 'vitest';
import type { Reading } from '../../../shared/reading.ts';
import { createLinkPair, type Driver, formatTrace, parseTrace, replaySession, runAgainstSimulator, runSession, type TappedChunk, TappedLink, traceEventOf, TrackedClock, VirtualClock } from '../../kit/index.ts';
import { lifescanOnetouchUltraeasyDriver as driver } from './index.ts';
import type { MeterSpec } from './simulated-device.ts';
import { SCENARIOS, runMeter, syntheticMemory } from './simulator.ts';

const START = Date.UTC(2026, 0, 15, 9, 0, 0);
const base = SCENARIOS[0]?.spec as MeterSpec;
/** The driver with a simulator playing one custom meter. */
const withMeter = (spec: MeterSpec): Driver => ({ ...driver, simulator: { scenarios: [{ name: 'custom', description: 'test meter' }], run: (ctx) => runMeter(ctx, spec) } });
const comparable = (readings: readonly Reading[]): unknown[] => readings.map(({ receivedAt: _r, ...rest }) => rest);

/** Probe a link on a virtual clock, with the simulator (or silence) on the other side. */
async function probe(withSimulator: boolean): Promise<{ found: boolean; timersLeft: number }> {
  const virtual = new VirtualClock(START);
  const clock = new TrackedClock(virtual);
  const pair = createLinkPair();
  const stop = new AbortController();
  const meter = withSimulator ? runMeter({ link: pair.device, clock, signal: stop.signal, scenario: 'memory' }, base) : Promise.resolve();
  const session = driver.createSession({ link: pair.host, clock, signal: new AbortController().signal, options: {}, emit: () => undefined });
  const found = session.probe(new AbortController().signal).finally(() => session.close());
  await virtual.runUntilIdle();
  const result = await found;
  stop.abort();
  await virtual.runUntilIdle();
  await meter;
  return { found: result, timersLeft: clock.pending };
}

describe('lifescan-onetouch-ultraeasy sessions, edge cases', () => {
  it('probe: a meter answers the link reset; silence does not', async () => {
    expect(await probe(true)).toEqual({ found: true, timersLeft: 0 });
    expect(await probe(false)).toEqual({ found: false, timersLeft: 0 });
  });

  it('a silent meter fails with DEVICE_NO_RESPONSE after the bounded retries', async () => {
    // Connected but never answering: resolves only when the harness stops it.
    const quiet = (signal: AbortSignal): Promise<void> => new Promise((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }));
    const silent: Driver = { ...driver, simulator: { scenarios: [{ name: 'silent', description: '' }], run: (ctx) => quiet(ctx.signal) } };
    const run = await runAgainstSimulator(silent);
    expect(run.result.end).toBe('failed');
    expect(run.result.error?.code).toBe('DEVICE_NO_RESPONSE');
    expect(run.result.problems.DEVICE_NO_RESPONSE).toBe(3);
    expect(run.timersLeft).toBe(0);
  });

  it('a meter that flips the bits and answers late: the duplicate record is recognised by its bytes', async () => {
    const spec: MeterSpec = { ...base, bits: 'inverted', records: syntheticMemory(12), lateResponseOnce: [4] };
    const run = await runAgainstSimulator(withMeter(spec));
    expect(run.result.end).toBe('completed');
    const times = run.result.readings.map((r) => r.deviceTime);
    expect(times).toHaveLength(12);
    expect(new Set(times).size).toBe(12);
    const messages = run.events.flatMap((e) => (e.type === 'problem' ? [e.message] : []));
    expect(messages.some((m) => /repeats record 4 byte for byte/.test(m))).toBe(true);
  });

  it('a count larger than the memory can hold is reported and capped at 500', async () => {
    const run = await runAgainstSimulator(withMeter({ ...base, records: syntheticMemory(520) }));
    expect(run.result.readings).toHaveLength(500);
    expect(run.result.problems.PROTOCOL_UNEXPECTED).toBe(1);
  });

  it('an unknown unit byte is reported; values stay mg/dL', async () => {
    const run = await runAgainstSimulator(withMeter({ ...base, displayUnit: 7, records: syntheticMemory(3) }));
    expect(run.result.problems).toEqual({ PROTOCOL_UNEXPECTED: 1 });
    expect(run.result.readings.map((r) => r.observations[0]?.value)).toEqual([
      { kind: 'quantity', value: 81, unit: 'mg/dL' },
      { kind: 'quantity', value: 118, unit: 'mg/dL' },
      { kind: 'quantity', value: 155, unit: 'mg/dL' },
    ]);
  });

  it('its trace hooks frame what it sends and receives, bad CRCs marked bad', async () => {
    const run = await runAgainstSimulator(driver, { scenario: 'checksum-error' });
    const annotator = driver.traceAnnotator;
    if (!annotator) throw new Error('the driver has trace hooks');
    const framers = { in: annotator.framer('in'), out: annotator.framer('out') };
    const tokens = run.traffic.flatMap((c) => framers[c.direction].push(c.bytes).map((t) => ({ direction: c.direction, ...t.frame })));
    expect(tokens.filter((t) => t.checksum === 'bad')).toHaveLength(2);
    expect(tokens.find((t) => t.direction === 'out')?.note).toBe('DISC (link reset)');
  });

  it.each(['checksum-error', 'inverted-bits', 'mmol'])('a recorded %s session replays to the same readings', async (scenario) => {
    const virtual = new VirtualClock(START);
    const clock = new TrackedClock(virtual);
    const pair = createLinkPair();
    const traffic: TappedChunk[] = [];
    const host = new TappedLink(pair.host, (c) => traffic.push(c), clock);
    const stop = new AbortController();
    const spec = SCENARIOS.find((s) => s.name === scenario)?.spec as MeterSpec;
    const meter = runMeter({ link: pair.device, clock, signal: stop.signal, scenario }, spec);
    const live = runSession({ driver, link: host, clock }).finally(() => stop.abort());
    await virtual.runUntilIdle();
    const [recorded] = await Promise.all([live, meter]);
    const header = { driver: driver.manifest.id, transport: 'serial 9600 8N1', recorded: new Date(START).toISOString() };
    const text = formatTrace({ header, events: traffic.map((c) => traceEventOf(c, START)) });
    const trace = parseTrace(text);
    const { result: replayed, unusedExchanges } = await replaySession(driver, trace, { idleMs: 200 });
    expect(replayed.error).toBeUndefined();
    expect(replayed.readings.length).toBe(recorded.readings.length);
    expect(comparable(replayed.readings)).toEqual(comparable(recorded.readings));
    expect(unusedExchanges).toBe(0);
  });
});
