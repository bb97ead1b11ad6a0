import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { formatTrace, parseTrace, type Driver, type Trace } from '../../drivers/kit/index.ts';
import { drawOptions, runDecodeCase, runSessionCase, reportSizeOf, type Finding, type SessionVariant } from './cases.ts';
import { Rng, caseSeed, mutateTrace, type Mutation } from './mutate.ts';

export interface FuzzOptions {
  cases: number;
  /** Index of the first case (default 0): `--case K` runs case K alone. */
  firstCase?: number;
  seed: number;
  /** Share of cases run as whole sessions (the rest are decode cases), 0–1. */
  sessionShare: number;
  /** Sample the heap after GC every this many cases (only when node runs with --expose-gc). */
  memoryEvery: number;
  /** Allowed heap growth after warm-up, in MiB (docs/fuzzing.md §2). */
  memoryBoundMiB: number;
  /** Where a finding's trace is saved (`<dir>/<driver id>/…`); undefined: not saved. */
  saveDir?: string;
  /** Called every `memoryEvery` cases, for progress output. */
  onProgress?: (done: number, stats: DriverStats) => void;
}

export interface SavedFinding extends Finding {
  caseIndex: number;
  mutations: Mutation[];
  base: string;
  /** The regression fixture written for it, if any. */
  file?: string;
}

export interface DriverStats {
  driver: string;
  cases: number;
  decodeCases: number;
  sessionCases: number;
  seconds: number;
  findings: SavedFinding[];
  /** Findings by signature (kind + first line of the message), with how often each was hit. */
  signatures: Map<string, number>;
  /** heapUsed after GC, MiB, at each sample. */
  heapMiB: number[];
}

/** A driver's fixtures (drivers/devices/<id>/fixtures/*.trace), parsed with the kit's trace parser. */
export function loadCorpus(root: string, driver: Driver): { name: string; trace: Trace }[] {
  const dir = join(root, 'drivers', 'devices', driver.manifest.id, 'fixtures');
  return readdirSync(dir)
    .filter((f) => f.endsWith('.trace'))
    .sort()
    .map((f) => ({ name: f, trace: parseTrace(readFileSync(join(dir, f), 'utf8')) }));
}

/** The fixture a finding leaves behind: the mutated trace, its origin in the header, named by its hash. */
export function saveFinding(dir: string, driver: Driver, trace: Trace, finding: Finding, origin: string, options: Record<string, unknown> = {}): string {
  const header: Record<string, string> = { ...trace.header, driver: driver.manifest.id, fuzz: `${finding.kind} (${finding.mode}) ${origin}`, finding: finding.message.split('\n')[0] ?? '' };
  // The option values the session ran with, for the regression test to run it the same way.
  if (Object.keys(options).length > 0) header['options'] = JSON.stringify(options);
  const text = formatTrace({ header, events: trace.events });
  const hash = createHash('sha256').update(text).digest('hex').slice(0, 12);
  const folder = join(dir, driver.manifest.id);
  mkdirSync(folder, { recursive: true });
  const file = join(folder, `${finding.kind}-${hash}.trace`);
  writeFileSync(file, text);
  return file;
}

const MAX_SAVED_PER_SIGNATURE = 1;
/**
 * A decode case feeds a run of at most this many events of a fixture (framers meet a stream that
 * starts mid-frame as well as whole ones), so that a million cases take minutes, not hours.
 */
export const DECODE_WINDOW_EVENTS = 8;

function signatureOf(f: Finding): string {
  return `${f.kind} ${f.mode}: ${(f.message.split('\n')[0] ?? '').replace(/\d+/g, 'N').slice(0, 160)}`;
}

function heapMiB(): number | undefined {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) return undefined;
  gc();
  return process.memoryUsage().heapUsed / 2 ** 20;
}

/**
 * Fuzz one driver: `cases` mutated fixtures, case i seeded from (seed, driver, i) so any case is
 * replayed alone; a share of them as whole sessions in fake time, the rest through decodeProbe.
 * Every distinct finding is saved once as a regression fixture. Heap growth after warm-up (the
 * first quarter of the samples) beyond the bound is a finding too.
 */
export async function fuzzDriver(driver: Driver, driverIndex: number, corpus: readonly { name: string; trace: Trace }[], opts: FuzzOptions): Promise<DriverStats> {
  const stats: DriverStats = { driver: driver.manifest.id, cases: 0, decodeCases: 0, sessionCases: 0, seconds: 0, findings: [], signatures: new Map(), heapMiB: [] };
  const traces = corpus.map((c) => c.trace);
  const started = performance.now();
  const record = (finding: Finding, index: number, trace: Trace | undefined, mutations: Mutation[], base: string, options: Record<string, unknown> = {}): void => {
    const signature = signatureOf(finding);
    const seen = stats.signatures.get(signature) ?? 0;
    stats.signatures.set(signature, seen + 1);
    if (seen >= MAX_SAVED_PER_SIGNATURE) return;
    const saved: SavedFinding = { ...finding, caseIndex: index, mutations, base };
    if (opts.saveDir && trace) saved.file = saveFinding(opts.saveDir, driver, trace, finding, `seed ${opts.seed} case ${index} of ${base} (${mutations.join(', ')})`, options);
    stats.findings.push(saved);
  };
  const first = opts.firstCase ?? 0;
  for (let i = first; i < first + opts.cases; i++) {
    const rng = new Rng(caseSeed(opts.seed, driverIndex, i));
    const base = rng.pick(corpus);
    const session = rng.next() < opts.sessionShare;
    const reportSize = reportSizeOf(driver, base.trace);
    const { trace, mutations } = mutateTrace(base.trace, traces, rng, session ? { reportSize } : { reportSize, window: DECODE_WINDOW_EVENTS });
    if (session) {
      stats.sessionCases++;
      const loose = rng.next() < 0.5;
      // Mostly whole sessions; a quarter set the device clock or run Test connection (probe).
      const roll = rng.next();
      const variant: SessionVariant = roll < 0.75 ? 'session' : roll < 0.875 ? 'set-clock' : 'probe';
      // Half the sessions run with option values drawn within the manifest's ranges.
      const options = rng.next() < 0.5 ? drawOptions(driver, () => rng.next()) : {};
      const { finding } = await runSessionCase(driver, trace, { loose, variant, options });
      if (finding) record({ ...finding, message: `${variant}, ${loose ? 'loose' : 'strict'} replay: ${finding.message}` }, i, trace, mutations, base.name, options);
    } else {
      stats.decodeCases++;
      // The live-trace framer mostly reuses the driver's framer: every fourth case is enough.
      const finding = runDecodeCase(driver, trace, i % 4 === 0);
      if (finding) record(finding, i, trace, mutations, base.name);
    }
    stats.cases++;
    if ((i + 1 - first) % opts.memoryEvery === 0) {
      const heap = heapMiB();
      if (heap !== undefined) stats.heapMiB.push(heap);
      stats.seconds = (performance.now() - started) / 1000;
      opts.onProgress?.(i + 1 - first, stats);
      // Let the event loop breathe between batches (signals, output).
      await new Promise((r) => setImmediate(r));
    }
  }
  stats.seconds = (performance.now() - started) / 1000;
  const growth = heapGrowthMiB(stats.heapMiB);
  if (growth !== undefined && growth > opts.memoryBoundMiB) {
    record({ kind: 'memory', mode: 'session', message: `heap grew ${growth.toFixed(1)} MiB after warm-up (bound ${opts.memoryBoundMiB} MiB): ${stats.heapMiB.map((h) => h.toFixed(1)).join(', ')}` }, first + opts.cases, undefined, [], '');
  }
  return stats;
}

/**
 * Heap growth after warm-up: the lowest of the last three samples minus the lowest sample after
 * the first quarter (JIT, caches and the corpus settle during warm-up). Undefined: too few samples.
 */
export function heapGrowthMiB(samples: readonly number[]): number | undefined {
  if (samples.length < 4) return undefined;
  const warm = samples.slice(Math.floor(samples.length / 4));
  const baseline = Math.min(...warm.slice(0, Math.max(1, warm.length - 3)));
  return Math.min(...samples.slice(-3)) - baseline;
}
