import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser } from 'playwright-core';
import { launchChromium } from '../test/helpers/browser.ts';
import { ROOT } from '../test/helpers/cli.ts';
import { freshCliBundle } from '../bin/cli-bundle.mjs';
import { buildCli } from '../scripts/build-cli.ts';
import { processCpuMs } from './bench-hub.ts';
import { median } from './stats.ts';

/** How long one start may take before the benchmark gives up (a busy 2-core machine). */
const START_TIMEOUT_MS = 60_000;
/** The TypeScript sources through tsx: what bin/pochub.mjs runs when there is no fresh bundle. */
const TSX_ENTRY = [join(ROOT, 'bin', 'run-ts.mjs'), join(ROOT, 'main', 'cli.ts')];
/** bin/pochub.mjs right after `npm run build:cli`: it checks the bundle is fresh and runs it. */
const LAUNCHER_ENTRY = [join(ROOT, 'bin', 'pochub.mjs')];
const URL_PATTERN = /open (http:\/\/127\.0\.0\.1:\d+\/\?token=\S+)/;

type Kind = 'cold' | 'warm' | 'cold, no tsx cache' | 'bundled cold' | 'bundled warm';

/** One start of `pochub serve`, timed from the spawn. */
export interface StartupRun {
  /** `cold`: a new, empty data folder (the store is created and migrated); `warm`: the same folder again. */
  kind: Kind;
  /** Spawn → the address printed on standard output (the hub listens). */
  listeningMs: number;
  /** Spawn → the sign-in form in Chromium took a typed character (interactive). */
  interactiveMs: number;
  /**
   * CPU time (user + system, all threads) the hub process had used when it was listening: unlike
   * the wall times, hardly affected by other work on the machine. NaN where /proc is missing.
   */
  cpuToListeningMs: number;
}

/** Medians of one kind of start. */
export type Figures = Pick<StartupRun, 'listeningMs' | 'interactiveMs' | 'cpuToListeningMs'>;

export interface StartupResult {
  runs: StartupRun[];
  cold: Figures;
  warm: Figures;
  noTsxCache: Figures;
  /** bin/pochub.mjs after `npm run build:cli` (the bundle runs, no transpiling at start). */
  bundled: { cold: Figures; warm: Figures };
}

/**
 * Start-up: `node bin/pochub.mjs serve` spawned → the sign-in form in Chromium accepts input.
 * Chromium is started first and a blank page is open, so its own start is not counted: what is
 * measured is the hub's start (node, tsx transpiling the sources, opening or creating the store)
 * plus loading the built UI and its first state over the API. Cold: a new data folder; warm: the
 * second and later starts on it. tsx keeps its transpiled files in a disk cache across runs, so
 * one extra cold start with `TSX_DISABLE_CACHE=1` shows what transpiling costs; the same starts
 * through bin/pochub.mjs right after `npm run build:cli` show what the build step saves.
 */
export async function measureStartup(warmRuns: number): Promise<StartupResult> {
  const browser = await launchChromium();
  const dataDirs: string[] = [];
  const runs: StartupRun[] = [];
  try {
    const newDir = async (): Promise<string> => {
      const dir = await mkdtemp(join(tmpdir(), 'pochub-bench-start-'));
      dataDirs.push(dir);
      return dir;
    };
    const coldDir = await newDir();
    runs.push(await startOnce(browser, TSX_ENTRY, coldDir, 'cold'));
    for (let i = 0; i < warmRuns; i++) runs.push(await startOnce(browser, TSX_ENTRY, coldDir, 'warm'));
    runs.push(await startOnce(browser, TSX_ENTRY, await newDir(), 'cold, no tsx cache', { TSX_DISABLE_CACHE: '1' }));
    // `npm run build:cli`, as `npm start` and `npm test` do; the launcher then runs the bundle.
    await buildCli();
    if (!freshCliBundle()) throw new Error('the CLI bundle just built is not fresh: bin/pochub.mjs would not run it');
    const bundledDir = await newDir();
    runs.push(await startOnce(browser, LAUNCHER_ENTRY, bundledDir, 'bundled cold'));
    for (let i = 0; i < warmRuns; i++) runs.push(await startOnce(browser, LAUNCHER_ENTRY, bundledDir, 'bundled warm'));
  } finally {
    await browser.close();
    await Promise.all(dataDirs.map((d) => rm(d, { recursive: true, force: true })));
  }
  const of = (kind: Kind): Figures => {
    const these = runs.filter((r) => r.kind === kind);
    return { listeningMs: median(these.map((r) => r.listeningMs)), interactiveMs: median(these.map((r) => r.interactiveMs)), cpuToListeningMs: median(these.map((r) => r.cpuToListeningMs)) };
  };
  return { runs, cold: of('cold'), warm: of('warm'), noTsxCache: of('cold, no tsx cache'), bundled: { cold: of('bundled cold'), warm: of('bundled warm') } };
}

async function startOnce(browser: Browser, entry: readonly string[], dataDir: string, kind: Kind, env: NodeJS.ProcessEnv = {}): Promise<StartupRun> {
  const page = await browser.newPage({ viewport: { width: 1366, height: 900 } });
  await page.goto('about:blank');
  const t0 = performance.now();
  const hub = spawn(process.execPath, [...entry, 'serve', '--port', '0', '--data', dataDir], { cwd: ROOT, env: { ...process.env, TZ: 'UTC', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  const exited = new Promise<void>((resolve) => hub.once('exit', () => resolve()));
  let err = '';
  hub.stderr.setEncoding('utf8').on('data', (s: string) => (err += s));
  try {
    const url = await new Promise<string>((resolve, reject) => {
      let out = '';
      const timer = setTimeout(() => reject(new Error(`pochub serve did not start within ${START_TIMEOUT_MS} ms:\n${err}`)), START_TIMEOUT_MS);
      hub.stdout.setEncoding('utf8').on('data', (s: string) => {
        out += s;
        const m = URL_PATTERN.exec(out);
        if (m?.[1]) {
          clearTimeout(timer);
          resolve(m[1]);
        }
      });
      void exited.then(() => reject(new Error(`pochub serve exited before listening:\n${err}`)));
    });
    const listeningMs = performance.now() - t0;
    const cpuToListeningMs = processCpuMs(hub.pid);
    await page.goto(url);
    // Interactive: the badge field is there, enabled, and takes what is typed.
    await page.getByTestId('signin-badge').fill('1', { timeout: START_TIMEOUT_MS });
    const interactiveMs = performance.now() - t0;
    return { kind, listeningMs, interactiveMs, cpuToListeningMs };
  } finally {
    await page.close();
    if (hub.exitCode === null) hub.kill('SIGTERM');
    await exited;
  }
}

/** The report rows of a start-up measurement (medians). */
export function startupRows(r: StartupResult): string[][] {
  const row = (label: string, f: Figures): string[] => [label, f.listeningMs.toFixed(0), f.interactiveMs.toFixed(0), Number.isFinite(f.cpuToListeningMs) ? f.cpuToListeningMs.toFixed(0) : '—'];
  return [
    ['start', 'listening ms', 'sign-in interactive ms', 'hub CPU ms to listening'],
    row('cold (new data folder)', r.cold),
    row(`warm (same folder, median of ${r.runs.filter((x) => x.kind === 'warm').length})`, r.warm),
    row('cold, tsx transpile cache off', r.noTsxCache),
    row('npm run build:cli first, cold', r.bundled.cold),
    row('npm run build:cli first, warm', r.bundled.warm),
  ];
}

// Run alone: `node bin/run-ts.mjs bench/startup.ts [warm runs]` (the UI must be built first).
if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  const result = await measureStartup(Number(process.argv[2] ?? 3));
  for (const row of startupRows(result)) console.log(row.join(' | '));
}
