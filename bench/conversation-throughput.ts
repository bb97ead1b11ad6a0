import { runAgainstSimulator, type Driver, type SessionResult } from '../drivers/kit/index.ts';
import { recordDefaultScenario, unexpectedProblems } from './decode-throughput.ts';
import { fmt, median, table } from './stats.ts';

/**
 * Decode throughput of the drivers that only speak when spoken to: a polled serial monitor (the
 * DINAMAP answers NA/OA/RA/TC polls), an HTTP service (Welch Allyn Connectivity SDK) and an HL7
 * link (Mindray: keep-alives and ACKs, a resend is not a new reading). Their device bytes cannot be
 * recorded once and replayed as a stream, as bench/decode-throughput.ts does for streaming drivers:
 * without the host's requests the device says nothing, and a repeated HL7 stream is, rightly,
 * one reading. So each pass is a whole conversation with the driver's own simulator (the default
 * scenario) over a memory link on a virtual clock, unpaced: the figure includes the simulator,
 * as the meters' conversation table does. Nothing here asserts anything about time.
 */

/** A default scenario still running after this much virtual time is cut there (an endless one). */
const PASS_LIMIT_VIRTUAL_MS = 10 * 60 * 1000;
/** Untimed passes first (JIT), so the first timed run is not an outlier. */
const WARMUP_PASSES = 20;

export interface ConversationResult {
  driver: string;
  kind: string;
  /** The link the driver uses in real life: `serial (polled)`, `http`, `tcp`… */
  link: string;
  scenario: string;
  /** One pass: bytes each way, host writes (requests, polls, ACKs), device-side virtual seconds, readings. */
  bytesToHostPerPass: number;
  bytesToDevicePerPass: number;
  writesPerPass: number;
  virtualSecondsPerPass: number;
  readingsPerPass: number;
  passes: number;
  /** All passes of one run: bytes both ways, and readings. */
  bytes: number;
  readings: number;
  expectedReadings: number;
  runsMs: number[];
  medianMs: number;
  mbPerS: number;
  readingsPerS: number;
  /** Host writes (requests) answered per second. */
  exchangesPerS: number;
  /** Device time covered per second of wall time (how much faster than real life the hub keeps up). */
  realTimeFactor: number;
  end: SessionResult['end'];
  problems: SessionResult['problems'];
  /** The problems one pass reports (the scenario's own). */
  problemsPerPass: SessionResult['problems'];
  warning?: string;
}

/** The link a driver's transport is, for the tables. */
function linkOf(driver: Driver): string {
  const t = driver.manifest.transport;
  return t.type === 'serial' ? `serial ${t.serial.baudRate} (host writes)` : t.type;
}

/**
 * True when the driver is measured here rather than as a stream: its transport is not serial,
 * its default scenario writes nothing unless the host asks, or the driver itself writes to the
 * device (the Onyx reads the clock when it opens: a recorded stream holds no answer to that, so
 * replaying it would measure a session that misses its reply). Meters (kind download) are
 * measured by bench/download-time.ts either way.
 */
export async function needsConversation(driver: Driver): Promise<boolean> {
  if (driver.manifest.kind === 'download') return false;
  if (driver.manifest.transport.type !== 'serial') return driver.manifest.transport.type !== 'hid';
  const recorded = await recordDefaultScenario(driver);
  if (recorded === undefined || recorded.bytes.length === 0) return true;
  const run = await runAgainstSimulator(driver);
  return run.traffic.some((c) => c.direction === 'out');
}

async function pass(driver: Driver, scenario: string): Promise<{ result: SessionResult; toHost: number; toDevice: number; writes: number; virtualMs: number }> {
  const startMs = Date.parse('2026-06-02T09:30:00Z');
  const run = await runAgainstSimulator(driver, { scenario, startMs, abortAfterMs: PASS_LIMIT_VIRTUAL_MS });
  let toHost = 0;
  let toDevice = 0;
  let writes = 0;
  for (const c of run.traffic) {
    if (c.direction === 'in') toHost += c.bytes.length;
    else {
      toDevice += c.bytes.length;
      writes += 1;
    }
  }
  const last = run.traffic.at(-1)?.at ?? startMs;
  return { result: run.result, toHost, toDevice, writes, virtualMs: last - startMs };
}

/**
 * Conversation throughput of one driver: passes of `scenario` (default: the simulator's first)
 * until `targetBytes` both ways, `runs` times.
 */
export async function measureConversation(driver: Driver, opts: { targetBytes: number; runs: number; scenario?: string }): Promise<ConversationResult> {
  const { manifest } = driver;
  const scenario = opts.scenario ?? driver.simulator.scenarios[0]?.name ?? 'default';
  const one = await pass(driver, scenario);
  const perPass = one.toHost + one.toDevice;
  const passes = Math.max(1, Math.ceil(opts.targetBytes / Math.max(1, perPass)));
  for (let i = 0; i < WARMUP_PASSES; i++) await pass(driver, scenario);
  const runsMs: number[] = [];
  let readings = 0;
  let last: SessionResult = one.result;
  for (let r = 0; r < opts.runs; r++) {
    readings = 0;
    const t0 = performance.now();
    for (let i = 0; i < passes; i++) {
      const p = await pass(driver, scenario);
      readings += p.result.readings.length;
      last = p.result;
    }
    runsMs.push(performance.now() - t0);
  }
  const medianMs = median(runsMs);
  const seconds = medianMs / 1000;
  const out: ConversationResult = {
    driver: manifest.id,
    kind: manifest.kind,
    link: linkOf(driver),
    scenario,
    bytesToHostPerPass: one.toHost,
    bytesToDevicePerPass: one.toDevice,
    writesPerPass: one.writes,
    virtualSecondsPerPass: one.virtualMs / 1000,
    readingsPerPass: one.result.readings.length,
    passes,
    bytes: perPass * passes,
    readings,
    expectedReadings: one.result.readings.length * passes,
    runsMs,
    medianMs,
    mbPerS: (perPass * passes) / 1e6 / seconds,
    readingsPerS: readings / seconds,
    exchangesPerS: (one.writes * passes) / seconds,
    realTimeFactor: (one.virtualMs * passes) / medianMs,
    end: last.end,
    problems: last.problems,
    problemsPerPass: one.result.problems,
  };
  // Each pass is a session of its own: the last one's problems should be the first one's.
  const unexpected = unexpectedProblems(last.problems, one.result.problems, 1);
  if (readings === 0) out.warning = 'NO READINGS: the driver made 0 readings in its default scenario — this is a bug';
  else if (readings !== out.expectedReadings) out.warning = `readings ${readings} ≠ expected ${out.expectedReadings} (${out.readingsPerPass} per pass × ${passes} passes)`;
  else if (unexpected.length > 0) out.warning = `problems beyond the scenario's own: ${unexpected.join(', ')}`;
  return out;
}

/** The table `npm run bench` prints for these drivers. */
export function describeConversations(results: readonly ConversationResult[]): string {
  return table([
    ['driver', 'link', 'scenario', 'passes', 'bytes', 'readings', 'expected', 'median ms', 'MB/s', 'readings/s', 'host writes/s', '× real time'],
    ...results
      .filter((r) => r.runsMs.length > 0)
      .map((r) => [r.driver, r.link, r.scenario, String(r.passes), String(r.bytes), String(r.readings), String(r.expectedReadings), fmt(r.medianMs, 0), fmt(r.mbPerS), fmt(r.readingsPerS, 0), fmt(r.exchangesPerS, 0), fmt(r.realTimeFactor, 0)]),
  ]);
}
