/**
 * `npm run soak -- --devices 16 --minutes 30 [--sample-seconds 60] [--warmup-minutes 6] [--interval-ms 500]`:
 * a real `pochub serve` child fed by simulated devices on socat ptys for a long time, sampled
 * as it goes; prints a table and the slope of its memory after warm-up (docs/architecture.md §12).
 * Figures are printed and written to bench/results/soak-latest.json, never asserted.
 */
import type { ChildProcess } from 'node:child_process';
import { stat, mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { fromLatin1 } from '../drivers/kit/index.ts';
import { requireDriver } from '../drivers/index.ts';
import { formatLine } from '../drivers/devices/masimo-rad8/simulator.ts';
import { streamRecord } from '../drivers/devices/siemens-clinitek-status/simulator.ts';
import { addPtyDevices, closePtyDevices, connectEvents, processCpuMs, startBenchHub, type PtyDevice } from './bench-hub.ts';
import { masimoWrites } from './pty-latency.ts';
import { slopeAfterWarmup, type LineFit, type SoakSample } from './soak-math.ts';
import { fmt, table } from './stats.ts';

const CLINITEK = 'siemens-clinitek-status';
const MASIMO = 'masimo-rad8';
/** Masimo lines per Clinitek record interval: its device clock runs ten times faster than the wall. */
const MASIMO_LINES_PER_INTERVAL = 10;
/** How long the hub may take to answer a sample request before the soak gives up on it. */
const SAMPLE_TIMEOUT_MS = 30_000;
const PROBE = pathToFileURL(fileURLToPath(new URL('./soak-probe.mjs', import.meta.url))).href;

const number = (flag: string) => z.string().regex(/^\d+(\.\d+)?$/, `--${flag} takes a number`).transform(Number);

/** The soak's command line, checked (zod at the trust boundary). */
export const SoakArgsSchema = z
  .object({
    devices: number('devices').pipe(z.number().int('--devices takes a whole number').min(1).max(128)).default(16),
    minutes: number('minutes').pipe(z.number().positive('--minutes must be more than 0').max(24 * 60)).default(30),
    'sample-seconds': number('sample-seconds').pipe(z.number().min(1).max(3600)).optional(),
    'warmup-minutes': number('warmup-minutes').pipe(z.number().min(0)).optional(),
    'interval-ms': number('interval-ms').pipe(z.number().int().min(20).max(60_000)).default(500),
  })
  .strict()
  .transform((a) => ({
    devices: a.devices,
    minutes: a.minutes,
    // Ten samples at least, one a minute at most.
    sampleSeconds: a['sample-seconds'] ?? Math.min(60, (a.minutes * 60) / 10),
    warmupMinutes: a['warmup-minutes'] ?? a.minutes / 5,
    intervalMs: a['interval-ms'],
  }))
  .refine((a) => a.warmupMinutes < a.minutes, { message: '--warmup-minutes must be shorter than --minutes' })
  .refine((a) => a.sampleSeconds <= a.minutes * 60, { message: '--sample-seconds must be at most the run' });

export type SoakOptions = z.output<typeof SoakArgsSchema>;

export interface SoakResult {
  options: SoakOptions;
  devices: { clinitek: number; masimo: number };
  samples: SoakSample[];
  /** Hub CPU use over the whole run (% of one core). */
  cpuPercent: number;
  rssSlope: LineFit;
  heapSlope: LineFit;
  readings: number;
  /** Problems the hub printed on standard error during the run (a bug line would show here). */
  hubErrors: string[];
}

interface ProbeSample {
  type: 'sample';
  rssMb: number;
  heapUsedMb: number;
  externalMb: number;
  eventLoopP99Ms: number;
  eventLoopMaxMs: number;
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, Math.max(0, ms)));

/**
 * Run the soak: half the devices are Clinitek analyzers writing a record every `intervalMs`,
 * half Masimo oximeters writing a line every `intervalMs / 10` (a spot check, so a reading,
 * every 12 lines); every `sampleSeconds` the hub's probe reports memory and event-loop delay,
 * and the store's files are measured. `log` gets one line per sample as it is taken.
 */
export async function runSoak(opts: SoakOptions, log: (line: string) => void): Promise<SoakResult> {
  const hub = await startBenchHub({ nodeArgs: ['--expose-gc', '--import', PROBE], ipc: true });
  let readings = 0;
  let devices: PtyDevice[] = [];
  let stopping = false;
  const writers: Promise<void>[] = [];
  const samples: SoakSample[] = [];
  try {
    const ws = await connectEvents(hub.url, (e) => {
      if (e.event === 'review') readings++;
    });
    devices = await addPtyDevices(hub, opts.devices, (i) => (i % 2 === 0 ? CLINITEK : MASIMO));
    const runMs = opts.minutes * 60_000;
    const window = stabilityWindow();
    const masimoCycles = Math.ceil(runMs / ((opts.intervalMs / MASIMO_LINES_PER_INTERVAL) * (window + 2))) + 1;
    const writeMasimo = masimoWrites(formatLine, window, masimoCycles);
    let sequence = 0;
    const writer = async (d: PtyDevice): Promise<void> => {
      const clinitek = d.driverId === CLINITEK;
      const every = clinitek ? opts.intervalMs : opts.intervalMs / MASIMO_LINES_PER_INTERVAL;
      let lines: Uint8Array[] = [];
      // Random phase, so the devices do not all send in the same millisecond.
      let next = performance.now() + Math.random() * every;
      while (!stopping) {
        await sleep(next - performance.now());
        next = Math.max(next + every, performance.now());
        if (stopping) return;
        if (clinitek) {
          await d.device.write(fromLatin1(`${streamRecord(++sequence, Date.now())}\r`));
        } else {
          if (lines.length === 0) lines = writeMasimo(d.index, 0);
          await d.device.write(lines.shift() as Uint8Array);
        }
      }
    };

    const t0 = performance.now();
    const cpu0 = processCpuMs(hub.child.pid);
    let lastAt = t0;
    let lastReadings = 0;
    const take = async (): Promise<void> => {
      const probe = await askProbe(hub.child);
      const at = performance.now();
      const sample: SoakSample = {
        minute: (at - t0) / 60_000,
        rssMb: probe.rssMb,
        heapUsedMb: probe.heapUsedMb,
        externalMb: probe.externalMb,
        eventLoopP99Ms: probe.eventLoopP99Ms,
        eventLoopMaxMs: probe.eventLoopMaxMs,
        storeMb: await storeMb(hub.dataDir),
        readingsPerS: at > lastAt ? (readings - lastReadings) / ((at - lastAt) / 1000) : 0,
        readings,
      };
      lastAt = at;
      lastReadings = readings;
      samples.push(sample);
      log(`  ${fmt(sample.minute, 1)} min: RSS ${fmt(sample.rssMb, 1)} MB, heap ${fmt(sample.heapUsedMb, 1)} MB, event loop p99 ${fmt(sample.eventLoopP99Ms, 1)} ms, store ${fmt(sample.storeMb, 1)} MB, ${fmt(sample.readingsPerS, 1)} readings/s`);
    };
    await take();
    for (const d of devices) writers.push(writer(d));
    const sampleMs = opts.sampleSeconds * 1000;
    for (let k = 1; k * sampleMs <= runMs + 1; k++) {
      await sleep(t0 + k * sampleMs - performance.now());
      await take();
    }
    const cpuPercent = ((processCpuMs(hub.child.pid) - cpu0) / (performance.now() - t0)) * 100;
    stopping = true;
    await Promise.all(writers);
    ws.close();
    return {
      options: opts,
      devices: { clinitek: devices.filter((d) => d.driverId === CLINITEK).length, masimo: devices.filter((d) => d.driverId === MASIMO).length },
      samples,
      cpuPercent,
      rssSlope: slopeAfterWarmup(samples, 'rssMb', opts.warmupMinutes),
      heapSlope: slopeAfterWarmup(samples, 'heapUsedMb', opts.warmupMinutes),
      readings,
      hubErrors: hub
        .stderr()
        .split('\n')
        .filter((l) => /bug|error|could not/i.test(l)),
    };
  } finally {
    stopping = true;
    await Promise.allSettled(writers);
    await closePtyDevices(devices);
    await hub.stop();
  }
}

function stabilityWindow(): number {
  const value = requireDriver(MASIMO).manifest.options.find((o) => o.key === 'stabilityWindowSeconds')?.default;
  return typeof value === 'number' ? value : 10;
}

/** One sample from the probe in the hub process (bench/soak-probe.mjs). */
function askProbe(child: ChildProcess): Promise<ProbeSample> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => done(new Error(`the hub did not answer a sample request within ${SAMPLE_TIMEOUT_MS} ms`)), SAMPLE_TIMEOUT_MS);
    const onMessage = (m: unknown): void => {
      if ((m as { type?: string } | null)?.type === 'sample') done(undefined, m as ProbeSample);
    };
    function done(error?: Error, sample?: ProbeSample): void {
      clearTimeout(timer);
      child.off('message', onMessage);
      if (sample) resolve(sample);
      else reject(error ?? new Error('no sample'));
    }
    child.on('message', onMessage);
    child.send({ type: 'sample' });
  });
}

/** The store's files in MB: the database, its write-ahead log and shared-memory index. */
async function storeMb(dataDir: string): Promise<number> {
  let bytes = 0;
  for (const suffix of ['', '-wal', '-shm']) {
    try {
      bytes += (await stat(join(dataDir, `pochub.db${suffix}`))).size;
    } catch {
      // Not there (yet): nothing to count.
    }
  }
  return bytes / (1024 * 1024);
}

/** The report lines of a soak: a table of the samples, then the slopes. */
export function describeSoak(r: SoakResult): string[] {
  const slope = (f: LineFit): string => (Number.isFinite(f.slope) ? `${f.slope >= 0 ? '+' : ''}${f.slope.toFixed(3)} MB/min (r² ${fmt(f.r2)}, ${f.points} samples)` : '— (too few samples after warm-up)');
  const last = r.samples[r.samples.length - 1];
  return [
    table([
      ['minute', 'RSS MB', 'heap MB', 'external MB', 'loop p99 ms', 'loop max ms', 'store MB', 'readings/s', 'readings'],
      ...r.samples.map((s) => [fmt(s.minute, 1), fmt(s.rssMb, 1), fmt(s.heapUsedMb, 1), fmt(s.externalMb, 1), fmt(s.eventLoopP99Ms, 1), fmt(s.eventLoopMaxMs, 1), fmt(s.storeMb, 1), fmt(s.readingsPerS, 1), String(s.readings)]),
    ]),
    `${r.devices.clinitek} Clinitek + ${r.devices.masimo} Masimo on socat ptys, a record every ${r.options.intervalMs} ms / a line every ${r.options.intervalMs / MASIMO_LINES_PER_INTERVAL} ms; ${r.readings} readings in ${fmt(last?.minute ?? 0, 1)} min; hub CPU ${fmt(r.cpuPercent, 0)} % of one core`,
    `RSS slope after ${fmt(r.options.warmupMinutes, 1)} min warm-up: ${slope(r.rssSlope)}; live heap: ${slope(r.heapSlope)}`,
    ...(r.hubErrors.length > 0 ? [`!!! the hub logged ${r.hubErrors.length} error line(s), first: ${r.hubErrors[0]}`] : []),
  ];
}

async function main(): Promise<void> {
  let values: Record<string, unknown>;
  try {
    ({ values } = parseArgs({
      options: { devices: { type: 'string' }, minutes: { type: 'string' }, 'sample-seconds': { type: 'string' }, 'warmup-minutes': { type: 'string' }, 'interval-ms': { type: 'string' } },
      strict: true,
    }));
  } catch (e) {
    console.error(`soak: ${e instanceof Error ? e.message : String(e)}`);
    process.exitCode = 2;
    return;
  }
  const parsed = SoakArgsSchema.safeParse(values);
  if (!parsed.success) {
    console.error(`soak: ${parsed.error.issues.map((i) => i.message).join('; ')}`);
    process.exitCode = 2;
    return;
  }
  const opts = parsed.data;
  console.log(`POC Hub soak — ${opts.devices} devices, ${opts.minutes} min, a sample every ${opts.sampleSeconds} s, warm-up ${fmt(opts.warmupMinutes, 1)} min`);
  const result = await runSoak(opts, (line) => console.log(line));
  console.log('');
  for (const line of describeSoak(result)) console.log(line);
  const out = fileURLToPath(new URL('./results/', import.meta.url));
  await mkdir(out, { recursive: true });
  await writeFile(join(out, 'soak-latest.json'), JSON.stringify({ date: new Date().toISOString(), ...result }, null, 2) + '\n');
  console.log(`\nresults written to ${join(out, 'soak-latest.json')}`);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  await main().catch((e: unknown) => {
    console.error(e instanceof Error ? (e.stack ?? e.message) : String(e));
    process.exitCode = 1;
  });
}
