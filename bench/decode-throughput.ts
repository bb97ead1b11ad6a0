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
  /** The problems one simulated pass reports (the scenario's own, e.g. an empty-platform print). */
  problemsPerScenario: SessionResult['problems'];
  /**
   * True when the stream was written at the pace the device wrote it (the virtual clock moved
   * to each write's time): the driver times samples by their arrival, so an unpaced burst is not
   * the same data (see `measureThroughput`).
   */
  paced: boolean;
  /** Set when the driver could not be measured, or the figures look wrong. */
  warning?: string;
}

/** Bytes the device wrote, and when: virtual ms after its first write. */
export interface TimedChunk {
  at: number;
  bytes: Uint8Array;
}

/**
 * What a driver's simulator writes for its default scenario, recorded on a virtual clock from the
 * host side of a memory link. Undefined when the scenario does not end on its own (it waits for
 * host commands, or is endless).
 */
export async function recordDefaultScenario(driver: Driver): Promise<{ scenario: string; bytes: Uint8Array; timed: TimedChunk[] } | undefined> {
  const scenario = driver.simulator.scenarios[0]?.name ?? 'default';
  const clock = new VirtualClock();
  const start = clock.now();
  const pair = createLinkPair({ mode: 'bytes' });
  const chunks: Uint8Array[] = [];
  const timed: TimedChunk[] = [];
  const offData = pair.host.onData((chunk) => {
    const bytes = Uint8Array.from(chunk);
    chunks.push(bytes);
    timed.push({ at: clock.now() - start, bytes });
  });
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
  const first = timed[0]?.at ?? 0;
  return { scenario, bytes: concat(chunks), timed: timed.map((c) => ({ at: c.at - first, bytes: c.bytes })) };
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

/** The writes of an unpaced stream: CHUNK_BYTES at a time, all at once. */
function unpacedWrites(stream: Uint8Array): TimedChunk[] {
  const out: TimedChunk[] = [];
  for (let i = 0; i < stream.length; i += CHUNK_BYTES) out.push({ at: 0, bytes: stream.subarray(i, i + CHUNK_BYTES) });
  return out;
}

/**
 * The writes of a paced stream: the scenario `times` over, each pass one second after the
 * previous one ended, the device's writes of one instant merged up to CHUNK_BYTES.
 */
function pacedWrites(timed: readonly TimedChunk[], times: number): TimedChunk[] {
  const period = (timed.at(-1)?.at ?? 0) + 1000;
  const out: TimedChunk[] = [];
  for (let r = 0; r < times; r++) {
    for (const c of timed) {
      const at = r * period + c.at;
      const last = out.at(-1);
      if (last && last.at === at && last.bytes.length + c.bytes.length <= CHUNK_BYTES) last.bytes = concat([last.bytes, c.bytes]);
      else out.push({ at, bytes: c.bytes });
    }
  }
  return out;
}

/**
 * One timed session: the writes go in from the device side of a memory pair (yielding to the
 * event loop after each, so the session keeps up as it would with a real port; a paced write
 * first moves the virtual clock to its time), then the device hangs up. Timed from the first
 * write to the session's end.
 */
export async function timeSession(driver: Driver, writes: readonly TimedChunk[]): Promise<{ ms: number; result: SessionResult }> {
  const clock = new VirtualClock();
  const start = clock.now();
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
  for (const w of writes) {
    if (w.at > 0) await clock.advanceTo(start + w.at);
    await pair.device.write(w.bytes);
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

/**
 * Decode throughput of one driver over its default scenario repeated to `targetBytes`. The
 * stream goes in unpaced, unless one unpaced pass makes fewer readings than the simulated
 * session: then the driver times samples by their arrival (a Nonin ASCII line carries no date,
 * so its stability window runs on the session clock) and an unpaced burst of ten minutes of
 * lines is rightly no reading; such a driver is fed at the device's pace on the virtual clock.
 */
export async function measureThroughput(driver: Driver, opts: ThroughputOptions): Promise<ThroughputResult> {
  const { manifest } = driver;
  const base: Omit<ThroughputResult, 'scenarioBytes' | 'readingsPerScenario' | 'repetitions' | 'bytes' | 'readings' | 'expectedReadings' | 'runsMs' | 'medianMs' | 'mbPerS' | 'readingsPerS' | 'end' | 'problems' | 'problemsPerScenario' | 'paced'> = {
    driver: manifest.id,
    kind: manifest.kind,
    scenario: driver.simulator.scenarios[0]?.name ?? 'default',
  };
  const empty = { scenarioBytes: 0, readingsPerScenario: 0, repetitions: 0, bytes: 0, readings: 0, expectedReadings: 0, runsMs: [], medianMs: Number.NaN, mbPerS: Number.NaN, readingsPerS: Number.NaN, end: 'failed' as const, problems: {}, problemsPerScenario: {}, paced: false };
  if (manifest.transport.type === 'hid') return { ...base, ...empty, warning: 'skipped: HID (reports mode) drivers are not measured by this byte-stream benchmark' };

  const recorded = await recordDefaultScenario(driver);
  if (!recorded || recorded.bytes.length === 0) {
    return { ...base, ...empty, warning: 'skipped: the default scenario does not end on its own or writes nothing without a host conversation' };
  }
  // The conformance harness's own count for one pass: what each repetition should yield.
  const simulated = await runAgainstSimulator(driver);
  const readingsPerScenario = simulated.result.readings.length;
  const paced = (await timeSession(driver, unpacedWrites(recorded.bytes))).result.readings.length < readingsPerScenario;
  const writes = (times: number): TimedChunk[] => (paced ? pacedWrites(recorded.timed, times) : unpacedWrites(repeat(recorded.bytes, times)));
  const repetitions = Math.max(1, Math.ceil(opts.targetBytes / recorded.bytes.length));
  const stream = writes(repetitions);
  const bytes = recorded.bytes.length * repetitions;
  const expectedReadings = readingsPerScenario * repetitions;

  await timeSession(driver, writes(Math.max(1, Math.ceil(WARMUP_BYTES / recorded.bytes.length))));
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
    bytes,
    readings,
    expectedReadings,
    runsMs,
    medianMs,
    mbPerS: bytes / 1e6 / (medianMs / 1000),
    readingsPerS: readings / (medianMs / 1000),
    end: result.end,
    problems: result.problems,
    problemsPerScenario: simulated.result.problems,
    paced,
  };
  const unexpected = unexpectedProblems(result.problems, simulated.result.problems, repetitions);
  if (readings === 0) out.warning = 'NO READINGS: the driver made 0 readings from the stream — this is a bug';
  else if (readings !== expectedReadings) {
    out.warning = `readings ${readings} ≠ expected ${expectedReadings} (${readingsPerScenario} per pass × ${repetitions} passes)`;
  } else if (unexpected.length > 0) out.warning = `problems beyond the scenario's own: ${unexpected.join(', ')}`;
  return out;
}

/** The problem codes whose count is not `times` what one simulated pass reports. */
export function unexpectedProblems(got: SessionResult['problems'], perPass: SessionResult['problems'], times: number): string[] {
  const codes = new Set([...Object.keys(got), ...Object.keys(perPass)]) as Set<keyof SessionResult['problems']>;
  return [...codes].filter((c) => (got[c] ?? 0) !== (perPass[c] ?? 0) * times).map((c) => `${c} ×${got[c] ?? 0} (the scenario's own: ${(perPass[c] ?? 0) * times})`);
}
