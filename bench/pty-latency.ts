import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fromLatin1, systemClock, runSession, transportFor, type Driver, type Link, type SessionResult } from '../drivers/kit/index.ts';
import { openStore, type HubDatabase } from '../main/store/index.ts';
import { openSerialLink } from '../main/transports/index.ts';
import { createPtyPair, type PtyPair } from '../test/helpers/pty-pair.ts';
import { summarize, type LatencySummary } from './stats.ts';

/** A reading that has not been stored this long after its last byte counts as missed. */
const READING_TIMEOUT_MS = 5_000;
/** How long a session may take to open and identify before the benchmark gives up on it. */
const SESSION_READY_TIMEOUT_MS = 5_000;

/**
 * The writes one device makes for reading number `n` (a global, unique number): the reading is
 * complete once the LAST write is on the wire, and latency is measured from then.
 */
export type CycleWrites = (device: number, n: number) => Uint8Array[];

export interface LatencyOptions {
  driver: Driver;
  /** What the scenario is called in the report. */
  label: string;
  devices: number;
  readingsPerDevice: number;
  /** Readings per device made first and not counted (JIT, SQLite page cache). */
  warmup: number;
  writes: CycleWrites;
}

export interface LatencyResult {
  driver: string;
  label: string;
  devices: number;
  readingsPerDevice: number;
  /** How writers are paced. */
  pacing: string;
  /** From `await link.write()` resolved (serialport drain) to stored and emitted: the measure asked for. */
  latency: LatencySummary;
  /**
   * From just before the last write() call to stored and emitted: an upper bound. The drain that
   * `latency` starts from runs on libuv's thread pool and can resolve after the host has already
   * read, decoded and stored the bytes, so `latency` is a lower bound (it can even be negative).
   */
  fromWriteCall: LatencySummary;
  /** Time spent inside `HubDatabase.ingest` (one IMMEDIATE transaction, fsync with synchronous=FULL). */
  ingest: LatencySummary;
  /** Readings that did not arrive within READING_TIMEOUT_MS. */
  missed: number;
  /** Readings stored before the `await write()` of their last byte resolved (the drain lags the data). */
  early: number;
  /** Readings that arrived before the last write of their cycle was even called: the driver made it too soon (a bug). */
  premature: number;
  /** Ingests that stored a new reading, and ingests the store recognised as already stored. */
  storedNew: number;
  duplicates: number;
  wallMs: number;
  readingsPerS: number;
  sessionEnds: SessionResult['end'][];
  problems: Record<string, number>;
}

interface BenchDevice {
  index: number;
  pty: PtyPair;
  host: Link;
  device: Link;
  stop: AbortController;
  session: Promise<SessionResult>;
  /** Resolved with performance.now() once the next reading is stored and emitted. */
  waiter: ((storedAt: number) => void) | undefined;
}

function timeout<T>(promise: Promise<T>, ms: number, fallback: T): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<T>((resolve) => (timer = setTimeout(() => resolve(fallback), ms)));
  return Promise.race([promise, late]).finally(() => clearTimeout(timer));
}

/**
 * Latency from the last byte of a reading written on a pty to that reading stored (one shared
 * SQLite store, as the hub has) and emitted, with `devices` simulated devices at once. Each device
 * is a socat pty pair: the host end runs the driver session over `openSerialLink` with the real
 * clock; the device end is another `openSerialLink` the benchmark writes to. Writers are closed
 * loop: a device writes its next reading only once the previous one was stored (or timed out).
 */
export async function measureLatency(opts: LatencyOptions): Promise<LatencyResult> {
  const { driver } = opts;
  const transport = transportFor(driver.manifest, 'serial');
  if (!transport) throw new Error(`${driver.manifest.id} is not a serial driver`);
  const settings = transport.serial;
  // createPtyPair adds one process 'exit' listener per pair (to kill socat if we die): 32 are expected.
  process.setMaxListeners(Math.max(process.getMaxListeners(), opts.devices + 10));
  const dir = await mkdtemp(join(tmpdir(), 'pochub-bench-'));
  const store: HubDatabase = openStore(join(dir, 'hub.sqlite'));
  const devices: BenchDevice[] = [];
  const samples: number[] = [];
  const fromCall: number[] = [];
  const ingestMs: number[] = [];
  const problems: Record<string, number> = {};
  let storedNew = 0;
  let duplicates = 0;
  let missed = 0;
  let early = 0;
  let premature = 0;
  let counting = false;

  const start = async (index: number): Promise<BenchDevice> => {
    const pty = await createPtyPair();
    let host: Link | undefined;
    let device: Link | undefined;
    try {
      host = await openSerialLink(pty.b, settings);
      device = await openSerialLink(pty.a, settings);
    } catch (e) {
      await Promise.all([host?.close(), pty.close()]);
      throw e;
    }
    const sessionId = store.sessions.beginSession({ driverId: driver.manifest.id, transport: `serial ${pty.b} (benchmark pty)` });
    const stop = new AbortController();
    let ready: () => void = () => undefined;
    const identified = new Promise<boolean>((resolve) => (ready = () => resolve(true)));
    const bench: BenchDevice = { index, pty, host, device, stop, session: Promise.resolve({ readings: [], problems: {}, end: 'completed' }), waiter: undefined };
    bench.session = runSession({
      driver,
      link: host,
      clock: systemClock,
      signal: stop.signal,
      onEvent: (e) => {
        if (e.type === 'identity') ready();
        if (e.type === 'problem' && counting) problems[e.code] = (problems[e.code] ?? 0) + 1;
        if (e.type !== 'reading') return;
        const at = new Date().toISOString();
        const ingestStart = performance.now();
        const stored = store.readings.ingest(e.reading, e.raw.map((bytes) => ({ direction: 'in' as const, bytes, at })), sessionId);
        const storedAt = performance.now();
        if (counting) {
          ingestMs.push(storedAt - ingestStart);
          if (stored.isNew) storedNew++;
          else duplicates++;
        }
        const waiter = bench.waiter;
        bench.waiter = undefined;
        waiter?.(storedAt);
      },
    });
    // Pushed before the wait, so the clean-up below closes it whatever happens next.
    devices.push(bench);
    if (!(await timeout(identified, SESSION_READY_TIMEOUT_MS, false))) throw new Error(`device ${index}: the session did not identify within ${SESSION_READY_TIMEOUT_MS} ms`);
    return bench;
  };

  let serial = 0;
  const cycle = async (bench: BenchDevice, count: boolean): Promise<void> => {
    const writes = opts.writes(bench.index, ++serial);
    let lastWriteCalled = false;
    let lastWriteDone = false;
    let arrivedEarly = false;
    let arrivedPrematurely = false;
    const arrived = new Promise<number | undefined>((resolve) => {
      bench.waiter = (t) => {
        if (!lastWriteCalled) arrivedPrematurely = true;
        else if (!lastWriteDone) arrivedEarly = true;
        resolve(t);
      };
    });
    let callAt = 0;
    for (const [i, bytes] of writes.entries()) {
      callAt = performance.now();
      lastWriteCalled = i === writes.length - 1;
      await bench.device.write(bytes);
    }
    const writtenAt = performance.now();
    lastWriteDone = true;
    const storedAt = await timeout(arrived, READING_TIMEOUT_MS, undefined);
    if (!count) return;
    if (storedAt === undefined) {
      bench.waiter = undefined;
      missed++;
      return;
    }
    if (arrivedPrematurely) premature++;
    if (arrivedEarly) early++;
    samples.push(storedAt - writtenAt);
    fromCall.push(storedAt - callAt);
  };

  let wallMs = 0;
  let sessionEnds: SessionResult['end'][] = [];
  try {
    const started = await Promise.allSettled(Array.from({ length: opts.devices }, (_, i) => start(i)));
    const failed = started.find((s) => s.status === 'rejected');
    if (failed) throw failed.reason;
    for (let i = 0; i < opts.warmup; i++) await Promise.all(devices.map((d) => cycle(d, false)));
    counting = true;
    const t0 = performance.now();
    await Promise.all(
      devices.map(async (d) => {
        for (let i = 0; i < opts.readingsPerDevice; i++) await cycle(d, true);
      }),
    );
    wallMs = performance.now() - t0;
    counting = false;
  } finally {
    for (const d of devices) d.stop.abort();
    const ends = await Promise.all(devices.map((d) => d.session));
    await Promise.all(devices.map(async (d) => Promise.all([d.device.close(), d.host.close()])));
    await Promise.all(devices.map((d) => d.pty.close()));
    store.close();
    await rm(dir, { recursive: true, force: true });
    sessionEnds = ends.map((r) => r.end);
  }
  return {
    driver: driver.manifest.id,
    label: opts.label,
    devices: opts.devices,
    readingsPerDevice: opts.readingsPerDevice,
    pacing: 'closed loop: each device writes its next reading once the previous one is stored and emitted',
    latency: summarize(samples),
    fromWriteCall: summarize(fromCall),
    ingest: summarize(ingestMs),
    missed,
    early,
    premature,
    storedNew,
    duplicates,
    wallMs,
    readingsPerS: samples.length / (wallMs / 1000),
    sessionEnds,
    problems,
  };
}
const CR = '\r';

/**
 * Clinitek: one record per strip, so one write is one reading. `streamRecord` is the simulator's
 * own record format (English pads, 24-hour time); its sequence number and sample id come from
 * `n`, unique over the whole run, so every reading is new to the store.
 */
export function clinitekWrites(streamRecord: (sequence: number, epochMs: number) => string): CycleWrites {
  return (_device, n) => [fromLatin1(streamRecord(n, Date.now()) + CR)];
}

/** Masimo EXC codes: no exception, and sensor off (drivers/devices/masimo-rad8/PROTOCOL.md §5, as in the driver's simulator). */
const EXC_OK = '000800';
const EXC_SENSOR_OFF = '000820';

type MasimoLineSpec = { style: 'rad8'; exc: string; spo2?: number; pulse?: number; pi?: string };

/**
 * Masimo: a spot check is the sensor off for one line, then valid stable lines one device-second
 * apart until the stability window is full (window + 1 lines); the reading comes with the last
 * one. Lines go out back to back (device time advances 1 s per line, wall time does not), so the
 * latency measured is that of the line that completes the window. Each device has its own pulse
 * rate so equal device times of different devices are still different readings.
 */
export function masimoWrites(
  formatLine: (epochMs: number, spec: MasimoLineSpec) => string,
  windowSeconds: number,
  cycles: number,
): CycleWrites {
  const linesPerCycle = windowSeconds + 2;
  // Device clocks start so that the run's device times straddle the wall clock (smaller skew).
  const base = Date.now() - Math.round((linesPerCycle * cycles) / 2) * 1000;
  const lineNo = new Map<number, number>();
  return (device) => {
    const out: Uint8Array[] = [];
    const line = (spec: MasimoLineSpec): void => {
      const k = lineNo.get(device) ?? 0;
      lineNo.set(device, k + 1);
      out.push(fromLatin1(formatLine(base + k * 1000, spec)));
    };
    line({ style: 'rad8', exc: EXC_SENSOR_OFF });
    for (let i = 0; i <= windowSeconds; i++) line({ style: 'rad8', exc: EXC_OK, spo2: 97, pulse: 60 + (device % 40), pi: '03.60' });
    return out;
  };
}
