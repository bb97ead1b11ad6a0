import { VirtualClock, createLinkPair, runSession, runAgainstSimulator, type Driver, type SessionResult } from '../drivers/kit/index.ts';
import { median } from './stats.ts';

/** The device side writes the stream in chunks of this size, as a serial read would hand them over. */
export const CHUNK_BYTES = 4096;
/** Bytes of the untimed warm-up session each driver gets first (JIT, so run 1 is not an outlier). */
const WARMUP_BYTES = 500_000;
/** A default scenario that has not ended after this much virtual time is treated as endless. */
const RECORD_LIMIT_VIRTUAL_MS = 60 * 60 * 1000;

export interface ThroughputOptions {
  /** Repeat the scenario's bytes until the stream is at least this long. */
  targetBytes: number;
  /** Timed runs; the median is reported. */
  runs: number;
}

export interface ThroughputResult {
  driver: string;
  kind: string;
  scenario: string;
  /** Bytes of one pass of the scenario, and the readings a simulated session makes of it. */
  scenarioBytes: number;
  readingsPerScenario: number;
  repetitions: number;
  bytes: number;
  readings: number;
  expectedReadings: number;
  runsMs: number[];
  medianMs: number;
  mbPerS: number;
  readingsPerS: number;
  end: SessionResult['end'];
  problems: SessionResult['problems'];
  /** Set when the driver could not be measured, or the figures look wrong. */
  warning?: string;
}

/**
 * What a driver's simulator writes for its default scenario, recorded on a virtual clock from the
 * host side of a memory link. Undefined when the scenario does not end on its own (it waits for
 * host commands, or is endless).
 */
export async function recordDefaultScenario(driver: Driver): Promise<{ scenario: string; bytes: Uint8Array } | undefined> {
  const scenario = driver.simulator.scenarios[0]?.name ?? 'default';
  const clock = new VirtualClock();
  const pair = createLinkPair({ mode: 'bytes' });
  const chunks: Uint8Array[] = [];
  const offData = pair.host.onData((chunk) => chunks.push(Uint8Array.from(chunk)));
  const stop = new AbortController();
  let finished = false;
  const run = driver.simulator.run({ link: pair.device, clock, signal: stop.signal, scenario }).finally(() => {
    finished = true;
  });
  await clock.runUntilIdle(RECORD_LIMIT_VIRTUAL_MS);
  if (!finished) stop.abort();
  await clock.runUntilIdle();
  await run.catch(() => undefined);
  offData();
  await pair.host.close();
  await clock.runUntilIdle();
  if (!finished) return undefined;
  return { scenario, bytes: concat(chunks) };
}

function concat(chunks: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}

function repeat(bytes: Uint8Array, times: number): Uint8Array {
  const out = new Uint8Array(bytes.length * times);
  for (let i = 0; i < times; i++) out.set(bytes, i * bytes.length);
  return out;
}

const nextMacrotask = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/**
 * One timed session: the stream goes in from the device side of a memory pair in CHUNK_BYTES
 * writes (yielding to the event loop after each, so the session keeps up as it would with a real
 * port), then the device hangs up. Timed from the first write to the session's end.
 */
export async function timeSession(driver: Driver, stream: Uint8Array): Promise<{ ms: number; result: SessionResult }> {
  const clock = new VirtualClock();
  const pair = createLinkPair({ mode: 'bytes' });
  let readings = 0;
  const session = runSession({
    driver,
    link: pair.host,
    clock,
    onEvent: (e) => {
      if (e.type === 'reading') readings++;
    },
  });
  const t0 = performance.now();
  for (let i = 0; i < stream.length; i += CHUNK_BYTES) {
    await pair.device.write(stream.subarray(i, i + CHUNK_BYTES));
    await nextMacrotask();
  }
  await pair.device.close();
  // A driver that waits on its clock after the hang-up (a goodbye deadline) gets its timers run.
  let settled = false;
  void session.finally(() => (settled = true));
  await nextMacrotask();
  if (!settled) await clock.runUntilIdle();
  const result = await session;
  const ms = performance.now() - t0;
  if (readings !== result.readings.length) throw new Error(`reading events (${readings}) and result readings (${result.readings.length}) differ`);
  return { ms, result };
}

/** Decode throughput of one driver over its default scenario repeated to `targetBytes`. */
export async function measureThroughput(driver: Driver, opts: ThroughputOptions): Promise<ThroughputResult> {
  const { manifest } = driver;
  const base: Omit<ThroughputResult, 'scenarioBytes' | 'readingsPerScenario' | 'repetitions' | 'bytes' | 'readings' | 'expectedReadings' | 'runsMs' | 'medianMs' | 'mbPerS' | 'readingsPerS' | 'end' | 'problems'> = {
    driver: manifest.id,
    kind: manifest.kind,
    scenario: driver.simulator.scenarios[0]?.name ?? 'default',
  };
  const empty = { scenarioBytes: 0, readingsPerScenario: 0, repetitions: 0, bytes: 0, readings: 0, expectedReadings: 0, runsMs: [], medianMs: Number.NaN, mbPerS: Number.NaN, readingsPerS: Number.NaN, end: 'failed' as const, problems: {} };
  if (manifest.transport.type === 'hid') return { ...base, ...empty, warning: 'skipped: HID (reports mode) drivers are not measured by this byte-stream benchmark' };

  const recorded = await recordDefaultScenario(driver);
  if (!recorded || recorded.bytes.length === 0) {
    return { ...base, ...empty, warning: 'skipped: the default scenario does not end on its own or writes nothing without a host conversation' };
  }
  // The conformance harness's own count for one pass: what each repetition should yield.
  const simulated = await runAgainstSimulator(driver);
  const readingsPerScenario = simulated.result.readings.length;
  const repetitions = Math.max(1, Math.ceil(opts.targetBytes / recorded.bytes.length));
  const stream = repeat(recorded.bytes, repetitions);
  const expectedReadings = readingsPerScenario * repetitions;

  await timeSession(driver, repeat(recorded.bytes, Math.max(1, Math.ceil(WARMUP_BYTES / recorded.bytes.length))));
  const runsMs: number[] = [];
  let last: SessionResult | undefined;
  for (let i = 0; i < opts.runs; i++) {
    const { ms, result } = await timeSession(driver, stream);
    runsMs.push(ms);
    last = result;
  }
  const result = last as SessionResult;
  const medianMs = median(runsMs);
  const readings = result.readings.length;
  const out: ThroughputResult = {
    ...base,
    scenario: recorded.scenario,
    scenarioBytes: recorded.bytes.length,
    readingsPerScenario,
    repetitions,
    bytes: stream.length,
    readings,
    expectedReadings,
    runsMs,
    medianMs,
    mbPerS: stream.length / 1e6 / (medianMs / 1000),
    readingsPerS: readings / (medianMs / 1000),
    end: result.end,
    problems: result.problems,
  };
  if (readings === 0) out.warning = 'NO READINGS: the driver made 0 readings from the stream — this is a bug';
  else if (readings !== expectedReadings) {
    out.warning = `readings ${readings} ≠ expected ${expectedReadings} (${readingsPerScenario} per pass × ${repetitions} passes)`;
  }
  return out;
}
